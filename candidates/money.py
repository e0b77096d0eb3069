"""Day-rate arithmetic, in one place: bounds, margin, margin rate, suggested client price.

It lives in `candidates`, the lowest domain app that handles a price (a freelancer's rate,
matched against a budget): matching here and shortlists in `missions` both import it, and the
kernel stays free of business rules.

Vocabulary: *cost* is what the freelancer asks (prix d'achat), *sold* what the client pays
(prix de vente); both are whole euros per day, excluding VAT.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# The agency aims to keep at least this share of the price sold.
TARGET_MARGIN = Decimal("0.12")
# A suggested price is rounded up to this step, in euros.
PRICE_STEP = 5
# Bounds of any daily rate (a freelancer's ask, a budget, a price sold): far above any IT
# freelance rate in France, far below what an extra digit typed by mistake gives.
DAILY_RATE_MIN = 1
DAILY_RATE_MAX = 5_000
DAILY_RATE_VALIDATORS = [
    MinValueValidator(
        DAILY_RATE_MIN, message=_("A day rate is at least %(limit_value)s €, excluding VAT.")
    ),
    MaxValueValidator(
        DAILY_RATE_MAX, message=_("A day rate is at most %(limit_value)s €, excluding VAT.")
    ),
]
DAILY_RATE_OUT_OF_BOUNDS = format_lazy(
    _("A day rate is between {low} € and {high} €, excluding VAT."),
    low=DAILY_RATE_MIN,
    high=DAILY_RATE_MAX,
)


def daily_rate_in_bounds(field, *, nullable=False):
    """The database's side of DAILY_RATE_VALIDATORS, for a CheckConstraint's condition."""
    within = Q(**{f"{field}__gte": DAILY_RATE_MIN, f"{field}__lte": DAILY_RATE_MAX})
    return Q(**{f"{field}__isnull": True}) | within if nullable else within


def margin(sold, cost):
    """What the agency keeps per day, in euros (negative at a loss); None without a price sold."""
    if sold is None:
        return None
    return sold - cost


def margin_rate(sold, cost):
    """The margin as a percentage of the price sold, to one decimal; None without a price."""
    if not sold:
        return None
    rate = Decimal(100 * (sold - cost)) / Decimal(sold)
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def below_target(rate):
    """Whether a margin rate (in percent) is under the agency's target."""
    return rate is not None and rate < 100 * TARGET_MARGIN


def suggested_client_rate(budget, cost):
    """A starting price, never below the freelancer's rate: the client's budget when it leaves
    the target margin, else the lowest price that does, rounded up to PRICE_STEP euros."""
    if budget and Decimal(budget - cost) >= TARGET_MARGIN * budget:
        return budget
    floor = Decimal(cost) / (1 - TARGET_MARGIN)
    return math.ceil(floor / PRICE_STEP) * PRICE_STEP

"""Pieces shared by the reports: key figures, month labels, short formatted values."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

from insights.tables import COUNT, RATE, display
from missions.models import FailureCause


@dataclass(frozen=True)
class Stat:
    """A key figure: the value as shown, what it is, a short note."""

    value: str
    label: str
    note: str = ""
    wide: bool = False


def month_axis(months):
    """x-axis labels: the short month name, and the year under the first month and January."""
    return [
        (date_format(date(y, m, 1), "M"), str(y) if i == 0 or m == 1 else "")
        for i, (y, m) in enumerate(months)
    ]


def rate_text(value):
    return display(value, RATE)


def count_text(value):
    return display(value, COUNT)


def cause_label(value):
    try:
        return str(FailureCause(value).label)
    except ValueError:
        return value

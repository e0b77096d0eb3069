"""The counts beside the recruiter's side navigation (missions, profiles, clients, interviews).

One query for the four, run only when a page draws the navigation (a lazy object), so the
portal, the login page and htmx fragments pay nothing; a page that runs a query of counts
anyway (the dashboard) reads them in it (`nav_count_columns`) and passes `nav_counts` itself.
Each count stops at NAV_COUNT_CAP ("10,000+"): the badge is a hint, and counting a million
profiles on every page would cost more than the page.
It lives in the top layer because it reads every app."""

from django.contrib.auth import get_user_model
from django.db.models import Func, IntegerField, Subquery
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from candidates.models import Candidate
from interviews.models import Interview, InterviewState
from missions.models import MISSION_FINAL_STATES, Client, Mission
from staffing import access

NAV_COUNTS = ("missions", "profiles", "clients", "interviews")


# Counts above it are shown as "10,000+": each reads at most this many index entries.
NAV_COUNT_CAP = 10_000


class ScalarCount(Subquery):
    """`queryset`'s row count as a scalar subquery (COUNT(*) without GROUP BY, so an index
    holding the filtered columns can answer alone); with `up_to`, counted no further than
    `up_to` rows (a LIMIT inside), so the database stops early."""

    def __init__(self, queryset, *, up_to=None):
        queryset = queryset.order_by()
        if up_to is None:
            # A plain function, not Count: an aggregate in annotate() would GROUP BY the pk.
            rows = Func(template="COUNT(*)", output_field=IntegerField())
            counted = queryset.annotate(n=rows).values("n")
        else:
            self.template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
            counted = queryset.values("pk")[:up_to]
        super().__init__(counted, output_field=IntegerField())


def nav_count_columns(prefix=""):
    """{prefix + name: ScalarCount} of the four counts, for `values()`."""
    querysets = {
        "missions": Mission.objects.filter(archived_at__isnull=True).exclude(
            state__in=MISSION_FINAL_STATES
        ),
        "profiles": Candidate.objects.active(),
        "clients": Client.objects.filter(is_active=True),
        "interviews": Interview.objects.filter(
            state=InterviewState.SCHEDULED, scheduled_at__gte=timezone.now()
        ),
    }
    return {
        prefix + name: ScalarCount(queryset, up_to=NAV_COUNT_CAP + 1)
        for name, queryset in querysets.items()
    }


def nav_counts_from(row, prefix=""):
    """The counts read by `nav_count_columns(prefix)` from a result row (a dict): each
    name with its count, at most NAV_COUNT_CAP, and `<name>_more` when there are more."""
    counts = {}
    for name in NAV_COUNTS:
        counts[name] = min(row[prefix + name], NAV_COUNT_CAP)
        counts[f"{name}_more"] = row[prefix + name] > NAV_COUNT_CAP
    return counts


def _nav_counts(user):
    # The counts hang on the user's own row: a one-row query with four subqueries.
    row = get_user_model().objects.filter(pk=user.pk).values(**nav_count_columns()).get()
    return nav_counts_from(row)


def nav_counts(request):
    user = getattr(request, "user", None)
    if user is None or not access.is_recruiter(user):
        return {}
    return {"nav_counts": SimpleLazyObject(lambda: _nav_counts(user))}

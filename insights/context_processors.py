"""The counts beside the recruiter's side navigation (missions, profiles, clients, interviews).

One query for the four, run only when a page draws the navigation (a lazy object), so the
portal, the login page and htmx fragments pay nothing; a page that runs an aggregate query
anyway (the dashboard) reads them in it (`nav_count_columns`) and passes `nav_counts` itself.
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


class ScalarCount(Subquery):
    """`queryset`'s row count as a scalar subquery (COUNT(*) without GROUP BY, so an index
    holding the filtered columns can answer alone)."""

    def __init__(self, queryset):
        # A plain function, not Count: an aggregate in annotate() would GROUP BY the pk.
        rows = Func(template="COUNT(*)", output_field=IntegerField())
        counted = queryset.order_by().annotate(n=rows).values("n")
        super().__init__(counted, output_field=IntegerField())


class AggregateScalarCount(ScalarCount):
    """A ScalarCount that `aggregate()` takes beside real aggregates (it takes nothing else):
    it reads no column of the outer query, so its one value needs no grouping."""

    contains_aggregate = True


def nav_count_columns(prefix="", *, in_aggregate=False):
    """{prefix + name: subquery} of the four counts, for `values()` or (`in_aggregate`)
    `aggregate()`."""
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
    count = AggregateScalarCount if in_aggregate else ScalarCount
    return {prefix + name: count(queryset) for name, queryset in querysets.items()}


def nav_counts_from(row, prefix=""):
    """The counts read by `nav_count_columns(prefix)` from a result row (a dict)."""
    return {name: row[prefix + name] for name in NAV_COUNTS}


def _nav_counts(user):
    # The counts hang on the user's own row: a one-row query with four subqueries.
    return get_user_model().objects.filter(pk=user.pk).values(**nav_count_columns()).first()


def nav_counts(request):
    user = getattr(request, "user", None)
    if user is None or not access.is_recruiter(user):
        return {}
    return {"nav_counts": SimpleLazyObject(lambda: _nav_counts(user))}

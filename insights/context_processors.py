"""The counts beside the recruiter's side navigation (missions, profiles, clients, interviews).

One query for the four, run only when a page draws the navigation (a lazy object), so the
portal, the login page and htmx fragments pay nothing. It lives in the top layer because it
reads every app."""

from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, Subquery
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from candidates.models import Candidate
from interviews.models import Interview, InterviewState
from missions.models import MISSION_FINAL_STATES, Client, Mission
from staffing import access


def _count(queryset):
    """`queryset`'s row count as a scalar subquery (COUNT without GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _nav_counts(user):
    # The counts hang on the user's own row: a one-row query with four subqueries.
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            missions=_count(
                Mission.objects.filter(archived_at__isnull=True).exclude(
                    state__in=MISSION_FINAL_STATES
                )
            ),
            profiles=_count(Candidate.objects.active()),
            clients=_count(Client.objects.filter(is_active=True)),
            interviews=_count(
                Interview.objects.filter(
                    state=InterviewState.SCHEDULED, scheduled_at__gte=timezone.now()
                )
            ),
        )
        .first()
    )


def nav_counts(request):
    user = getattr(request, "user", None)
    if user is None or not access.is_recruiter(user):
        return {}
    return {"nav_counts": SimpleLazyObject(lambda: _nav_counts(user))}

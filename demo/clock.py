"""Time for demo data: every row is written now, but the story it tells spans months."""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.utils import timezone

from candidates.models import ComplianceDocument
from interviews.models import Interview
from missions.models import ComplianceException, Event, Mission, Placement, ShortlistEntry


def moment(today, days_ago, hour=10, minute=0):
    """An aware datetime `days_ago` days before `today`, at a working hour (local time)."""
    day = today - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


# The timestamps the rule functions write with timezone.now() or auto_now(_add).
SERVICE_STAMPS = [
    (Event, ["at"]),
    (Mission, ["created_at", "updated_at", "opened_at"]),
    (ShortlistEntry, ["created_at", "sent_at", "answered_at", "closed_at"]),
    (Interview, ["created_at", "feedback_at"]),
    (Placement, ["created_at"]),
    (ComplianceException, ["at"]),
    (ComplianceDocument, ["uploaded_at", "checked_at"]),
]


class Backdater:
    """Runs a step of the story through the services, then moves every timestamp that step
    wrote to the moment of the past it belongs to.

    Rows stamped earlier carry past moments, so "written since the step started" picks
    exactly this step's rows.
    """

    def __init__(self, *, today, now):
        self.today = today
        self.now = now

    @contextmanager
    def at(self, days_ago, hour=10, minute=0):
        when = min(moment(self.today, days_ago, hour, minute), self.now)
        started = timezone.now()
        yield when
        for model, fields in SERVICE_STAMPS:
            for field in fields:
                model.objects.filter(**{f"{field}__gte": started}).update(**{field: when})

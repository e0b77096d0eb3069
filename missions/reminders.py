"""Shortlists the client has not answered (one of the checks `send_reminders` runs).

A profile sent to the client and still unanswered after SHORTLIST_REMINDER_WORKING_DAYS working
days (Monday to Friday) is flagged to the mission's recruiter, once: one email per mission
listing its newly overdue profiles. The recruiter can then chase the client in one click from
the dashboard (`services.follow_up_client`).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from missions.locking import lock_entries, lock_mission
from missions.models import EntryState, Mission, ShortlistEntry
from staffing.mail import absolute_url, queue_email, render_email

ONE_DAY = timedelta(days=1)
SATURDAY = 5


def add_working_days(day, n):
    """The date `n` working days (Monday to Friday) after `day`."""
    while n > 0:
        day += ONE_DAY
        if day.weekday() < SATURDAY:
            n -= 1
    return day


def overdue_sent_on_or_before(today, n=None):
    """The last day a profile may have been sent on to be unanswered for `n` working days
    today (a weekend sending counts from the Monday)."""
    n = settings.SHORTLIST_REMINDER_WORKING_DAYS if n is None else n
    day = today
    while add_working_days(day, n) > today:
        day -= ONE_DAY
    return day


def overdue_before(today):
    """The moment (start of the next local day) before which a sent profile is overdue."""
    day = overdue_sent_on_or_before(today) + ONE_DAY
    return timezone.make_aware(datetime.combine(day, time.min))


def _due_entries(now):
    return ShortlistEntry.objects.filter(
        state=EntryState.SENT,
        sent_at__lt=overdue_before(timezone.localdate(now)),
        unanswered_reminder_sent_at__isnull=True,
    )


def remind_unanswered_shortlists(*, now):
    """Email each mission's recruiter about profiles overdue for an answer and not flagged
    yet; returns the number of emails queued."""
    mission_ids = _due_entries(now).values_list("mission_id", flat=True).distinct()
    return sum(_remind(mission_id, now) for mission_id in sorted(set(mission_ids)))


@transaction.atomic
def _remind(mission_id, now):
    # The mission, then its due entries, locked in the one order (missions/locking.py), so a
    # selection or a client's answer on the same mission queues behind this run or before
    # it: the entries re-read under the lock are exactly those still due, flagged once, and
    # the email listing them is queued in the same transaction as the marks.
    mission = lock_mission(Mission(pk=mission_id))
    claimed = lock_entries(mission, _due_entries(now))
    ShortlistEntry.objects.filter(pk__in=[entry.pk for entry in claimed]).update(
        unanswered_reminder_sent_at=now
    )
    mission = Mission.objects.select_related("client", "owner").get(pk=mission_id)
    owner = mission.owner
    if not claimed or owner is None or not owner.email:
        return 0
    subject, body = render_email(
        subject_template="emails/shortlist_unanswered_subject.txt",
        body_template="emails/shortlist_unanswered.txt",
        context={
            "mission": mission,
            "entries": claimed,
            "working_days": settings.SHORTLIST_REMINDER_WORKING_DAYS,
            "url": absolute_url(reverse("missions:dashboard")),
        },
    )
    queue_email(to=[owner.email], subject=subject, body=body)
    return 1

"""Shortlists the client has not answered, and placements ending soon (checks that
`send_reminders` runs).

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
from missions.models import RENEWAL_NOTICE_DAYS, EntryState, Mission, Placement, ShortlistEntry
from staffing import access
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


# ---------------------------------------------------------------- placements ending


def _ending_placements(today):
    return Placement.objects.ending_between(
        today, today + timedelta(days=RENEWAL_NOTICE_DAYS)
    ).filter(renewal_reminder_sent_on__isnull=True)


def remind_placements_ending(*, now):
    """Email the recruiters of each placement that ends within RENEWAL_NOTICE_DAYS and was
    not announced yet, so they ask the client about a renewal in time; returns the number
    of emails queued."""
    today = timezone.localdate(now)
    pks = list(_ending_placements(today).order_by("end", "pk").values_list("pk", flat=True))
    return sum(_remind_placement(pk, today) for pk in pks)


def _placement_recipients(placement):
    """The mission's recruiter and the profile's; every recruiter when neither has an email."""
    owners = [placement.mission.owner, placement.candidate.owner]
    emails = sorted({user.email for user in owners if user is not None and user.email})
    return emails or sorted({user.email for user in access.recruiters() if user.email})


@transaction.atomic
def _remind_placement(pk, today):
    # Claimed by one conditional UPDATE (see `candidates.reminders._remind`): of two runs at
    # once, one marks the row and queues the email in the same transaction.
    if not _ending_placements(today).filter(pk=pk).update(renewal_reminder_sent_on=today):
        return 0
    placement = Placement.objects.select_related(
        "candidate__owner", "mission__client", "mission__owner"
    ).get(pk=pk)
    recipients = _placement_recipients(placement)
    if not recipients:
        return 0
    subject, body = render_email(
        subject_template="emails/placement_ending_subject.txt",
        body_template="emails/placement_ending.txt",
        context={
            "placement": placement,
            "days": placement.days_left(today),
            "url": absolute_url(placement.get_absolute_url()),
        },
    )
    queue_email(to=recipients, subject=subject, body=body)
    return 1

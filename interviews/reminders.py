"""Scheduled work: the reminders, and the task that runs every app's check.

`send_reminders` lives here, in the top domain app, because it runs the checks of the apps
below (which may not import this one). It is idempotent — each check marks what it reminded
of in the transaction that queues the email — so running it again, or twice at once, sends
nothing twice. `manage.py send_reminders` runs it now; `manage.py reminder_clock` enqueues it
periodically for the task worker (docs/deploy.md, "Scheduled work").
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from candidates.reminders import remind_expiring_documents, remind_stale_availability
from interviews.models import INTERVIEW_CAP, Interview, InterviewState
from missions.reminders import remind_placements_ending, remind_unanswered_shortlists
from staffing.mail import absolute_url, queue_email, render_email

FEEDBACK_DUE_AFTER = timedelta(hours=48)


def _feedback_due(now):
    # Still scheduled (recording the feedback makes it done) and not reminded for its current
    # slot: a reminder older than `scheduled_at` was for a slot it has been moved from.
    return Interview.objects.filter(
        Q(feedback_reminder_sent_at__isnull=True)
        | Q(feedback_reminder_sent_at__lt=F("scheduled_at")),
        state=InterviewState.SCHEDULED,
        feedback_at__isnull=True,
        scheduled_at__lte=now - FEEDBACK_DUE_AFTER,
    )


def remind_missing_feedback(*, now):
    """Email the attending recruiter (or the mission's owner) of each interview past for 48 h
    without feedback; returns the number of emails queued."""
    pks = list(_feedback_due(now).order_by("scheduled_at", "pk").values_list("pk", flat=True))
    return sum(_remind_feedback(pk, now) for pk in pks)


@transaction.atomic
def _remind_feedback(pk, now):
    # Claimed by one conditional UPDATE (see `candidates.reminders._remind`).
    if not _feedback_due(now).filter(pk=pk).update(feedback_reminder_sent_at=now):
        return 0
    interview = Interview.objects.select_related(
        "recruiter", "entry__candidate", "entry__mission__client", "entry__mission__owner"
    ).get(pk=pk)
    person = interview.recruiter or interview.entry.mission.owner
    if person is None or not person.email:
        return 0
    subject, body = render_email(
        subject_template="emails/feedback_reminder_subject.txt",
        body_template="emails/feedback_reminder.txt",
        context={
            "interview": interview,
            "interview_cap": INTERVIEW_CAP,
            "url": absolute_url(reverse("interviews:feedback", args=[pk])),
        },
    )
    queue_email(to=[person.email], subject=subject, body=body)
    return 1


def run_reminders(*, now=None):
    """Run every reminder check once; returns {check: emails queued}."""
    now = now or timezone.now()
    return {
        "missing_feedback": remind_missing_feedback(now=now),
        "unanswered_shortlists": remind_unanswered_shortlists(now=now),
        "stale_availability": remind_stale_availability(now=now),
        "placements_ending": remind_placements_ending(now=now),
        "expiring_documents": remind_expiring_documents(now=now),
    }


@task
def send_reminders():
    """The reminders as a task, for the worker (enqueued by `manage.py reminder_clock`)."""
    return run_reminders()

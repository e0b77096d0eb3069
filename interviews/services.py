"""Write operations on interviews. `schedule_interview` is the only way one is created (R2)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews import notifications
from interviews.models import (
    INTERVIEW_CAP,
    INTERVIEW_TRANSITIONS,
    Interview,
    InterviewFailureCause,
    InterviewState,
)
from missions import services as mission_services
from missions.locking import lock_entry, lock_interview, lock_interviews
from missions.models import EntryState, Event

SCHEDULABLE_ENTRY_STATES = (
    EntryState.SENT,
    EntryState.INTERVIEW_REQUESTED,
    EntryState.INTERVIEWING,
)


@transaction.atomic
def schedule_interview(*, entry, by, scheduled_at, **fields):
    """Schedule interview n of 3 for a sent profile (R2: a fourth is refused).

    The entry row is locked (after its mission), so two recruiters scheduling at once count
    committed rows.
    """
    entry = lock_entry(entry)
    if entry.state not in SCHEDULABLE_ENTRY_STATES:
        raise ValidationError(
            _("Interviews can be scheduled only for a profile sent to the client (now: %(s)s).")
            % {"s": EntryState(entry.state).label},
            code="entry_not_schedulable",
        )
    taken = set(entry.interviews.counted().values_list("number", flat=True))
    if len(taken) >= INTERVIEW_CAP:
        raise ValidationError(
            _("%(name)s already has %(cap)s interviews for this mission: no fourth one.")
            % {"name": entry.candidate.full_name, "cap": INTERVIEW_CAP},
            code="interviews_full",
        )
    interview = Interview.objects.create(
        entry=entry,
        number=min(set(range(1, INTERVIEW_CAP + 1)) - taken),
        scheduled_at=scheduled_at,
        **fields,
    )
    mission_services.start_interviewing(entry=entry, by=by)
    mission_services.record_event(
        mission=entry.mission,
        entry=entry,
        by=by,
        subject=Event.Subject.INTERVIEW,
        to_state=interview.state,
        code="interview_scheduled",
        params={"n": interview.number, "cap": INTERVIEW_CAP, "name": entry.candidate.full_name},
    )
    notifications.interview_scheduled(interview)
    return interview


def _move(interview, to, *, by, note=""):
    if to not in INTERVIEW_TRANSITIONS[InterviewState(interview.state)]:
        raise ValidationError(
            _("An interview cannot go from “%(from)s” to “%(to)s”."),
            code="illegal_transition",
            params={
                "from": InterviewState(interview.state).label,
                "to": InterviewState(to).label,
            },
        )
    from_state = interview.state
    interview.state = to
    interview.save()
    mission_services.record_event(
        mission=interview.entry.mission,
        entry=interview.entry,
        by=by,
        subject=Event.Subject.INTERVIEW,
        from_state=from_state,
        to_state=to,
        code="interview_state",
        params={"n": interview.number, "state": str(to)},
        note=note,
    )
    return interview


def _cancel(interview, *, by, note):
    """Cancel a locked interview and send the cancellation to everyone invited. The note
    stays on the timeline: it may say why, which is not for the client or the freelancer."""
    interview.sequence += 1  # a CANCEL must outrank the last REQUEST in the calendars
    _move(interview, InterviewState.CANCELLED, by=by, note=note)  # checks, then saves both
    notifications.interview_cancelled(interview)
    return interview


@transaction.atomic
def cancel_interview(*, interview, by, note=""):
    """Cancel a scheduled interview: it no longer counts towards the three."""
    return _cancel(lock_interview(interview), by=by, note=note)


@transaction.atomic
def mark_no_show(*, interview, by, note=""):
    return _move(lock_interview(interview), InterviewState.NO_SHOW, by=by, note=note)


@transaction.atomic
def reschedule_interview(*, interview, by, scheduled_at, **fields):
    """Move a scheduled interview (time, place…) and send the updated invitation."""
    interview = lock_interview(interview)
    if interview.state != InterviewState.SCHEDULED:
        raise ValidationError(
            _("Only a scheduled interview can be moved."), code="illegal_transition"
        )
    previous = interview.scheduled_at
    interview.scheduled_at = scheduled_at
    for name, value in fields.items():
        setattr(interview, name, value)
    interview.sequence += 1  # the calendars replace the event only for a higher SEQUENCE
    interview.save()
    mission_services.record_event(
        mission=interview.entry.mission,
        entry=interview.entry,
        by=by,
        subject=Event.Subject.INTERVIEW,
        code="interview_moved",
        params={"n": interview.number},
        note=f"{timezone.localtime(previous):%d/%m/%Y %H:%M} → "
        f"{timezone.localtime(scheduled_at):%d/%m/%Y %H:%M}",
    )
    notifications.interview_rescheduled(interview, previous)
    return interview


@transaction.atomic
def record_feedback(*, interview, by, causes=(), **feedback):
    """Record the attending recruiter's feedback: hard skills, soft skills, verdict, causes.

    A scheduled interview becomes done; a done one can have its feedback corrected.
    """
    interview = lock_interview(interview)
    if interview.state not in (InterviewState.SCHEDULED, InterviewState.DONE):
        raise ValidationError(
            _("Feedback can be recorded only for an interview that took place."),
            code="illegal_transition",
        )
    for name, value in feedback.items():
        setattr(interview, name, value)
    interview.feedback_at = timezone.now()
    if interview.state == InterviewState.SCHEDULED:
        _move(interview, InterviewState.DONE, by=by)
    else:
        interview.save()
    interview.causes.exclude(cause__in=causes).delete()
    existing = set(interview.causes.values_list("cause", flat=True))
    InterviewFailureCause.objects.bulk_create(
        InterviewFailureCause(interview=interview, cause=c) for c in causes if c not in existing
    )
    return interview


def client_feedback_open(interview, *, now=None):
    """A client gives feedback once the interview took place: done, or its time has passed."""
    now = now or timezone.now()
    if interview.state == InterviewState.DONE:
        return True
    return interview.state == InterviewState.SCHEDULED and interview.scheduled_at <= now


@transaction.atomic
def record_client_feedback(*, interview, by, text):
    """The client contact's feedback on an interview that took place (portal).

    Locked through the one lock order (mission → entry → interview), like the recruiter's
    feedback on the same interview, so the two queue up instead of deadlocking.
    """
    interview = lock_interview(interview)
    if not client_feedback_open(interview):
        raise ValidationError(
            _("You can give your feedback once the interview has taken place."),
            code="feedback_not_open",
        )
    first_time = not interview.client_feedback
    interview.client_feedback = text
    interview.client_feedback_at = timezone.now()
    interview.save(update_fields=["client_feedback", "client_feedback_at"])
    code = "client_feedback" if first_time else "client_feedback_updated"
    mission_services.record_event(
        mission=interview.entry.mission,
        entry=interview.entry,
        by=by,
        subject=Event.Subject.INTERVIEW,
        code=code,
        params={"n": interview.number},
        note=text,
    )
    return interview


def cancel_scheduled_interviews(*, entry, by, note):
    """R8: an entry left the process, so its scheduled interviews are cancelled, each with a
    timeline step saying why and the cancellation sent to everyone invited. Runs inside the
    caller's transaction, the entry already locked (registered with
    `missions.services.on_entry_closed` by `InterviewsConfig.ready`)."""
    scheduled = Interview.objects.filter(state=InterviewState.SCHEDULED)
    for interview in lock_interviews(entry, scheduled):
        _cancel(interview, by=by, note=note)

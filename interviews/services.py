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
    InterviewSkillRating,
    InterviewState,
)
from missions import notifications as mission_notifications
from missions import services as mission_services
from missions.locking import lock_entry, lock_interview, lock_interviews
from missions.models import EntryState, Event

SCHEDULABLE_ENTRY_STATES = (
    EntryState.SENT,
    EntryState.INTERVIEW_REQUESTED,
    EntryState.INTERVIEWING,
)


def _places_taken(entry):
    """R2: the interviews that count, and a follow-up the client asked for and nobody has
    scheduled yet (it will be one of them)."""
    return entry.interviews.counted().count() + (1 if entry.follow_up_requested_at else 0)


@transaction.atomic
def request_interview(*, entry, by, slots=""):
    """The client asks to meet a profile (portal), proposing slots.

    On a sent profile it is the first interview (`missions.services.request_interview`).
    While interviewing it is a follow-up, interview n of INTERVIEW_CAP: refused at the cap
    (`interviews_full`) and while an earlier request waits for its slot
    (`follow_up_pending`). Decided on the locked entry, so two clicks make one request.
    Returns the number of the interview asked for.
    """
    entry = lock_entry(entry)
    if entry.state != EntryState.INTERVIEWING:
        mission_services.request_interview(entry=entry, by=by, slots=slots)
        return 1
    if entry.follow_up_requested_at is not None:
        raise ValidationError(
            _(
                "You already asked for another interview with %(name)s: your recruiter is "
                "arranging it."
            )
            % {"name": entry.candidate.client_display_name},
            code="follow_up_pending",
        )
    number = _places_taken(entry) + 1
    if number > INTERVIEW_CAP:
        raise ValidationError(
            _(
                "%(name)s has had %(cap)s interviews for this mission, the most there can be: "
                "select the profile or decline it."
            )
            % {"name": entry.candidate.client_display_name, "cap": INTERVIEW_CAP},
            code="interviews_full",
        )
    entry.follow_up_requested_at = timezone.now()
    entry.interview_slots = slots
    entry.save(update_fields=["follow_up_requested_at", "interview_slots"])
    mission_services.record_event(
        mission=entry.mission,
        entry=entry,
        by=by,
        subject=Event.Subject.INTERVIEW,
        code="follow_up_requested",
        params={"n": number, "cap": INTERVIEW_CAP, "name": entry.candidate.full_name},
        note=slots,
    )
    mission_notifications.client_answered(
        entry.pk, follow_up_number=number, interview_cap=INTERVIEW_CAP
    )
    return number


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
    # A follow-up the client asked for holds a place (`request_interview`): this interview
    # is the one it asked for, so it is not counted twice.
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
    if entry.follow_up_requested_at is not None:
        entry.follow_up_requested_at = None  # the request is answered
        entry.save(update_fields=["follow_up_requested_at"])
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


def _check_feedback_open(interview):
    if interview.state not in (InterviewState.SCHEDULED, InterviewState.DONE):
        raise ValidationError(
            _("Feedback can be recorded only for an interview that took place."),
            code="illegal_transition",
        )


def _check_skills_of_the_demand(interview, skill_ratings):
    asked = set(interview.entry.mission.skills.values_list("skill_id", flat=True))
    if set(skill_ratings) - asked:
        raise ValidationError(
            _("Only the skills of the mission's demand can be rated; reload the page."),
            code="skill_not_in_demand",
        )


@transaction.atomic
def record_feedback(*, interview, by, causes=(), skill_ratings=None, **feedback):
    """Record the attending recruiter's feedback: each skill of the demand, the overall hard
    skills, soft skills, the verdict and the causes. `skill_ratings` maps a skill's id to
    its (rating, notes).

    A scheduled interview becomes done; a done one can have its feedback corrected. A draft
    saved earlier is replaced by this feedback.
    """
    interview = lock_interview(interview)
    _check_feedback_open(interview)
    skill_ratings = skill_ratings or {}
    _check_skills_of_the_demand(interview, skill_ratings)
    for name, value in feedback.items():
        setattr(interview, name, value)
    interview.feedback_at = timezone.now()
    interview.feedback_draft = None
    interview.feedback_draft_at = None
    if interview.state == InterviewState.SCHEDULED:
        _move(interview, InterviewState.DONE, by=by)
    else:
        interview.save()
    interview.causes.exclude(cause__in=causes).delete()
    existing = set(interview.causes.values_list("cause", flat=True))
    InterviewFailureCause.objects.bulk_create(
        InterviewFailureCause(interview=interview, cause=c) for c in causes if c not in existing
    )
    _save_skill_ratings(interview, skill_ratings)
    # The verdict and its causes on the timeline: why profiles fail is what the agency learns
    # from (stored as codes, put into words for each reader).
    mission_services.record_event(
        mission=interview.entry.mission,
        entry=interview.entry,
        by=by,
        subject=Event.Subject.INTERVIEW,
        code="interview_feedback",
        params={"n": interview.number, "verdict": interview.verdict or ""},
        note_code="failure_causes" if causes else "",
        note_params={"causes": sorted(causes)} if causes else {},
    )
    return interview


def _save_skill_ratings(interview, skill_ratings):
    # Rows owned by the feedback, with no history of their own: replaced as a whole.
    interview.skill_ratings.all().delete()
    InterviewSkillRating.objects.bulk_create(
        InterviewSkillRating(interview=interview, skill_id=skill_id, rating=rating, notes=notes)
        for skill_id, (rating, notes) in skill_ratings.items()
        if rating is not None or notes
    )


@transaction.atomic
def save_feedback_draft(*, interview, by, causes=(), skill_ratings=None, **feedback):
    """Keep the feedback typed so far, to finish it later (same arguments as
    `record_feedback`). A draft is no feedback yet: the interview stays scheduled, and no
    verdict, rating or cause is recorded until the feedback is saved for good."""
    interview = lock_interview(interview)
    _check_feedback_open(interview)
    if interview.state == InterviewState.DONE:
        raise ValidationError(
            _("The feedback of this interview is already recorded: save your changes to it."),
            code="feedback_already_recorded",
        )
    skill_ratings = skill_ratings or {}
    _check_skills_of_the_demand(interview, skill_ratings)
    interview.feedback_draft = {
        **feedback,
        "causes": list(causes),
        # JSON keys are strings: the form reads them back as skill ids.
        "skills": {
            str(skill_id): {"rating": rating, "notes": notes}
            for skill_id, (rating, notes) in skill_ratings.items()
        },
    }
    interview.feedback_draft_at = timezone.now()
    interview.save(update_fields=["feedback_draft", "feedback_draft_at"])
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

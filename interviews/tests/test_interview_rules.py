"""R2 (three interviews per profile per mission) through the service and the database
backstops, the moves scheduling triggers, and the recruiter's feedback."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews import services
from interviews.models import Interview, InterviewState, Verdict
from missions import services as mission_services
from missions.models import EntryState, Event, FailureCause, MissionState


@pytest.fixture
def entry(mission_a, candidate, recruiter):
    """A profile sent to the client of mission_a."""
    entry = mission_services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter
    )
    entry.report = "Strong on Django and PostgreSQL."
    entry.save(update_fields=["report"])
    mission_services.send_shortlist(mission=mission_a, by=recruiter)
    entry.refresh_from_db()
    return entry


def schedule(entry, by, days=3, **fields):
    return services.schedule_interview(
        entry=entry, by=by, scheduled_at=timezone.now() + timedelta(days=days), **fields
    )


def test_interviews_are_numbered_one_two_three(entry, recruiter):
    numbers = [schedule(entry, recruiter, days=d).number for d in (1, 2, 3)]

    assert numbers == [1, 2, 3]


def test_a_fourth_interview_is_refused_and_nothing_is_saved(entry, recruiter):
    for days in (1, 2, 3):
        schedule(entry, recruiter, days=days)
    events_before = Event.objects.count()

    with pytest.raises(ValidationError) as refused:
        schedule(entry, recruiter, days=4)

    assert refused.value.code == "interviews_full"
    assert entry.interviews.count() == 3
    assert Event.objects.count() == events_before


def test_a_cancelled_interview_frees_its_number_for_a_new_one(entry, recruiter):
    first, second, third = (schedule(entry, recruiter, days=d) for d in (1, 2, 3))
    services.cancel_interview(interview=second, by=recruiter, note="Client unavailable")

    replacement = schedule(entry, recruiter, days=5)

    assert replacement.number == 2
    assert entry.interviews.counted().count() == 3
    assert entry.interviews.count() == 4, "the cancelled interview stays in the history"


def test_a_no_show_still_counts_towards_the_three(entry, recruiter):
    interviews = [schedule(entry, recruiter, days=d) for d in (1, 2, 3)]
    services.mark_no_show(interview=interviews[0], by=recruiter)

    with pytest.raises(ValidationError) as refused:
        schedule(entry, recruiter, days=4)

    assert refused.value.code == "interviews_full"


def test_the_cap_is_per_profile_and_mission(mission_a, candidates, recruiter):
    entries = [
        mission_services.shortlist_candidate(mission=mission_a, candidate=c, by=recruiter)
        for c in candidates[:2]
    ]
    mission_a.shortlist.update(report="Ok")
    mission_services.send_shortlist(mission=mission_a, by=recruiter)
    for days in (1, 2, 3):
        schedule(entries[0], recruiter, days=days)

    assert schedule(entries[1], recruiter).number == 1


def test_scheduling_moves_the_entry_and_the_mission_to_interviewing(entry, mission_a, recruiter):
    interview = schedule(entry, recruiter, kind="technical", place="Lyon, Part-Dieu")

    entry.refresh_from_db()
    mission_a.refresh_from_db()
    assert entry.state == EntryState.INTERVIEWING
    assert mission_a.state == MissionState.INTERVIEWING
    assert entry.events.filter(
        from_state=EntryState.SENT, to_state=EntryState.INTERVIEWING, author=recruiter
    ).exists()
    assert mission_a.events.filter(
        subject=Event.Subject.MISSION, to_state=MissionState.INTERVIEWING
    ).exists()
    assert mission_a.events.filter(
        subject=Event.Subject.INTERVIEW, to_state=InterviewState.SCHEDULED, author=recruiter
    ).exists()
    assert (interview.state, interview.kind) == (InterviewState.SCHEDULED, "technical")


def test_a_requested_interview_moves_to_interviewing_when_scheduled(entry, recruiter, alice):
    mission_services.request_interview(entry=entry, by=alice, slots="Monday")

    schedule(entry, recruiter)

    entry.refresh_from_db()
    assert entry.state == EntryState.INTERVIEWING


def test_a_proposed_entry_cannot_have_an_interview(mission_a, candidate, recruiter):
    draft = mission_services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter
    )

    with pytest.raises(ValidationError) as refused:
        schedule(draft, recruiter)

    assert refused.value.code == "entry_not_schedulable"
    assert not Interview.objects.exists()


def test_a_declined_entry_cannot_have_an_interview(entry, alice, recruiter):
    mission_services.decline_entry(entry=entry, by=alice, reason=FailureCause.TECHNICAL_LEVEL)

    with pytest.raises(ValidationError) as refused:
        schedule(entry, recruiter)

    assert refused.value.code == "entry_not_schedulable"
    assert not Interview.objects.exists()


def test_feedback_is_recorded_hard_skills_first_with_verdict_and_causes(entry, recruiter):
    interview = schedule(entry, recruiter)

    services.record_feedback(
        interview=interview,
        by=recruiter,
        hard_skills_rating=4,
        hard_skills_notes="Clean ORM usage",
        soft_skills_rating=2,
        soft_skills_notes="Hesitant when challenged",
        verdict=Verdict.NO_GO,
        causes=[FailureCause.SOFT_SKILLS, FailureCause.RATE_TOO_HIGH],
        failure_notes="Asked 100 € more than announced",
    )

    interview.refresh_from_db()
    assert interview.state == InterviewState.DONE
    assert (interview.hard_skills_rating, interview.hard_skills_notes) == (4, "Clean ORM usage")
    assert (interview.soft_skills_rating, interview.soft_skills_notes) == (
        2,
        "Hesitant when challenged",
    )
    assert interview.verdict == Verdict.NO_GO
    assert interview.failure_notes == "Asked 100 € more than announced"
    assert interview.feedback_at is not None
    assert set(interview.causes.values_list("cause", flat=True)) == {"soft_skills", "rate_too_high"}
    assert entry.events.filter(
        subject=Event.Subject.INTERVIEW, to_state=InterviewState.DONE, author=recruiter
    ).exists()


def test_corrected_feedback_replaces_the_causes(entry, recruiter):
    interview = schedule(entry, recruiter)
    services.record_feedback(
        interview=interview, by=recruiter, verdict=Verdict.NO_GO, causes=["technical_level"]
    )

    services.record_feedback(
        interview=interview, by=recruiter, verdict=Verdict.UNDECIDED, causes=["availability"]
    )

    interview.refresh_from_db()
    assert interview.verdict == Verdict.UNDECIDED
    assert list(interview.causes.values_list("cause", flat=True)) == ["availability"]


def test_a_cancelled_interview_takes_no_feedback(entry, recruiter):
    interview = schedule(entry, recruiter)
    services.cancel_interview(interview=interview, by=recruiter)

    with pytest.raises(ValidationError) as refused:
        services.record_feedback(interview=interview, by=recruiter, verdict=Verdict.GO)

    assert refused.value.code == "illegal_transition"
    interview.refresh_from_db()
    assert interview.verdict == ""


def test_a_done_interview_cannot_be_cancelled(entry, recruiter):
    interview = schedule(entry, recruiter)
    services.record_feedback(interview=interview, by=recruiter, verdict=Verdict.GO)

    with pytest.raises(ValidationError) as refused:
        services.cancel_interview(interview=interview, by=recruiter)

    assert refused.value.code == "illegal_transition"
    interview.refresh_from_db()
    assert interview.state == InterviewState.DONE


# Database backstops: writes that bypass `schedule_interview`.


def orm_interview(entry, number, state=InterviewState.SCHEDULED):
    return Interview.objects.create(
        entry=entry, number=number, state=state, scheduled_at=timezone.now()
    )


@pytest.fixture
def full_entry(entry):
    for number in (1, 2, 3):
        orm_interview(entry, number)
    return entry


def test_the_database_refuses_a_fourth_interview_numbered_four(full_entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        orm_interview(full_entry, 4)

    assert full_entry.interviews.count() == 3


def test_the_database_refuses_a_fourth_interview_reusing_a_number(full_entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        orm_interview(full_entry, 1)

    assert full_entry.interviews.count() == 3


def test_the_database_lets_a_cancelled_interview_free_its_number(full_entry):
    Interview.objects.filter(entry=full_entry, number=2).update(state=InterviewState.CANCELLED)

    orm_interview(full_entry, 2)
    orm_interview(full_entry, 3, state=InterviewState.CANCELLED)

    assert full_entry.interviews.counted().count() == 3


def test_the_database_refuses_a_verdict_on_an_interview_not_done(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(
            entry=entry, number=1, scheduled_at=timezone.now(), verdict=Verdict.GO
        )

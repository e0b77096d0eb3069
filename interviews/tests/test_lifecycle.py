"""R8: when a profile leaves the process, its scheduled interviews are cancelled with it, and
the timeline says why; interviews that took place stay as they were."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import Interview, InterviewState, Verdict
from missions import services as mission_services
from missions.models import Event, FailureCause, MissionState
from tests.factories import CandidateFactory


@pytest.fixture
def two_sent(mission_a, recruiter):
    """Two profiles sent to the client of mission_a; the first has interview 1 scheduled."""
    entries = [
        mission_services.shortlist_candidate(
            mission=mission_a, candidate=CandidateFactory(day_rate=500), by=recruiter
        )
        for _ in range(2)
    ]
    mission_a.shortlist.update(report="Strong on Django.")
    mission_services.send_shortlist(mission=mission_a, by=recruiter)
    for entry in entries:
        entry.refresh_from_db()
    return entries


def schedule(entry, by, days=2):
    return services.schedule_interview(
        entry=entry, by=by, scheduled_at=timezone.now() + timedelta(days=days)
    )


# How the first entry leaves, and the state it is named by in the interview's timeline note.
LEAVINGS = {
    "withdrawn": (
        lambda first, second, by: mission_services.withdraw_entry(
            entry=first, by=by, reason=FailureCause.CANDIDATE_WITHDREW
        ),
        "withdrawn",
    ),
    "not retained": (
        lambda first, second, by: mission_services.mark_not_retained(entry=first, by=by),
        "not retained",
    ),
    "another profile selected": (
        lambda first, second, by: mission_services.select_candidate(entry=second, by=by),
        "not retained",
    ),
    "mission cancelled": (
        lambda first, second, by: mission_services.transition_mission(
            mission=first.mission, to=MissionState.CANCELLED, by=by, note="Budget frozen"
        ),
        "not retained",
    ),
    "mission lost": (
        lambda first, second, by: mission_services.transition_mission(
            mission=first.mission, to=MissionState.LOST, by=by, note="Another agency won"
        ),
        "not retained",
    ),
}


@pytest.mark.parametrize("leaving", LEAVINGS)
def test_a_profile_that_leaves_has_its_scheduled_interview_cancelled_on_the_timeline(
    leaving, two_sent, recruiter
):
    first, second = two_sent
    interview = schedule(first, recruiter)
    leave, state_named = LEAVINGS[leaving]

    leave(first, second, recruiter)

    interview.refresh_from_db()
    assert interview.state == InterviewState.CANCELLED
    step = Event.objects.get(
        entry=first, subject=Event.Subject.INTERVIEW, to_state=InterviewState.CANCELLED
    )
    assert (step.from_state, step.author) == (InterviewState.SCHEDULED, recruiter)
    assert step.note == f"The profile left the process: {state_named}."


def test_a_client_declining_after_interviews_cancels_the_next_one(
    client, alice, two_sent, recruiter
):
    first, _second = two_sent
    interview = schedule(first, recruiter)
    client.force_login(alice)

    client.post(
        reverse("portal:decline", args=[first.pk]), {"reason": FailureCause.TECHNICAL_LEVEL}
    )

    interview.refresh_from_db()
    assert interview.state == InterviewState.CANCELLED
    step = Event.objects.get(subject=Event.Subject.INTERVIEW, to_state=InterviewState.CANCELLED)
    assert (step.author, step.note) == (alice, "The profile left the process: not retained.")


def test_an_interview_that_took_place_is_left_as_it_was(two_sent, recruiter):
    first, _second = two_sent
    done = schedule(first, recruiter, days=1)
    services.record_feedback(interview=done, by=recruiter, verdict=Verdict.NO_GO)
    no_show = schedule(first, recruiter, days=2)
    services.mark_no_show(interview=no_show, by=recruiter)
    upcoming = schedule(first, recruiter, days=3)

    mission_services.withdraw_entry(entry=first, by=recruiter, reason=FailureCause.AVAILABILITY)

    states = dict(Interview.objects.filter(entry=first).values_list("pk", "state"))
    assert states == {
        done.pk: InterviewState.DONE,
        no_show.pk: InterviewState.NO_SHOW,
        upcoming.pk: InterviewState.CANCELLED,
    }
    cancelled_steps = Event.objects.filter(to_state=InterviewState.CANCELLED)
    assert cancelled_steps.count() == 1


def test_the_selected_profiles_scheduled_interview_stays_scheduled(two_sent, recruiter):
    first, second = two_sent
    kept = schedule(second, recruiter)

    mission_services.select_candidate(entry=second, by=recruiter)

    kept.refresh_from_db()
    assert kept.state == InterviewState.SCHEDULED


def test_a_cancelled_interview_no_longer_shows_as_the_next_one_in_the_portal(
    client, alice, two_sent, recruiter
):
    first, _second = two_sent
    schedule(first, recruiter)
    mission_services.withdraw_entry(entry=first, by=recruiter, reason=FailureCause.AVAILABILITY)
    client.force_login(alice)

    response = client.get(reverse("portal:interviews"))

    assert list(response.context["upcoming"]) == []

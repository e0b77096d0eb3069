"""The interview rules written out literally: the legal moves, the cap of three (R2) and what
counts towards it, and the cap as every text shows it (pages, email, calendar invitation).

The expected side is typed here, never read from the code's own tables."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews import services
from interviews.calendar import invitation
from interviews.models import (
    INTERVIEW_CAP,
    INTERVIEW_TRANSITIONS,
    Interview,
    counts_towards_cap,
)
from missions import services as mission_services

INTERVIEW_MOVES = {
    "scheduled": {"done", "cancelled", "no_show"},
    "done": set(),
    "cancelled": set(),
    "no_show": set(),
}


@pytest.fixture
def entry(mission_a, candidate, recruiter, alice):
    """A profile sent to mission_a's client (alice is one of its contacts)."""
    entry = mission_services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter
    )
    entry.report = "Strong on Django and PostgreSQL."
    entry.save(update_fields=["report"])
    mission_services.send_shortlist(mission=mission_a, by=recruiter)
    entry.refresh_from_db()
    return entry


def schedule(entry, by, days=3):
    return services.schedule_interview(
        entry=entry, by=by, scheduled_at=timezone.now() + timedelta(days=days)
    )


def test_an_interview_moves_only_along_the_written_map():
    moves = {str(s): {str(to) for to in tos} for s, tos in INTERVIEW_TRANSITIONS.items()}

    assert moves == INTERVIEW_MOVES


def test_the_interview_cap_is_three():
    assert INTERVIEW_CAP == 3


def test_every_interview_counts_towards_the_cap_but_a_cancelled_one():
    counted = {state for state in INTERVIEW_MOVES if counts_towards_cap(state)}

    assert counted == {"scheduled", "done", "no_show"}


def test_the_fourth_interview_is_refused_until_one_is_cancelled(entry, recruiter):
    first, _second, _third = (schedule(entry, recruiter, days=d) for d in (1, 2, 3))

    with pytest.raises(ValidationError) as refused:
        schedule(entry, recruiter, days=4)
    assert refused.value.code == "interviews_full"
    assert entry.interviews.counted().count() == 3

    services.cancel_interview(interview=first, by=recruiter)
    assert schedule(entry, recruiter, days=4).number == 1
    assert entry.interviews.counted().count() == 3
    assert Interview.objects.filter(entry=entry).count() == 4


def test_the_invitation_and_the_calendar_say_interview_n_of_three(
    entry, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(entry, recruiter)

    assert f"({interview.number}/3)" in invitation(interview)
    client_email, freelancer_email = mail.outbox
    assert "of 3" in client_email.subject
    assert f"Interview {interview.number} of 3" in client_email.body
    assert f"interview {interview.number} of 3" in freelancer_email.body

"""The timeline says why a profile left a process, and a selection closes the others as
"not retained" (never as a withdrawal nobody made)."""

import pytest
from django.urls import reverse

from missions import services
from missions.models import EntryState, Event, FailureCause


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def positioned(mission, candidate, by):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    entry.report = "Solid Django background."
    entry.client_rate = 640
    entry.save()
    return entry


def test_a_decline_records_its_cause_on_the_timeline_step(mission_a, candidate, recruiter, alice):
    entry = positioned(mission_a, candidate, recruiter)
    services.send_shortlist(mission=mission_a, by=recruiter)

    services.decline_entry(entry=entry, by=alice, reason=FailureCause.RATE_TOO_HIGH)

    step = Event.objects.get(entry=entry, to_state=EntryState.DECLINED)
    assert step.cause == "rate_too_high"


def test_the_mission_timeline_shows_the_cause_in_words(desk, mission_a, candidate, recruiter):
    entry = positioned(mission_a, candidate, recruiter)
    services.send_shortlist(mission=mission_a, by=recruiter)
    services.withdraw_entry(entry=entry, by=recruiter, reason=FailureCause.CANDIDATE_WITHDREW)

    body = desk.get(reverse("missions:detail", args=[mission_a.pk])).content.decode()

    assert "Cause: Candidate withdrew or took another mission" in body


def test_a_selection_closes_a_never_sent_profile_as_not_retained_by_the_agency(
    mission_a, candidates, recruiter, alice
):
    chosen = positioned(mission_a, candidates[0], recruiter)
    services.send_shortlist(mission=mission_a, by=recruiter)
    draft = positioned(mission_a, candidates[1], recruiter)

    services.select_candidate(entry=chosen, by=alice)

    draft.refresh_from_db()
    assert (draft.state, draft.ended_by) == ("not_retained", "agency")
    assert not Event.objects.filter(entry=draft, to_state="withdrawn").exists()


def test_a_draft_cannot_be_marked_not_retained_by_hand(mission_a, candidate, recruiter):
    draft = positioned(mission_a, candidate, recruiter)

    with pytest.raises(services.ValidationError) as refused:
        services.mark_not_retained(entry=draft, by=recruiter)

    assert refused.value.code == "illegal_transition"
    draft.refresh_from_db()
    assert draft.state == EntryState.PROPOSED
    assert draft.ended_by == ""

"""R1 (four active profiles per shortlist, each profile once) and R7 (confirm before a blind
double positioning), through the service and through the database backstops."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from missions import services
from missions.models import (
    EntryState,
    Event,
    FailureCause,
    MissionState,
    ShortlistEntry,
)
from tests.factories import CandidateFactory, MissionFactory


def shortlist(mission, candidate, by, **kwargs):
    return services.shortlist_candidate(mission=mission, candidate=candidate, by=by, **kwargs)


def send(entry, by):
    """Send the whole shortlist of the entry's mission, reports written."""
    entry.mission.shortlist.filter(state=EntryState.PROPOSED).update(report="Solid profile.")
    services.send_shortlist(mission=entry.mission, by=by)
    entry.refresh_from_db()
    return entry


def fill_shortlist(mission, candidates, by):
    return [shortlist(mission, c, by) for c in candidates[:4]]


def test_a_mission_takes_four_profiles_with_slots_one_to_four(mission_a, candidates, recruiter):
    entries = fill_shortlist(mission_a, candidates, recruiter)

    assert sorted(e.slot for e in entries) == [1, 2, 3, 4]
    assert mission_a.shortlist.active().count() == 4


def test_the_fifth_active_profile_is_refused_and_nothing_is_saved(mission_a, candidates, recruiter):
    fill_shortlist(mission_a, candidates, recruiter)
    events_before = Event.objects.count()

    with pytest.raises(ValidationError) as refused:
        shortlist(mission_a, candidates[4], recruiter)

    assert refused.value.code == "shortlist_full"
    assert ShortlistEntry.objects.count() == 4
    assert Event.objects.count() == events_before


@pytest.mark.parametrize("leave", ["declined", "withdrawn", "not_retained"])
def test_a_profile_that_leaves_frees_its_slot_for_another(
    leave, mission_a, candidates, recruiter, alice
):
    entries = fill_shortlist(mission_a, candidates, recruiter)
    leaving = entries[1]
    if leave == "declined":
        services.decline_entry(
            entry=send(leaving, recruiter), by=alice, reason=FailureCause.TECHNICAL_LEVEL
        )
    elif leave == "withdrawn":
        services.withdraw_entry(entry=leaving, by=recruiter, reason=FailureCause.AVAILABILITY)
    else:
        services.mark_not_retained(entry=send(leaving, recruiter), by=recruiter)

    newcomer = shortlist(mission_a, candidates[4], recruiter)

    leaving.refresh_from_db()
    assert leaving.state == leave
    assert leaving.slot is None
    assert newcomer.slot == 2
    assert mission_a.shortlist.active().count() == 4
    assert mission_a.shortlist.count() == 5, "the entry that left stays in the history"


def test_the_same_profile_cannot_be_shortlisted_twice_on_a_mission(mission_a, candidate, recruiter):
    shortlist(mission_a, candidate, recruiter)

    with pytest.raises(ValidationError) as refused:
        shortlist(mission_a, candidate, recruiter)

    assert refused.value.code == "already_shortlisted"
    assert mission_a.shortlist.count() == 1


def test_a_profile_that_left_cannot_come_back_on_the_same_mission(mission_a, candidate, recruiter):
    entry = shortlist(mission_a, candidate, recruiter)
    services.withdraw_entry(entry=entry, by=recruiter, reason=FailureCause.AVAILABILITY)

    with pytest.raises(ValidationError) as refused:
        shortlist(mission_a, candidate, recruiter)

    assert refused.value.code == "already_shortlisted"


def test_the_same_profile_can_be_shortlisted_on_two_missions(
    mission_a, mission_b, candidate, recruiter
):
    shortlist(mission_a, candidate, recruiter)
    shortlist(mission_b, candidate, recruiter)

    assert candidate.shortlist_entries.count() == 2


@pytest.mark.parametrize(
    "state",
    [MissionState.FILLED, MissionState.CANCELLED, MissionState.LOST, MissionState.ON_HOLD],
)
def test_a_closed_or_paused_mission_refuses_new_profiles(state, client_a, candidate, recruiter):
    mission = MissionFactory(client=client_a, state=state)

    with pytest.raises(ValidationError) as refused:
        shortlist(mission, candidate, recruiter)

    assert refused.value.code == "mission_closed"
    assert not mission.shortlist.exists()


def test_shortlisting_records_who_added_the_profile_on_the_timeline(
    mission_a, candidate, recruiter
):
    entry = shortlist(mission_a, candidate, recruiter)

    event = Event.objects.get(entry=entry)
    assert event.author == recruiter
    assert event.to_state == EntryState.PROPOSED
    assert event.candidate == candidate
    assert entry.added_by == recruiter
    assert entry.candidate_rate == candidate.day_rate


# R7 — no blind double positioning.


def test_a_profile_active_on_another_mission_of_the_same_client_needs_confirmation(
    client_a, mission_a, candidate, recruiter
):
    other_mission = MissionFactory(client=client_a, reference="M-2026-00099")
    shortlist(other_mission, candidate, recruiter)

    with pytest.raises(ValidationError) as asked:
        shortlist(mission_a, candidate, recruiter)

    assert asked.value.code == "confirmation_required"
    assert "M-2026-00099" in asked.value.messages[0]
    assert not mission_a.shortlist.exists()


def test_a_confirmed_double_positioning_stores_the_warning_on_the_entry_and_timeline(
    client_a, mission_a, candidate, recruiter
):
    other_mission = MissionFactory(client=client_a, reference="M-2026-00099")
    shortlist(other_mission, candidate, recruiter)

    entry = shortlist(mission_a, candidate, recruiter, confirm_warnings=True)

    assert "M-2026-00099" in entry.warnings
    assert "M-2026-00099" in Event.objects.get(entry=entry).note


def test_a_profile_active_for_another_client_needs_no_confirmation(
    mission_a, mission_b, candidate, recruiter
):
    shortlist(mission_b, candidate, recruiter)

    entry = shortlist(mission_a, candidate, recruiter)

    assert entry.warnings == ""


def test_a_profile_that_left_another_mission_of_the_client_needs_no_confirmation(
    client_a, mission_a, candidate, recruiter
):
    earlier = shortlist(MissionFactory(client=client_a), candidate, recruiter)
    services.withdraw_entry(entry=earlier, by=recruiter, reason=FailureCause.AVAILABILITY)

    entry = shortlist(mission_a, candidate, recruiter)

    assert entry.warnings == ""


def test_a_rate_above_the_budget_needs_confirmation_and_is_recorded(mission_a, recruiter):
    pricey = CandidateFactory(day_rate=800)
    assert mission_a.budget == 650

    with pytest.raises(ValidationError) as asked:
        shortlist(mission_a, pricey, recruiter)
    assert asked.value.code == "confirmation_required"
    assert not mission_a.shortlist.exists()

    entry = shortlist(mission_a, pricey, recruiter, confirm_warnings=True)
    assert "800" in entry.warnings and "650" in entry.warnings
    assert entry.warnings in Event.objects.get(entry=entry).note


def test_a_rate_within_the_budget_needs_no_confirmation(mission_a, recruiter):
    entry = shortlist(mission_a, CandidateFactory(day_rate=650), recruiter)

    assert entry.warnings == ""


def test_both_warnings_are_listed_together(client_a, mission_a, recruiter):
    pricey = CandidateFactory(day_rate=800)
    shortlist(MissionFactory(client=client_a, budget=900), pricey, recruiter)

    with pytest.raises(ValidationError) as asked:
        shortlist(mission_a, pricey, recruiter)

    assert asked.value.code == "confirmation_required"
    same_client, over_budget = asked.value.messages
    assert "same client" in same_client
    assert "budget" in over_budget


# Database backstops: writes that bypass `shortlist_candidate` (admin, shell, a bug).


def orm_entry(mission, candidate, **fields):
    fields.setdefault("state", EntryState.PROPOSED)
    return ShortlistEntry.objects.create(
        mission=mission, candidate=candidate, candidate_rate=candidate.day_rate, **fields
    )


def test_the_database_refuses_a_fifth_active_entry_in_slot_five(mission_a, candidates, recruiter):
    fill_shortlist(mission_a, candidates, recruiter)

    with pytest.raises(IntegrityError), transaction.atomic():
        orm_entry(mission_a, candidates[4], slot=5)

    assert ShortlistEntry.objects.count() == 4


def test_the_database_refuses_a_fifth_active_entry_in_a_taken_slot(
    mission_a, candidates, recruiter
):
    fill_shortlist(mission_a, candidates, recruiter)

    with pytest.raises(IntegrityError), transaction.atomic():
        orm_entry(mission_a, candidates[4], slot=1)

    assert ShortlistEntry.objects.count() == 4


def test_the_database_refuses_an_active_entry_without_a_slot(mission_a, candidate):
    with pytest.raises(IntegrityError), transaction.atomic():
        orm_entry(mission_a, candidate, slot=None)


def test_the_database_refuses_a_closed_entry_that_keeps_its_slot(mission_a, candidate):
    with pytest.raises(IntegrityError), transaction.atomic():
        orm_entry(mission_a, candidate, state=EntryState.WITHDRAWN, slot=1)


def test_the_database_refuses_the_same_profile_twice_on_a_mission(mission_a, candidate):
    orm_entry(mission_a, candidate, state=EntryState.WITHDRAWN)

    with pytest.raises(IntegrityError), transaction.atomic():
        orm_entry(mission_a, candidate, slot=1)


def test_the_database_accepts_closed_entries_beyond_four(mission_a, candidates, recruiter):
    fill_shortlist(mission_a, candidates, recruiter)

    orm_entry(mission_a, candidates[4], state=EntryState.DECLINED)
    orm_entry(mission_a, candidates[5], state=EntryState.NOT_RETAINED)

    assert mission_a.shortlist.count() == 6

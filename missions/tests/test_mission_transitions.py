"""R4 for missions: every move in MISSION_TRANSITIONS works and is recorded, every other move
is refused, and a mission that ends closes its shortlist."""

import pytest
from django.core.exceptions import ValidationError

from missions import services
from missions.models import (
    MISSION_TRANSITIONS,
    EndedBy,
    EntryState,
    Event,
    FailureCause,
    MissionState,
)
from tests.factories import MissionFactory

ENDINGS = (MissionState.CANCELLED, MissionState.LOST)

# Every (from, to) pair, in a stable order (the map holds sets) so test ids never vary.
ALL_MOVES = [(src, dst) for src in MissionState for dst in MissionState]
LEGAL_MOVES = [(src, dst) for src, dst in ALL_MOVES if dst in MISSION_TRANSITIONS[src]]
# Filling is legal only through `select_candidate`, never as a bare state change.
BY_HAND_MOVES = [(src, dst) for src, dst in LEGAL_MOVES if dst != MissionState.FILLED]
FILL_MOVES = [(src, dst) for src, dst in LEGAL_MOVES if dst == MissionState.FILLED]
ILLEGAL_MOVES = [(src, dst) for src, dst in ALL_MOVES if dst not in MISSION_TRANSITIONS[src]]


def move_id(move):
    return f"{move[0].value}->{move[1].value}"


def test_the_map_covers_every_state_and_final_states_lead_nowhere():
    assert set(MISSION_TRANSITIONS) == set(MissionState)
    for final in (MissionState.FILLED, *ENDINGS):
        assert MISSION_TRANSITIONS[final] == set()


def test_the_main_path_draft_to_filled_is_legal():
    path = ["draft", "open", "shortlist_sent", "interviewing", "filled"]
    for src, dst in zip(path, path[1:], strict=False):
        assert dst in MISSION_TRANSITIONS[MissionState(src)]


@pytest.mark.parametrize("move", FILL_MOVES, ids=move_id)
def test_filling_by_hand_is_refused_so_a_filled_mission_has_its_profile(move, client_a, recruiter):
    src, dst = move
    mission = MissionFactory(client=client_a, state=src)

    with pytest.raises(ValidationError) as refused:
        services.transition_mission(mission=mission, to=dst, by=recruiter)

    assert refused.value.code == "illegal_transition"
    mission.refresh_from_db()
    assert mission.state == src


@pytest.mark.parametrize("move", BY_HAND_MOVES, ids=move_id)
def test_every_legal_move_works_and_is_recorded(move, client_a, recruiter):
    src, dst = move
    mission = MissionFactory(client=client_a, state=src)

    services.transition_mission(mission=mission, to=dst, by=recruiter, note="Client's decision")

    mission.refresh_from_db()
    assert mission.state == dst
    event = mission.events.get()
    assert (event.author, event.from_state, event.to_state) == (recruiter, src, dst)
    assert event.subject == Event.Subject.MISSION
    assert event.note == "Client's decision"


@pytest.mark.parametrize("move", ILLEGAL_MOVES, ids=move_id)
def test_every_other_move_is_refused_and_changes_nothing(move, client_a, recruiter):
    src, dst = move
    mission = MissionFactory(client=client_a, state=src)

    with pytest.raises(ValidationError) as refused:
        services.transition_mission(mission=mission, to=dst, by=recruiter, note="Because")

    assert refused.value.code == "illegal_transition"
    mission.refresh_from_db()
    assert mission.state == src
    assert not mission.events.exists()


def test_opening_a_draft_stamps_when_it_opened(client_a, recruiter):
    mission = MissionFactory(client=client_a, state=MissionState.DRAFT, opened_at=None)

    services.transition_mission(mission=mission, to=MissionState.OPEN, by=recruiter)

    mission.refresh_from_db()
    assert mission.opened_at is not None


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("note", ["", "   "])
def test_a_mission_cannot_end_without_a_reason(ending, note, mission_a, recruiter):
    with pytest.raises(ValidationError) as refused:
        services.transition_mission(mission=mission_a, to=ending, by=recruiter, note=note)

    assert refused.value.code == "reason_required"
    mission_a.refresh_from_db()
    assert mission_a.state == MissionState.OPEN


def shortlist(mission, candidate, by):
    return services.shortlist_candidate(mission=mission, candidate=candidate, by=by)


@pytest.mark.parametrize("ending", ENDINGS)
def test_an_ending_mission_keeps_its_reason_and_closes_its_active_entries(
    ending, mission_a, candidates, recruiter
):
    sent = [shortlist(mission_a, c, recruiter) for c in candidates[:2]]
    mission_a.shortlist.update(report="Solid profile.")
    services.send_shortlist(mission=mission_a, by=recruiter)
    draft = shortlist(mission_a, candidates[2], recruiter)
    gone = shortlist(mission_a, candidates[3], recruiter)
    services.withdraw_entry(entry=gone, by=recruiter, reason=FailureCause.AVAILABILITY)

    services.transition_mission(mission=mission_a, to=ending, by=recruiter, note="Budget frozen")

    mission_a.refresh_from_db()
    assert mission_a.state == ending
    assert mission_a.state_reason == "Budget frozen"
    assert not mission_a.shortlist.active().exists()
    for entry in sent:
        entry.refresh_from_db()
        assert (entry.state, entry.slot, entry.ended_by) == (
            EntryState.NOT_RETAINED,
            None,
            EndedBy.CLIENT,
        )
        assert entry.events.filter(to_state=EntryState.NOT_RETAINED, author=recruiter).exists()
    draft.refresh_from_db()
    assert (draft.state, draft.ended_by) == (EntryState.WITHDRAWN, EndedBy.AGENCY), (
        "the client never saw a draft entry: the agency withdraws it"
    )
    gone.refresh_from_db()
    assert (gone.state, gone.ended_by) == (EntryState.WITHDRAWN, EndedBy.CANDIDATE), (
        "an entry that had already left keeps how it ended"
    )


def test_putting_a_mission_on_hold_keeps_its_shortlist_and_reason(mission_a, candidate, recruiter):
    entry = shortlist(mission_a, candidate, recruiter)

    services.transition_mission(
        mission=mission_a, to=MissionState.ON_HOLD, by=recruiter, note="Waiting for budget"
    )

    mission_a.refresh_from_db()
    entry.refresh_from_db()
    assert mission_a.state_reason == "Waiting for budget"
    assert entry.state == EntryState.PROPOSED

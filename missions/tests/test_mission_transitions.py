"""R4 for missions: every move in MISSION_TRANSITIONS works and is recorded, every other move
is refused, and a mission that ends closes its shortlist."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from missions import services
from missions.forms import MissionTransitionForm
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
ILLEGAL_MOVES = [(src, dst) for src, dst in ALL_MOVES if dst not in MISSION_TRANSITIONS[src]]

M = MissionState
# R8: the moves a recruiter may make by hand. Shortlist sent, interviewing and filled follow
# from actions (sending, scheduling, selecting); resuming from on hold is tested below.
BY_HAND = {
    M.DRAFT: {M.OPEN, M.ON_HOLD, M.CANCELLED, M.LOST},
    M.OPEN: {M.ON_HOLD, M.CANCELLED, M.LOST},
    M.SHORTLIST_SENT: {M.ON_HOLD, M.CANCELLED, M.LOST},
    M.INTERVIEWING: {M.ON_HOLD, M.CANCELLED, M.LOST},
    M.ON_HOLD: {M.CANCELLED, M.LOST},
}
BY_HAND_MOVES = [(src, dst) for src, dst in ALL_MOVES if dst in BY_HAND.get(src, set())]
# Legal steps of the life cycle that only an action may take.
ACTION_ONLY_MOVES = [
    (M.OPEN, M.SHORTLIST_SENT),
    (M.SHORTLIST_SENT, M.INTERVIEWING),
    (M.SHORTLIST_SENT, M.FILLED),
    (M.INTERVIEWING, M.FILLED),
]


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


@pytest.mark.parametrize("move", ACTION_ONLY_MOVES, ids=move_id)
def test_a_state_only_an_action_causes_is_refused_by_hand(move, client_a, recruiter):
    src, dst = move
    mission = MissionFactory(client=client_a, state=src)

    with pytest.raises(ValidationError) as refused:
        services.transition_mission(mission=mission, to=dst, by=recruiter)

    assert refused.value.code == "illegal_transition"
    mission.refresh_from_db()
    assert mission.state == src
    assert not mission.events.exists()


@pytest.mark.parametrize("move", BY_HAND_MOVES, ids=move_id)
def test_every_move_allowed_by_hand_works_and_is_recorded(move, client_a, recruiter):
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


# Resuming from on hold (R8): the mission goes back to the state its shortlist implies.


def paused_mission(client, recruiter, candidates, *, opened=True, shortlisted=0, sent=False):
    """A mission taken through the real actions, then put on hold."""
    mission = MissionFactory(client=client, state=MissionState.DRAFT, opened_at=None)
    if opened:
        services.transition_mission(mission=mission, to=MissionState.OPEN, by=recruiter)
    for candidate in candidates[:shortlisted]:
        shortlist(mission, candidate, recruiter)
    if sent:
        mission.shortlist.update(report="Solid profile.")
        services.send_shortlist(mission=mission, by=recruiter)
    return mission


def put_on_hold(mission, recruiter):
    services.transition_mission(mission=mission, to=MissionState.ON_HOLD, by=recruiter)


def schedule(entry, recruiter):
    from interviews import services as interview_services

    return interview_services.schedule_interview(
        entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=2)
    )


def resumed_to(mission):
    mission.refresh_from_db()
    return services.resumed_state(mission)


def test_a_paused_mission_never_opened_resumes_as_a_draft(client_a, recruiter, candidates):
    mission = paused_mission(client_a, recruiter, candidates, opened=False)
    put_on_hold(mission, recruiter)
    assert resumed_to(mission) == MissionState.DRAFT


def test_a_paused_open_mission_with_draft_entries_resumes_open(client_a, recruiter, candidates):
    mission = paused_mission(client_a, recruiter, candidates, shortlisted=2)
    put_on_hold(mission, recruiter)
    assert resumed_to(mission) == MissionState.OPEN


def test_a_paused_mission_whose_shortlist_was_sent_resumes_shortlist_sent(
    client_a, recruiter, candidates
):
    mission = paused_mission(client_a, recruiter, candidates, shortlisted=2, sent=True)
    put_on_hold(mission, recruiter)
    assert resumed_to(mission) == MissionState.SHORTLIST_SENT


def test_a_paused_mission_whose_sent_profiles_were_all_declined_resumes_shortlist_sent(
    client_a, recruiter, candidates
):
    mission = paused_mission(client_a, recruiter, candidates, shortlisted=1, sent=True)
    services.decline_entry(
        entry=mission.shortlist.get(), by=recruiter, reason=FailureCause.TECHNICAL_LEVEL
    )
    put_on_hold(mission, recruiter)
    assert resumed_to(mission) == MissionState.SHORTLIST_SENT


def test_a_paused_mission_with_an_interview_resumes_interviewing(client_a, recruiter, candidates):
    mission = paused_mission(client_a, recruiter, candidates, shortlisted=2, sent=True)
    schedule(mission.shortlist.first(), recruiter)
    put_on_hold(mission, recruiter)
    assert resumed_to(mission) == MissionState.INTERVIEWING


def test_resuming_goes_back_to_the_implied_state_and_is_recorded(client_a, recruiter, candidates):
    mission = paused_mission(client_a, recruiter, candidates, shortlisted=1, sent=True)
    put_on_hold(mission, recruiter)

    services.transition_mission(mission=mission, to=MissionState.SHORTLIST_SENT, by=recruiter)

    mission.refresh_from_db()
    assert mission.state == MissionState.SHORTLIST_SENT
    last = mission.events.order_by("-pk").first()
    assert (last.from_state, last.to_state) == (MissionState.ON_HOLD, MissionState.SHORTLIST_SENT)


@pytest.mark.parametrize(
    "picked", [MissionState.DRAFT, MissionState.OPEN, MissionState.INTERVIEWING]
)
def test_resuming_to_another_state_than_the_implied_one_is_refused(
    picked, client_a, recruiter, candidates
):
    mission = paused_mission(client_a, recruiter, candidates, shortlisted=1, sent=True)
    put_on_hold(mission, recruiter)

    with pytest.raises(ValidationError) as refused:
        services.transition_mission(mission=mission, to=picked, by=recruiter)

    assert refused.value.code == "illegal_transition"
    assert "Shortlist sent" in refused.value.messages[0]
    mission.refresh_from_db()
    assert mission.state == MissionState.ON_HOLD


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        ("draft", ["open", "on_hold", "cancelled", "lost"]),
        ("open", ["on_hold", "cancelled", "lost"]),
        ("shortlist_sent", ["on_hold", "cancelled", "lost"]),
        ("interviewing", ["on_hold", "cancelled", "lost"]),
        ("filled", []),
        ("cancelled", []),
        ("lost", []),
    ],
)
def test_the_desks_state_form_offers_only_the_moves_allowed_by_hand(state, offered, client_a):
    mission = MissionFactory(client=client_a, state=state)
    form = MissionTransitionForm(mission=mission)
    assert [value for value, _label in form.fields["to"].choices] == offered


def test_the_state_form_of_a_paused_mission_offers_to_resume_where_it_stood(
    client_a, recruiter, candidates
):
    mission = paused_mission(client_a, recruiter, candidates, shortlisted=1, sent=True)
    put_on_hold(mission, recruiter)
    mission.refresh_from_db()

    form = MissionTransitionForm(mission=mission)

    assert form.fields["to"].choices == [
        ("shortlist_sent", "Resume: Shortlist sent"),
        ("cancelled", "Cancelled"),
        ("lost", "Lost"),
    ]

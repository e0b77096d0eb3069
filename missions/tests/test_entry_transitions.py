"""R4 for shortlist entries: sending, the client's answers, withdrawal, selection, and the
moves that are refused."""

import pytest
from django.core.exceptions import ValidationError

from missions import services
from missions.models import (
    EndedBy,
    EntryState,
    Event,
    FailureCause,
    MissionState,
    ShortlistEntry,
)
from tests.factories import MissionFactory, make_contact


def shortlist(mission, candidate, by, report="Strong Django, calm under pressure."):
    entry = services.shortlist_candidate(mission=mission, candidate=candidate, by=by)
    entry.report = report
    entry.save(update_fields=["report"])
    return entry


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return objects


@pytest.fixture
def sent_entries(mission_a, candidates, recruiter):
    entries = [shortlist(mission_a, c, recruiter) for c in candidates[:3]]
    services.send_shortlist(mission=mission_a, by=recruiter)
    return refreshed(*entries)


@pytest.fixture
def sent_entry(sent_entries):
    return sent_entries[0]


# send_shortlist


def test_sending_the_shortlist_sends_each_proposed_entry_and_the_mission(
    mission_a, candidates, recruiter
):
    entries = [shortlist(mission_a, c, recruiter) for c in candidates[:2]]

    services.send_shortlist(mission=mission_a, by=recruiter)

    refreshed(mission_a, *entries)
    assert mission_a.state == MissionState.SHORTLIST_SENT
    for entry in entries:
        assert entry.state == EntryState.SENT
        assert entry.sent_at is not None
        assert entry.events.filter(
            from_state=EntryState.PROPOSED, to_state=EntryState.SENT, author=recruiter
        ).exists()
    assert mission_a.events.filter(
        subject=Event.Subject.MISSION, to_state=MissionState.SHORTLIST_SENT
    ).exists()


def test_the_client_contacts_are_emailed_once_the_shortlist_is_sent(
    mission_a,
    candidate,
    recruiter,
    alice,
    bob,
    client_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    make_contact("carla", client_a)
    shortlist(mission_a, candidate, recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_shortlist(mission=mission_a, by=recruiter)
        assert mailoutbox == [], "nothing is sent before the transaction commits"

    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["alice@example.com", "carla@example.com"]


def test_a_shortlist_without_a_proposed_entry_cannot_be_sent(mission_a, recruiter):
    with pytest.raises(ValidationError) as refused:
        services.send_shortlist(mission=mission_a, by=recruiter)

    assert refused.value.code == "nothing_to_send"
    mission_a.refresh_from_db()
    assert mission_a.state == MissionState.OPEN


@pytest.mark.parametrize("missing", ["report", "client_rate"])
def test_a_shortlist_is_sent_only_when_every_entry_has_a_report_and_a_client_rate(
    missing, mission_a, candidates, recruiter
):
    complete = shortlist(mission_a, candidates[0], recruiter)
    incomplete = shortlist(mission_a, candidates[1], recruiter)
    ShortlistEntry.objects.filter(pk=incomplete.pk).update(
        **{"report": "  "} if missing == "report" else {"client_rate": None}
    )

    with pytest.raises(ValidationError) as refused:
        services.send_shortlist(mission=mission_a, by=recruiter)

    assert refused.value.code == "report_missing"
    assert incomplete.candidate.full_name in refused.value.messages[0]
    refreshed(mission_a, complete, incomplete)
    assert mission_a.state == MissionState.OPEN
    assert (complete.state, complete.sent_at) == (EntryState.PROPOSED, None)


def test_a_later_profile_is_sent_without_moving_the_mission_back(
    sent_entries, mission_a, candidates, recruiter
):
    late = shortlist(mission_a, candidates[4], recruiter)

    sent = services.send_shortlist(mission=mission_a, by=recruiter)

    assert [e.pk for e in sent] == [late.pk]
    refreshed(mission_a, late)
    assert late.state == EntryState.SENT
    assert mission_a.state == MissionState.SHORTLIST_SENT


@pytest.mark.parametrize("state", [MissionState.DRAFT, MissionState.ON_HOLD])
def test_a_shortlist_cannot_be_sent_on_a_mission_that_is_not_open(
    state, client_a, candidate, recruiter
):
    mission = MissionFactory(client=client_a, state=MissionState.DRAFT)
    entry = shortlist(mission, candidate, recruiter)
    mission.state = state
    mission.save()

    with pytest.raises(ValidationError) as refused:
        services.send_shortlist(mission=mission, by=recruiter)

    assert refused.value.code == "mission_not_open"
    entry.refresh_from_db()
    assert entry.state == EntryState.PROPOSED


# The client's answers


def test_the_client_asks_for_an_interview_with_its_preferred_slots(
    sent_entry, alice, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_interview(entry=sent_entry, by=alice, slots="Tuesday morning")

    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.INTERVIEW_REQUESTED
    assert sent_entry.interview_slots == "Tuesday morning"
    assert sent_entry.answered_at is not None
    event = sent_entry.events.get(to_state=EntryState.INTERVIEW_REQUESTED)
    assert (event.author, event.from_state) == (alice, EntryState.SENT)
    assert [m.to for m in mailoutbox] == [[recruiter.email]], "the mission's owner is told"


def test_the_client_declines_a_profile_with_a_reason_and_frees_its_slot(
    sent_entry, alice, mission_a, candidates, recruiter
):
    services.decline_entry(
        entry=sent_entry, by=alice, reason=FailureCause.RATE_TOO_HIGH, note="Over budget"
    )

    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.DECLINED
    assert sent_entry.ended_by == EndedBy.CLIENT
    assert (sent_entry.end_reason, sent_entry.end_note) == (
        FailureCause.RATE_TOO_HIGH,
        "Over budget",
    )
    assert sent_entry.slot is None
    assert sent_entry.closed_at is not None and sent_entry.answered_at is not None
    event = sent_entry.events.get(to_state=EntryState.DECLINED)
    assert (event.author, event.note) == (alice, "Over budget")
    assert shortlist(mission_a, candidates[3], recruiter).slot == 1, "the freed slot is reused"
    shortlist(mission_a, candidates[4], recruiter)
    assert mission_a.shortlist.active().count() == 4


def test_a_candidate_who_took_another_mission_is_withdrawn_with_the_cause(sent_entry, recruiter):
    services.withdraw_entry(
        entry=sent_entry,
        by=recruiter,
        reason=FailureCause.CANDIDATE_WITHDREW,
        note="Signed elsewhere",
    )

    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.WITHDRAWN
    assert sent_entry.ended_by == EndedBy.CANDIDATE
    assert sent_entry.end_reason == FailureCause.CANDIDATE_WITHDREW
    assert sent_entry.slot is None
    assert sent_entry.events.filter(to_state=EntryState.WITHDRAWN, author=recruiter).exists()


def test_a_draft_entry_removed_from_the_shortlist_is_deleted_but_stays_on_the_timeline(
    mission_a, candidate, recruiter
):
    entry = shortlist(mission_a, candidate, recruiter)

    assert services.remove_from_shortlist(entry=entry, by=recruiter) is None

    assert not mission_a.shortlist.exists()
    assert candidate.events.filter(from_state=EntryState.PROPOSED, to_state="").exists()


def test_a_sent_entry_removed_from_the_shortlist_is_withdrawn_by_the_agency(sent_entry, recruiter):
    services.remove_from_shortlist(entry=sent_entry, by=recruiter)

    sent_entry.refresh_from_db()
    assert (sent_entry.state, sent_entry.ended_by) == (EntryState.WITHDRAWN, EndedBy.AGENCY)


# select_candidate


def test_selecting_a_profile_fills_the_mission_and_closes_the_others(
    sent_entries, mission_a, candidates, alice, recruiter
):
    chosen, other, declined = sent_entries
    services.decline_entry(entry=declined, by=alice, reason=FailureCause.TECHNICAL_LEVEL)
    draft = shortlist(mission_a, candidates[4], recruiter)

    services.select_candidate(entry=chosen, by=alice)

    refreshed(mission_a, chosen, other, declined, draft)
    assert mission_a.state == MissionState.FILLED
    assert chosen.state == EntryState.SELECTED
    assert (other.state, other.ended_by, other.slot) == (
        EntryState.NOT_RETAINED,
        EndedBy.CLIENT,
        None,
    )
    assert (draft.state, draft.ended_by) == (EntryState.NOT_RETAINED, EndedBy.AGENCY), (
        "a draft the client never saw is not retained by the selection, not withdrawn"
    )
    assert declined.state == EntryState.DECLINED, "an entry that had left keeps its state"
    assert mission_a.events.filter(
        subject=Event.Subject.MISSION, to_state=MissionState.FILLED, author=alice
    ).exists()
    assert chosen.events.filter(to_state=EntryState.SELECTED, author=alice).exists()
    assert other.events.filter(to_state=EntryState.NOT_RETAINED, author=alice).exists()


def test_the_recruiters_of_the_placed_profiles_other_processes_are_told(
    sent_entry, mission_b, recruiter, alice, mailoutbox, django_capture_on_commit_callbacks
):
    other_owner = mission_b.owner
    other_owner.email = "other.owner@example.com"
    other_owner.save()
    services.shortlist_candidate(mission=mission_b, candidate=sent_entry.candidate, by=recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        services.select_candidate(entry=sent_entry, by=alice)

    assert [m.to for m in mailoutbox] == [["other.owner@example.com"]]


# Refused moves: each action from a state the map does not allow, state unchanged.


def entry_in_state(mission, candidate, state):
    active = state in {
        EntryState.PROPOSED,
        EntryState.SENT,
        EntryState.INTERVIEW_REQUESTED,
        EntryState.INTERVIEWING,
        EntryState.SELECTED,
    }
    return ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        state=state,
        slot=1 if active else None,
        candidate_rate=candidate.day_rate,
        client_rate=700,
        report="Ok",
    )


ACTIONS = {
    "request_interview": lambda entry, by: services.request_interview(entry=entry, by=by),
    "decline": lambda entry, by: services.decline_entry(
        entry=entry, by=by, reason=FailureCause.OTHER
    ),
    "withdraw": lambda entry, by: services.withdraw_entry(
        entry=entry, by=by, reason=FailureCause.OTHER
    ),
    "not_retained": lambda entry, by: services.mark_not_retained(entry=entry, by=by),
    "select": lambda entry, by: services.select_candidate(entry=entry, by=by),
}
REFUSED = [
    ("request_interview", EntryState.PROPOSED),
    ("request_interview", EntryState.INTERVIEWING),
    ("request_interview", EntryState.DECLINED),
    ("request_interview", EntryState.SELECTED),
    ("decline", EntryState.PROPOSED),
    ("decline", EntryState.INTERVIEWING),
    ("decline", EntryState.WITHDRAWN),
    ("decline", EntryState.SELECTED),
    ("withdraw", EntryState.DECLINED),
    ("withdraw", EntryState.NOT_RETAINED),
    ("withdraw", EntryState.SELECTED),
    ("not_retained", EntryState.PROPOSED),
    ("not_retained", EntryState.DECLINED),
    ("select", EntryState.PROPOSED),
    ("select", EntryState.DECLINED),
    ("select", EntryState.WITHDRAWN),
    ("select", EntryState.NOT_RETAINED),
]


@pytest.mark.parametrize(("action", "state"), REFUSED, ids=lambda v: str(v))
def test_an_entry_refuses_a_move_its_state_does_not_allow(
    action, state, client_a, candidate, recruiter
):
    mission = MissionFactory(client=client_a, state=MissionState.INTERVIEWING)
    entry = entry_in_state(mission, candidate, state)
    events_before = Event.objects.count()

    with pytest.raises(ValidationError) as refused:
        ACTIONS[action](entry, recruiter)

    assert refused.value.code == "illegal_transition"
    refreshed(entry, mission)
    assert entry.state == state
    assert mission.state == MissionState.INTERVIEWING
    assert Event.objects.count() == events_before


def test_a_profile_cannot_be_selected_on_a_mission_that_is_on_hold(
    sent_entry, mission_a, recruiter, alice
):
    services.transition_mission(mission=mission_a, to=MissionState.ON_HOLD, by=recruiter)

    with pytest.raises(ValidationError) as refused:
        services.select_candidate(entry=sent_entry, by=alice)

    assert refused.value.code == "illegal_transition"
    refreshed(sent_entry, mission_a)
    assert sent_entry.state == EntryState.SENT, "the whole selection was rolled back"
    assert mission_a.state == MissionState.ON_HOLD

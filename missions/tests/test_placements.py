"""R6 — one placement at a time: the selection refuses an overlapping placement, and a placed
profile shows as unavailable on every page (desk and portal), with one definition of a
mission's period."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import EntryState, Event, MissionState, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, place

NEXT_YEAR = date.today().year + 1


def mission_on(client, start, months, **fields):
    return MissionFactory(client=client, start_date=start, duration_months=months, **fields)


def entry_on(mission, candidate, *, state=EntryState.SENT):
    """An entry in `state`, its mission in the state that goes with it."""
    filled = state == EntryState.SELECTED
    mission.state = MissionState.FILLED if filled else MissionState.SHORTLIST_SENT
    mission.save(update_fields=["state"])
    entry = ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        state=state,
        slot=mission.shortlist.active().count() + 1,
        candidate_rate=550,
        client_rate=700,
        report="Strong Django, calm under pressure.",
        sent_at=timezone.now(),
    )
    if filled:
        place(entry)
    return entry


def placed_then_sent(candidate, placed_mission, other_mission):
    entry_on(placed_mission, candidate, state=EntryState.SELECTED)
    return entry_on(other_mission, candidate)


def select_refused(entry, by):
    with pytest.raises(ValidationError) as refused:
        services.select_candidate(entry=entry, by=by)
    return refused.value


# ---------------------------------------------------------------- the selection (service)


def test_selecting_a_profile_placed_on_an_overlapping_mission_is_refused_with_the_reason(
    candidate, client_a, client_b, alice
):
    placed = mission_on(client_b, date(2027, 1, 1), 3, reference="M-PLACED")
    wanted = mission_on(client_a, date(2027, 2, 1), 2)
    entry = placed_then_sent(candidate, placed, wanted)
    events_before = Event.objects.count()

    refusal = select_refused(entry, alice)

    assert refusal.code == "already_placed"
    assert "M-PLACED (1 Jan 2027 – 31 Mar 2027)" in refusal.messages[0]
    entry.refresh_from_db()
    wanted.refresh_from_db()
    assert (entry.state, wanted.state) == (EntryState.SENT, MissionState.SHORTLIST_SENT)
    assert Event.objects.count() == events_before


def test_a_back_to_back_mission_can_be_selected(candidate, client_a, client_b, alice):
    placed = mission_on(client_b, date(2027, 1, 1), 3)
    next_one = mission_on(client_a, date(2027, 4, 1), 2)
    entry = placed_then_sent(candidate, placed, next_one)

    services.select_candidate(entry=entry, by=alice)

    entry.refresh_from_db()
    assert entry.state == EntryState.SELECTED


def test_a_mission_starting_on_the_last_day_of_the_placement_is_refused(
    candidate, client_a, client_b, alice
):
    placed = mission_on(client_b, date(2027, 1, 1), 3)
    same_day = mission_on(client_a, date(2027, 3, 31), 2)
    entry = placed_then_sent(candidate, placed, same_day)

    assert select_refused(entry, alice).code == "already_placed"


def test_a_placement_with_unknown_dates_blocks_the_selection(candidate, client_a, client_b, alice):
    placed = mission_on(client_b, None, None)
    wanted = mission_on(client_a, date(2030, 6, 1), 2)
    entry = placed_then_sent(candidate, placed, wanted)

    assert select_refused(entry, alice).code == "already_placed"


# ---------------------------------------------------------------- the refusal on the pages


def test_the_desk_shows_the_refusal_and_changes_nothing(
    client, recruiter, candidate, client_a, client_b
):
    placed = mission_on(client_b, date(2027, 1, 1), 3, reference="M-PLACED")
    wanted = mission_on(client_a, date(2027, 3, 1), 2)
    entry = placed_then_sent(candidate, placed, wanted)
    client.force_login(recruiter)

    response = client.post(reverse("missions:entry_select", args=[entry.pk]), follow=True)

    assert response.status_code == 200
    assert "is already placed on M-PLACED (1 Jan 2027 – 31 Mar 2027)" in response.text
    entry.refresh_from_db()
    assert entry.state == EntryState.SENT


def test_the_portal_shows_the_refusal_without_naming_the_other_client(
    client, alice, candidate, client_a, client_b
):
    placed = mission_on(client_b, date(2027, 1, 1), 3, reference="M-PLACED")
    wanted = mission_on(client_a, date(2027, 3, 1), 2)
    entry = placed_then_sent(candidate, placed, wanted)
    client.force_login(alice)

    response = client.post(reverse("portal:select", args=[entry.pk]), {"note": ""})

    assert response.status_code == 200
    assert "no longer available for this mission&#x27;s dates: placed until 31 March 2027" in (
        response.text
    )
    assert "M-PLACED" not in response.text
    assert client_b.name not in response.text
    entry.refresh_from_db()
    wanted.refresh_from_db()
    assert (entry.state, wanted.state) == (EntryState.SENT, MissionState.SHORTLIST_SENT)


# ---------------------------------------------------------------- unavailable everywhere


@pytest.fixture
def placed_profile(client_a, client_b):
    """Camille, available since yesterday but placed (another client) from the 1st of next
    month for 3 months, and sent to client A for a mission starting in the middle of it."""
    today = date.today()
    start = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    camille = CandidateFactory(
        first_name="Camille", last_name="Lefèvre", available_from=today - timedelta(days=1)
    )
    placed = mission_on(client_b, start, 3, reference="M-PLACED")
    wanted = mission_on(client_a, start + timedelta(days=20), 3, reference="M-WANTED")
    entry = placed_then_sent(camille, placed, wanted)
    return entry, placed


def test_the_portal_card_of_a_placed_profile_does_not_say_available(
    client, alice, client_b, placed_profile
):
    entry, placed = placed_profile
    client.force_login(alice)

    for url in (
        reverse("portal:mission", args=[entry.mission_id]),
        reverse("portal:entry", args=[entry.pk]),
    ):
        html = client.get(url).text
        until = placed.end_date.strftime("%-d %B %Y")
        assert f"Not available: placed until {until}" in html
        assert "Immediate" not in html
        assert "M-PLACED" not in html and client_b.name not in html


def test_the_portal_card_says_immediate_when_the_placement_is_back_to_back(
    client, alice, client_a, client_b
):
    camille = CandidateFactory(available_from=date.today() - timedelta(days=1))
    placed = mission_on(client_b, date(NEXT_YEAR, 1, 1), 3)
    next_one = mission_on(client_a, date(NEXT_YEAR, 4, 1), 2)
    entry = placed_then_sent(camille, placed, next_one)
    client.force_login(alice)

    html = client.get(reverse("portal:entry", args=[entry.pk])).text

    assert "Immediate" in html
    assert "Not available" not in html


def test_the_mission_page_flags_the_active_entry_of_a_placed_profile(
    client, recruiter, placed_profile
):
    entry, placed = placed_profile
    client.force_login(recruiter)

    html = client.get(entry.mission.get_absolute_url()).text

    assert "Placed on another mission over the same period:" in html
    assert f"M-PLACED</a> until {placed.end_date.strftime('%-d %b %Y')}" in html


def test_the_mission_page_does_not_flag_a_back_to_back_placement(
    client, recruiter, candidate, client_a, client_b
):
    placed = mission_on(client_b, date(NEXT_YEAR, 1, 1), 3)
    next_one = mission_on(client_a, date(NEXT_YEAR, 4, 1), 2)
    entry = placed_then_sent(candidate, placed, next_one)
    client.force_login(recruiter)

    html = client.get(entry.mission.get_absolute_url()).text

    assert "Placed on another mission" not in html


@pytest.mark.parametrize(("start_day", "flagged"), [((4, 1), False), ((3, 31), True)])
def test_matching_flags_the_same_clashes_as_the_mission_page(
    client, recruiter, candidate, client_a, client_b, start_day, flagged
):
    placed = mission_on(client_b, date(NEXT_YEAR, 1, 1), 3, reference="M-PLACED")
    other = mission_on(client_a, date(NEXT_YEAR, *start_day), 2)
    placed_then_sent(candidate, placed, other)
    client.force_login(recruiter)

    matching = client.get(reverse("missions:matching", args=[other.pk])).text
    detail = client.get(other.get_absolute_url()).text

    assert ("Placed on M-PLACED" in matching) is flagged
    assert ("Placed on another mission over the same period" in detail) is flagged


def test_the_dashboard_flags_a_placed_profile_still_in_another_process(
    client, recruiter, placed_profile
):
    _entry, placed = placed_profile
    client.force_login(recruiter)

    html = client.get(reverse("missions:dashboard")).text

    assert f"Placed on M-PLACED until {placed.end_date.strftime('%-d %b %Y')}" in html


def test_the_mission_page_flags_placed_profiles_in_a_constant_number_of_queries(
    client, recruiter, client_a, client_b
):
    start = date(NEXT_YEAR, 1, 1)
    wanted = mission_on(client_a, start, 3)
    client.force_login(recruiter)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(wanted.get_absolute_url()).text
        return len(ctx.captured_queries), html.count("Placed on another mission")

    placed_then_sent(CandidateFactory(), mission_on(client_b, start, 3), wanted)
    with_one = queries()
    for _ in range(3):
        placed_then_sent(CandidateFactory(), mission_on(client_b, start, 3), wanted)

    assert with_one == (with_one[0], 1)
    assert queries() == (with_one[0], 4)

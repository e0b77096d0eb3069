"""Editing a mission goes through `update_mission`: a page read before a selection cannot put
the old state back, the client stays once profiles were sent (R3), a filled mission's period
cannot overlap another placement of its profile (R6), and each edit is a timeline step."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.admin import MissionAdminForm
from missions.forms import MissionForm
from missions.models import EntryState, Event, Mission, MissionState, ShortlistEntry
from tests.factories import ClientFactory, MissionFactory, place

NEXT_YEAR = date.today().year + 1


def desk_form_data(mission, **changes):
    """What the desk's edit page posts for `mission` as it is now (no skills)."""
    data = {
        "client": mission.client_id,
        "title": mission.title,
        "description": mission.description,
        "seniority": mission.seniority,
        "budget": mission.budget or "",
        "start_date": mission.start_date.isoformat() if mission.start_date else "",
        "duration_months": mission.duration_months or "",
        "location": mission.location,
        "remote_policy": mission.remote_policy,
        "technical_test": mission.technical_test,
        "technical_test_details": mission.technical_test_details,
        "owner": mission.owner_id or "",
        "skills-TOTAL_FORMS": 0,
        "skills-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def sent_entry(mission, candidate, by):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Solid.", client_rate=700)
    services.send_shortlist(mission=mission, by=by)
    entry.refresh_from_db()
    return entry


def placed_on(mission, candidate):
    """`candidate` selected on `mission`, which is filled."""
    Mission.objects.filter(pk=mission.pk).update(state=MissionState.FILLED)
    entry = ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        state=EntryState.SELECTED,
        slot=1,
        candidate_rate=550,
        client_rate=700,
        report="Strong Django.",
        sent_at=timezone.now(),
    )
    place(entry)
    return entry


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def two_placements(candidate, client_a, client_b):
    """The profile is placed on January–March (the mission edited) and on May–July."""
    edited = MissionFactory(
        client=client_a, start_date=date(NEXT_YEAR, 1, 1), duration_months=3, reference="M-EDIT"
    )
    later = MissionFactory(
        client=client_b, start_date=date(NEXT_YEAR, 5, 1), duration_months=3, reference="M-LATER"
    )
    placed_on(edited, candidate)
    placed_on(later, candidate)
    edited.refresh_from_db()
    return edited


def edit_refused(mission, by, **fields):
    with pytest.raises(ValidationError) as refused:
        services.update_mission(mission=mission, by=by, fields=fields)
    return refused.value


# ---------------------------------------------------------------- a stale page


def select_while_the_form_is_checked(monkeypatch, form_class, entry, by):
    """The client selects `entry` after the edit request has read the mission and before it
    saves: what a page read before a selection, posted as it lands, does."""
    clean = form_class.clean

    def clean_then_select(form):
        cleaned_data = clean(form)
        services.select_candidate(entry=entry, by=by)
        return cleaned_data

    monkeypatch.setattr(form_class, "clean", clean_then_select)


def test_an_edit_read_before_the_selection_keeps_the_mission_filled(
    desk, monkeypatch, mission_a, candidate, recruiter, alice
):
    entry = sent_entry(mission_a, candidate, recruiter)
    mission_a.refresh_from_db()
    select_while_the_form_is_checked(monkeypatch, MissionForm, entry, alice)

    response = desk.post(
        reverse("missions:edit", args=[mission_a.pk]),
        desk_form_data(mission_a, title="Lead developer Django"),
    )

    assert response.status_code == 302
    mission_a.refresh_from_db()
    entry.refresh_from_db()
    assert (mission_a.title, mission_a.state) == ("Lead developer Django", MissionState.FILLED)
    assert entry.state == EntryState.SELECTED


# ---------------------------------------------------------------- the client (R3)


def test_the_client_cannot_change_once_a_profile_was_sent(mission_a, candidate, recruiter):
    sent_entry(mission_a, candidate, recruiter)
    other = ClientFactory(name="Someone Else")
    events = Event.objects.count()

    refusal = edit_refused(mission_a, recruiter, client=other, title="Changed too")

    assert refusal.code == "client_frozen"
    mission_a.refresh_from_db()
    assert (mission_a.client.name, mission_a.title) == (
        "Transalp Logistique",
        "Développeur Django senior",
    )
    assert Event.objects.count() == events


def test_the_client_of_a_draft_mission_can_change(mission_a, recruiter):
    Mission.objects.filter(pk=mission_a.pk).update(state=MissionState.DRAFT)
    other = ClientFactory(name="Someone Else")

    services.update_mission(mission=mission_a, by=recruiter, fields={"client": other})

    mission_a.refresh_from_db()
    assert mission_a.client.name == "Someone Else"


def test_the_desk_shows_the_client_disabled_once_a_profile_was_sent(
    desk, mission_a, candidate, recruiter
):
    sent_entry(mission_a, candidate, recruiter)
    other = ClientFactory(name="Someone Else")
    mission_a.refresh_from_db()

    page = desk.get(reverse("missions:edit", args=[mission_a.pk])).content.decode()
    desk.post(
        reverse("missions:edit", args=[mission_a.pk]), desk_form_data(mission_a, client=other.pk)
    )

    assert "Profiles were sent to this client: the mission stays theirs." in page
    mission_a.refresh_from_db()
    assert mission_a.client.name == "Transalp Logistique"


# ---------------------------------------------------------------- the period (R6)


def test_a_filled_mission_cannot_stretch_over_its_profiles_next_placement(
    two_placements, recruiter
):
    refusal = edit_refused(two_placements, recruiter, duration_months=5)

    assert refusal.code == "already_placed"
    assert "M-LATER" in refusal.messages[0]
    two_placements.refresh_from_db()
    assert two_placements.duration_months == 3


def test_a_filled_mission_cannot_move_onto_its_profiles_next_placement(two_placements, recruiter):
    refusal = edit_refused(two_placements, recruiter, start_date=date(NEXT_YEAR, 3, 1))

    assert refusal.code == "already_placed"
    two_placements.refresh_from_db()
    assert two_placements.start_date == date(NEXT_YEAR, 1, 1)


def test_a_filled_mission_can_stretch_up_to_the_day_before_the_next_placement(
    two_placements, recruiter
):
    services.update_mission(mission=two_placements, by=recruiter, fields={"duration_months": 4})

    two_placements.refresh_from_db()
    assert (two_placements.duration_months, two_placements.state) == (4, MissionState.FILLED)


def test_the_desk_shows_the_overlap_as_a_form_error_and_changes_nothing(desk, two_placements):
    response = desk.post(
        reverse("missions:edit", args=[two_placements.pk]),
        desk_form_data(two_placements, duration_months=6),
    )

    assert response.status_code == 200
    assert "is already placed on M-LATER" in response.content.decode()
    two_placements.refresh_from_db()
    assert two_placements.duration_months == 3


# ---------------------------------------------------------------- the timeline


def test_an_edit_is_one_timeline_step_naming_the_changed_fields(mission_a, recruiter):
    services.update_mission(
        mission=mission_a,
        by=recruiter,
        fields={"title": "Lead developer", "location": mission_a.location, "duration_months": 9},
    )

    event = Event.objects.get(mission=mission_a)
    assert (event.message, event.author) == ("Mission edited", recruiter)
    assert event.note == "Changed: title, duration (months)"


def test_an_edit_that_changes_nothing_records_nothing(mission_a, recruiter):
    services.update_mission(mission=mission_a, by=recruiter, fields={"title": mission_a.title})

    assert not Event.objects.filter(mission=mission_a).exists()


# ---------------------------------------------------------------- the admin


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def admin_form_data(mission, **changes):
    """What the admin's change form posts for `mission`, its inlines left as they are."""
    data = desk_form_data(mission, **changes)
    entries = list(mission.shortlist.values_list("pk", flat=True))
    data.update(
        {
            "submitted_by": "",
            "shortlist-TOTAL_FORMS": len(entries),
            "shortlist-INITIAL_FORMS": len(entries),
            **{f"shortlist-{i}-id": pk for i, pk in enumerate(entries)},
            **{f"shortlist-{i}-mission": mission.pk for i in range(len(entries))},
        }
    )
    return data


def admin_change_url(mission):
    return reverse("admin:missions_mission_change", args=[mission.pk])


def test_an_admin_edit_is_refused_as_a_form_error_when_it_overlaps_a_placement(
    admin_client, two_placements
):
    response = admin_client.post(
        admin_change_url(two_placements), admin_form_data(two_placements, duration_months=6)
    )

    assert response.status_code == 200
    assert "is already placed on M-LATER" in response.content.decode()
    two_placements.refresh_from_db()
    assert two_placements.duration_months == 3
    assert not Event.objects.filter(mission=two_placements).exists()


def test_an_admin_edit_from_a_page_read_before_the_selection_keeps_the_state_and_is_recorded(
    admin_client, admin_user, monkeypatch, mission_a, candidate, recruiter, alice
):
    entry = sent_entry(mission_a, candidate, recruiter)
    mission_a.refresh_from_db()
    select_while_the_form_is_checked(monkeypatch, MissionAdminForm, entry, alice)

    response = admin_client.post(
        admin_change_url(mission_a), admin_form_data(mission_a, title="Lead developer Django")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    mission_a.refresh_from_db()
    assert (mission_a.title, mission_a.state) == ("Lead developer Django", MissionState.FILLED)
    event = Event.objects.get(mission=mission_a, message="Mission edited")
    assert (event.author, event.note) == (admin_user, "Changed: title")

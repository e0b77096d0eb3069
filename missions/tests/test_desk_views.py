"""Recruiter desk pages: missions, shortlist actions, clients, dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Skill
from interviews.services import schedule_interview
from missions import services
from missions.models import ClientContact, EntryState, Mission, MissionState, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory
from tests.queries import count_queries


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def shortlist(mission, candidates, by, *, report=True):
    entries = []
    for candidate in candidates:
        entry = services.shortlist_candidate(
            mission=mission, candidate=candidate, by=by, confirm_warnings=True
        )
        if report:
            entry.report = "Solid Django background, calm under pressure."
            entry.client_rate = 640
            entry.save()
        entries.append(entry)
    return entries


def test_dashboard_shows_waiting_entries_and_upcoming_interviews(
    desk, mission_a, candidates, recruiter
):
    entries = shortlist(mission_a, candidates[:2], recruiter)
    services.send_shortlist(mission=mission_a, by=recruiter)
    schedule_interview(
        entry=entries[0], by=recruiter, scheduled_at=timezone.now() + timedelta(days=2)
    )
    response = desk.get(reverse("missions:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert mission_a.title in body
    assert entries[1].candidate.client_display_name in body  # still waiting for the client
    assert entries[0].candidate.full_name in body  # upcoming interview


def test_dashboard_query_count_does_not_grow_with_data(desk, recruiter, client_a):
    url = reverse("missions:dashboard")
    mission = MissionFactory(client=client_a, owner=recruiter)
    shortlist(mission, CandidateFactory.create_batch(1), recruiter)
    services.send_shortlist(mission=mission, by=recruiter)
    small = count_queries(desk, url)
    for _ in range(5):
        mission = MissionFactory(client=client_a, owner=recruiter)
        shortlist(mission, CandidateFactory.create_batch(4), recruiter)
        services.send_shortlist(mission=mission, by=recruiter)
    assert count_queries(desk, url) == small


def test_mission_list_filters_by_state_and_text(desk, mission_a, mission_b):
    Mission.objects.filter(pk=mission_b.pk).update(state=MissionState.FILLED, title="Data lead")
    response = desk.get(reverse("missions:list"), {"state": "open"})
    assert mission_a.title.encode() in response.content
    assert b"Data lead" not in response.content
    response = desk.get(reverse("missions:list"), {"q": "data"})
    assert b"Data lead" in response.content


def test_mission_list_filters_by_client_name_or_by_the_id_a_client_page_links_with(
    desk, mission_a, mission_b, client_a
):
    response = desk.get(reverse("missions:list"), {"client_name": "transalp"})
    assert list(response.context["page_obj"]) == [mission_a]
    response = desk.get(reverse("missions:list"), {"client": client_a.pk})
    assert list(response.context["page_obj"]) == [mission_a]
    assert b'name="client_name" value="Transalp Logistique"' in response.content
    assert list(desk.get(reverse("missions:list")).context["page_obj"]) == [mission_b, mission_a]


def test_mission_list_and_detail_query_counts_are_constant(desk, recruiter, client_a):
    first = MissionFactory(client=client_a, owner=recruiter)
    shortlist(first, CandidateFactory.create_batch(1), recruiter)
    list_small = count_queries(desk, reverse("missions:list"))
    detail_small = count_queries(desk, first.get_absolute_url())
    for _ in range(19):
        MissionFactory(client=client_a, owner=recruiter)
    second = MissionFactory(client=client_a, owner=recruiter)
    entries = shortlist(second, CandidateFactory.create_batch(4), recruiter)
    services.send_shortlist(mission=second, by=recruiter)
    for entry in entries[:2]:
        schedule_interview(entry=entry, by=recruiter, scheduled_at=timezone.now())
    assert count_queries(desk, reverse("missions:list")) == list_small
    assert count_queries(desk, second.get_absolute_url()) == detail_small


def test_mission_detail_shows_shortlist_progress_and_timeline(
    desk, mission_a, candidates, recruiter
):
    shortlist(mission_a, candidates[:3], recruiter)
    response = desk.get(mission_a.get_absolute_url())
    body = response.content.decode()
    assert "3 / 4" in body
    assert candidates[0].full_name in body
    assert "1 free slot" in body or "1 place libre" in body or "1 créneau libre" in body


def test_create_mission_with_skills(desk, client_a, recruiter):
    python = Skill.objects.create(name="Python")
    data = {
        "client": client_a.pk,
        "title": "Lead Python",
        "description": "API platform",
        "seniority": "senior",
        "budget": "700",
        "start_date": "2027-01-04",
        "duration_months": "6",
        "location": "Lyon",
        "remote_policy": "hybrid",
        "technical_test": "none",
        "technical_test_details": "",
        "owner": recruiter.pk,
        "skills-TOTAL_FORMS": "1",
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "20",
        "skills-0-skill": python.pk,
        "skills-0-required": "on",
        "skills-0-min_years": "3",
    }
    response = desk.post(reverse("missions:create"), data)
    mission = Mission.objects.get(title="Lead Python")
    assert response.status_code == 302
    assert mission.reference.startswith("M-")
    assert mission.skills.get().skill == python
    assert mission.events.count() == 1


def test_create_mission_with_bad_input_shows_errors_and_saves_nothing(desk, client_a):
    data = {
        "client": client_a.pk,
        "title": "",
        "budget": "-50",
        "seniority": "senior",
        "remote_policy": "hybrid",
        "technical_test": "specific",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }
    response = desk.post(reverse("missions:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"title", "budget", "technical_test_details"} <= set(form.errors)
    assert not Mission.objects.filter(client=client_a).exists()


def test_shortlist_add_refuses_a_fifth_profile_with_a_message(desk, mission_a, recruiter):
    shortlist(mission_a, CandidateFactory.create_batch(4), recruiter)
    fifth = CandidateFactory()
    response = desk.post(
        reverse("missions:shortlist_add", args=[mission_a.pk]),
        {"candidate": fifth.pk, "confirm": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert mission_a.shortlist.count() == 4
    messages = [str(m) for m in response.context["messages"]]
    assert any("4" in m for m in messages)


def test_shortlist_add_asks_confirmation_when_over_budget(desk, mission_a):
    expensive = CandidateFactory(day_rate=900)
    url = reverse("missions:shortlist_add", args=[mission_a.pk])
    response = desk.post(url, {"candidate": expensive.pk})
    assert response.status_code == 200
    assert b"900" in response.content
    assert not mission_a.shortlist.exists()
    desk.post(url, {"candidate": expensive.pk, "confirm": "1"})
    entry = mission_a.shortlist.get()
    assert "900" in entry.warnings


def test_send_shortlist_requires_reports(desk, mission_a, candidates, recruiter):
    shortlist(mission_a, candidates[:2], recruiter, report=False)
    response = desk.post(reverse("missions:shortlist_send", args=[mission_a.pk]), follow=True)
    assert not ShortlistEntry.objects.filter(state=EntryState.SENT).exists()
    assert any(
        "report" in str(m).lower() or "compte" in str(m).lower()
        for m in response.context["messages"]
    )


def test_send_shortlist_emails_the_client_contacts(
    desk, mission_a, candidates, recruiter, alice, mailoutbox, django_capture_on_commit_callbacks
):
    shortlist(mission_a, candidates[:2], recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("missions:shortlist_send", args=[mission_a.pk]))
    mission_a.refresh_from_db()
    assert mission_a.state == MissionState.SHORTLIST_SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [alice.email]
    assert reverse("portal:mission", args=[mission_a.pk]) in mailoutbox[0].body


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "Shortlist sent: 1 profile. The client contacts are notified by email."),
        (2, "Shortlist sent: 2 profiles. The client contacts are notified by email."),
    ],
)
def test_sending_the_shortlist_counts_the_profiles_in_proper_words(
    desk, mission_a, candidates, recruiter, alice, count, said
):
    shortlist(mission_a, candidates[:count], recruiter)

    response = desk.post(reverse("missions:shortlist_send", args=[mission_a.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [said]


def test_entry_report_form_rejects_a_rate_below_the_freelancers(
    desk, mission_a, candidate, recruiter
):
    entry = services.shortlist_candidate(mission=mission_a, candidate=candidate, by=recruiter)
    response = desk.post(
        reverse("missions:entry_edit", args=[entry.pk]), {"report": "ok", "client_rate": "100"}
    )
    assert response.status_code == 200
    assert "client_rate" in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.report == ""


def test_remove_and_withdraw_free_the_slot(desk, mission_a, candidates, recruiter):
    proposed, sent = shortlist(mission_a, candidates[:2], recruiter)
    services.send_shortlist(mission=mission_a, by=recruiter)
    third = services.shortlist_candidate(mission=mission_a, candidate=candidates[2], by=recruiter)
    desk.post(reverse("missions:entry_remove", args=[third.pk]))
    assert not ShortlistEntry.objects.filter(pk=third.pk).exists()
    desk.post(
        reverse("missions:entry_withdraw", args=[sent.pk]),
        {"reason": "candidate_withdrew", "note": "Took another mission"},
    )
    sent.refresh_from_db()
    assert sent.state == EntryState.WITHDRAWN
    assert sent.slot is None


def test_illegal_mission_transition_is_a_message_not_an_error(desk, mission_a):
    response = desk.post(
        reverse("missions:transition", args=[mission_a.pk]), {"to": "filled"}, follow=True
    )
    assert response.status_code == 200
    mission_a.refresh_from_db()
    assert mission_a.state == MissionState.OPEN


def test_client_pages_and_contact_invitation(
    desk, client_a, mailoutbox, django_capture_on_commit_callbacks
):
    assert desk.get(reverse("missions:client_list")).status_code == 200
    assert desk.get(client_a.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("missions:contact_invite", args=[client_a.pk]),
            {"first_name": "Marion", "last_name": "Chevalier", "email": "marion@transalp.test"},
        )
    assert response.status_code == 302
    contact = ClientContact.objects.get(user__email="marion@transalp.test")
    assert contact.client == client_a
    assert not contact.user.has_usable_password()
    assert mailoutbox[0].to == ["marion@transalp.test"]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_client_pages_query_counts_are_constant(desk, client_a, recruiter):
    MissionFactory(client=client_a, owner=recruiter)
    small_list = count_queries(desk, reverse("missions:client_list"))
    small_detail = count_queries(desk, client_a.get_absolute_url())
    for _ in range(19):
        MissionFactory(owner=recruiter)
        MissionFactory(client=client_a, owner=recruiter)
    assert count_queries(desk, reverse("missions:client_list")) == small_list
    assert count_queries(desk, client_a.get_absolute_url()) == small_detail


def test_a_client_contact_cannot_open_the_desk(client, alice, mission_a):
    client.force_login(alice)
    assert client.get(reverse("missions:list")).status_code == 403
    assert client.get(mission_a.get_absolute_url()).status_code == 403


def test_a_new_mission_starting_in_the_past_asks_to_confirm_then_is_created(desk, client_a):
    data = {
        "client": client_a.pk,
        "title": "Late data engineer",
        "seniority": "senior",
        "start_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "duration_months": "6",
        "remote_policy": "hybrid",
        "technical_test": "none",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }
    warned = desk.post(reverse("missions:create"), data)

    assert warned.status_code == 200
    assert "This start date is in the past." in warned.content.decode()
    assert not Mission.objects.filter(title="Late data engineer").exists()

    created = desk.post(reverse("missions:create"), {**data, "confirm_past": "on"})

    assert created.status_code == 302
    assert Mission.objects.filter(title="Late data engineer").exists()


def test_a_mission_description_longer_than_5000_characters_is_a_form_error(desk, client_a):
    data = {
        "client": client_a.pk,
        "title": "Data engineer",
        "description": "x" * 5001,
        "seniority": "senior",
        "duration_months": "6",
        "remote_policy": "hybrid",
        "technical_test": "none",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }

    response = desk.post(reverse("missions:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [
        "Ensure this value has at most 5000 characters (it has 5001)."
    ]
    assert not Mission.objects.filter(title="Data engineer").exists()

"""Nothing lost (R5): what has history cannot be deleted; it is archived instead, out of the
way of the desk, with the author of the change recorded."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client as Browser
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate
from missions import services
from missions.models import Client, Event, Mission, MissionState
from staffing import access
from tests.factories import CandidateFactory, MissionFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def desk(recruiter):
    browser = Browser()
    browser.force_login(recruiter)
    return browser


def shortlist(mission, candidate, recruiter):
    return services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def run_action(admin_client, model, action, *objects):
    return admin_client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# ---------------------------------------------------------------- deletion refused


@pytest.mark.parametrize("model", [Client, Mission], ids=["client", "mission"])
def test_deleting_a_client_or_mission_with_history_shows_the_protected_page(
    admin_client, mission_a, candidate, recruiter, model
):
    entry = shortlist(mission_a, candidate, recruiter)
    obj = mission_a.client if model is Client else mission_a
    url = admin_url(model, "delete", obj.pk)

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    protected = " ".join(str(item) for item in response.context["protected"])
    assert (mission_a.reference if model is Client else str(entry)) in protected
    assert model.objects.filter(pk=obj.pk).exists()


# ---------------------------------------------------------------- archiving in the admin


def test_the_admin_archives_and_restores_profiles_with_their_author(admin_client, admin_user):
    profile = CandidateFactory()

    run_action(admin_client, Candidate, "archive_profiles", profile)
    profile.refresh_from_db()
    assert profile.archived_at is not None
    assert LogEntry.objects.filter(object_id=str(profile.pk), user=admin_user).exists()

    run_action(admin_client, Candidate, "restore_profiles", profile)
    profile.refresh_from_db()
    assert profile.archived_at is None


def test_a_profile_in_a_process_under_way_is_not_archived(
    admin_client, mission_a, candidate, recruiter
):
    shortlist(mission_a, candidate, recruiter)

    response = run_action(admin_client, Candidate, "archive_profiles", candidate)

    candidate.refresh_from_db()
    assert candidate.archived_at is None
    assert any(mission_a.reference in message for message in messages_of(response))


def test_the_admin_archives_a_finished_mission_on_its_timeline(
    admin_client, admin_user, mission_a, mission_b
):
    Mission.objects.filter(pk=mission_a.pk).update(state=MissionState.CANCELLED)

    response = run_action(admin_client, Mission, "archive_missions", mission_a, mission_b)

    mission_a.refresh_from_db()
    mission_b.refresh_from_db()
    assert mission_a.archived_at is not None
    assert mission_b.archived_at is None, "an open mission is closed before it is archived"
    assert any(mission_b.reference in message for message in messages_of(response))
    assert mission_a.events.filter(message="Mission archived", author=admin_user).exists()

    run_action(admin_client, Mission, "restore_missions", mission_a)
    mission_a.refresh_from_db()
    assert mission_a.archived_at is None


def test_the_admin_archives_a_client_without_open_missions_and_its_contacts_lose_the_portal(
    admin_client, client_a, client_b, mission_b, alice
):
    response = run_action(admin_client, Client, "archive_clients", client_a, client_b)

    client_a.refresh_from_db()
    client_b.refresh_from_db()
    assert client_a.is_active is False
    assert client_b.is_active is True
    assert any(mission_b.reference in message for message in messages_of(response))
    alice.__dict__.pop("_staffing_client", None)
    assert access.client_of(alice) is None


# ---------------------------------------------------------------- archiving on the desk


def test_the_profile_page_archives_the_profile_out_of_the_list_and_matching(
    desk, recruiter, candidate, mission_a
):
    matching = reverse("missions:matching", args=[mission_a.pk])
    link = f'href="{candidate.get_absolute_url()}"'
    page = desk.get(candidate.get_absolute_url()).content.decode()
    assert reverse("candidates:archive", args=[candidate.pk]) in page
    assert link in desk.get(reverse("candidates:list")).content.decode()
    assert link in desk.get(matching).content.decode()

    response = desk.post(reverse("candidates:archive", args=[candidate.pk]), follow=True)

    candidate.refresh_from_db()
    assert candidate.archived_at is not None
    assert response.redirect_chain[-1][0] == candidate.get_absolute_url()
    assert any("archived" in message for message in messages_of(response))
    assert LogEntry.objects.filter(object_id=str(candidate.pk), user=recruiter).exists()
    assert link not in desk.get(reverse("candidates:list")).content.decode()
    assert link not in desk.get(matching).content.decode()


def test_the_archive_button_says_why_it_is_disabled_during_a_process(
    desk, recruiter, candidate, mission_a
):
    shortlist(mission_a, candidate, recruiter)

    page = desk.get(candidate.get_absolute_url()).content.decode()
    response = desk.post(reverse("candidates:archive", args=[candidate.pk]), follow=True)

    assert 'disabled aria-describedby="archive-why"' in page
    assert 'id="archive-why"' in page
    candidate.refresh_from_db()
    assert candidate.archived_at is None
    assert any(mission_a.reference in message for message in messages_of(response))


def test_a_placement_that_ended_does_not_block_archiving(desk, recruiter, client_a):
    profile = CandidateFactory()
    mission = MissionFactory(
        client=client_a, start_date=date.today() - timedelta(days=200), duration_months=3
    )
    entry = shortlist(mission, profile, recruiter)
    entry.report, entry.client_rate = "Fine.", 700
    entry.save(update_fields=["report", "client_rate"])
    services.send_shortlist(mission=mission, by=recruiter)
    services.select_candidate(entry=entry, by=recruiter)

    desk.post(reverse("candidates:archive", args=[profile.pk]))

    profile.refresh_from_db()
    assert profile.archived_at is not None


def test_archiving_refuses_a_get(desk, candidate):
    response = desk.get(reverse("candidates:archive", args=[candidate.pk]))

    assert response.status_code == 405
    candidate.refresh_from_db()
    assert candidate.archived_at is None


def test_the_mission_list_hides_archived_missions_unless_asked(
    desk, admin_client, mission_a, mission_b
):
    Mission.objects.filter(pk=mission_a.pk).update(state=MissionState.LOST)
    run_action(admin_client, Mission, "archive_missions", mission_a)
    url = reverse("missions:list")

    default = desk.get(url).content.decode()
    archived = desk.get(url, {"state": "archived"}).content.decode()

    assert mission_a.get_absolute_url() not in default
    assert mission_b.get_absolute_url() in default
    assert mission_a.get_absolute_url() in archived
    assert mission_b.get_absolute_url() not in archived
    assert Event.objects.filter(mission=mission_a, message="Mission archived").exists()

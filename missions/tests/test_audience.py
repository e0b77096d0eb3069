"""Who hears about a mission: its named contacts (who asked, who follow), else every contact."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interviews import services as interview_services
from missions import services
from missions.audience import mission_emails
from missions.models import ClientContact, MissionContact, MissionContactRole
from tests.factories import make_contact


def contact(user):
    return ClientContact.objects.get(user=user)


@pytest.fixture
def carla(client_a):
    return make_contact("carla", client_a, first_name="Carla", last_name="Petit")


@pytest.fixture
def dan(client_a):
    return make_contact("dan", client_a, first_name="Dan", last_name="Roux")


@pytest.fixture
def outbox(mailoutbox, django_capture_on_commit_callbacks):
    def run(change):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return [sorted(m.to) for m in mailoutbox]

    return run


def send_one_profile(mission, candidate, recruiter):
    entry = services.shortlist_candidate(mission=mission, candidate=candidate, by=recruiter)
    services.update_entry(entry=entry, by=recruiter, report="Knows the domain.", client_rate=700)
    services.send_shortlist(mission=mission, by=recruiter)
    entry.refresh_from_db()
    return entry


def name(mission, *, requester=None, followers=(), by):
    services.update_mission(
        mission=mission,
        by=by,
        fields={},
        requester=requester and contact(requester),
        followers=[contact(u) for u in followers],
    )


def test_the_shortlist_email_goes_to_who_asked_and_who_follows_only(
    mission_a, candidate, recruiter, alice, carla, dan, outbox
):
    name(mission_a, requester=alice, followers=[dan], by=recruiter)
    sent = outbox(lambda: send_one_profile(mission_a, candidate, recruiter))
    assert sent == [["alice@example.com", "dan@example.com"]]


def test_a_mission_naming_nobody_emails_every_contact_of_the_company(
    mission_a, candidate, recruiter, alice, carla, bob, outbox
):
    sent = outbox(lambda: send_one_profile(mission_a, candidate, recruiter))
    assert sent == [["alice@example.com", "carla@example.com"]]


def test_named_contacts_who_left_fall_back_to_every_contact(
    mission_a, recruiter, alice, carla, dan
):
    name(mission_a, requester=alice, by=recruiter)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert mission_emails(mission_a) == ["carla@example.com", "dan@example.com"]


def test_the_interview_invitations_go_to_the_named_contacts_and_the_recruiter(
    mission_a, candidate, recruiter, alice, carla, outbox
):
    name(mission_a, requester=carla, by=recruiter)
    entry = send_one_profile(mission_a, candidate, recruiter)
    sent = outbox(
        lambda: interview_services.schedule_interview(
            entry=entry,
            by=recruiter,
            scheduled_at=timezone.now() + timedelta(days=2),
            recruiter=recruiter,
        )
    )
    assert ["carla@example.com", "recruiter@example.com"] in sent
    assert not any("alice@example.com" in to for to in sent)


def test_the_follow_up_reminds_the_named_contacts_only(
    mission_a, candidate, recruiter, alice, carla, outbox
):
    name(mission_a, followers=[carla], by=recruiter)
    send_one_profile(mission_a, candidate, recruiter)
    sent = outbox(lambda: services.follow_up_client(mission=mission_a, by=recruiter))
    assert sent == [["carla@example.com"]]


def test_a_contact_of_another_company_cannot_be_named(mission_a, recruiter, bob):
    with pytest.raises(ValidationError) as refused:
        name(mission_a, followers=[bob], by=recruiter)
    assert refused.value.code == "contact_of_another_client"
    assert not MissionContact.objects.exists()


def test_naming_contacts_is_a_step_of_the_timeline(mission_a, recruiter, alice):
    name(mission_a, requester=alice, by=recruiter)
    assert mission_a.events.filter(note="Changed: client contacts").exists()


def test_a_mission_moved_to_another_client_keeps_none_of_the_former_contacts(
    mission_a, recruiter, alice, client_b
):
    name(mission_a, requester=alice, by=recruiter)
    services.update_mission(mission=mission_a, by=recruiter, fields={"client": client_b})
    assert not mission_a.contact_links.exists()


def test_a_demand_from_the_portal_is_asked_for_by_its_author(client, alice, carla):
    client.force_login(alice)
    client.post(
        reverse("portal:new_demand"),
        {"title": "Data engineer", "seniority": "senior", "remote_policy": "hybrid"},
    )
    [link] = MissionContact.objects.all()
    assert (link.contact.user, link.role) == (alice, MissionContactRole.REQUESTER)


def test_the_mission_form_names_who_asked_and_who_follows(
    client, recruiter, client_a, alice, carla, dan
):
    client.force_login(recruiter)
    response = client.post(
        reverse("missions:create"),
        {
            "client": client_a.pk,
            "title": "Data engineer",
            "seniority": "senior",
            "remote_policy": "hybrid",
            "technical_test": "none",
            "owner": recruiter.pk,
            "requester": contact(alice).pk,
            "followers": [contact(carla).pk],
            "skills-TOTAL_FORMS": "0",
            "skills-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    roles = sorted(MissionContact.objects.values_list("contact__user__username", "role"))
    assert roles == [("alice", "requester"), ("carla", "follower")]


def test_the_mission_form_refuses_a_contact_of_another_client(client, recruiter, client_a, bob):
    client.force_login(recruiter)
    response = client.post(
        reverse("missions:create"),
        {
            "client": client_a.pk,
            "title": "Data engineer",
            "seniority": "senior",
            "remote_policy": "hybrid",
            "technical_test": "none",
            "owner": recruiter.pk,
            "followers": [contact(bob).pk],
            "skills-TOTAL_FORMS": "0",
            "skills-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["followers"] == [
        "Choose contacts of Transalp Logistique."
    ]
    assert not MissionContact.objects.exists()


def test_the_admin_shows_who_the_mission_is_for(client, admin_user, mission_a, recruiter, alice):
    name(mission_a, requester=alice, by=recruiter)
    client.force_login(admin_user)
    change = client.get(reverse("admin:missions_mission_change", args=[mission_a.pk]))
    assert "Alice Moreau (Asked for it)" in change.text
    assert client.get(reverse("admin:missions_mission_add")).status_code == 200

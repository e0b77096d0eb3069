"""A demand submitted in the portal tells the recruiters, with a link to the draft mission."""

from django.urls import reverse

from missions.models import Mission
from staffing.models import OutgoingEmail
from tests.factories import make_recruiter


def test_a_demand_submitted_in_the_portal_emails_every_recruiter_a_link_to_the_draft(
    client, alice, admin_user, recruiter, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://desk.example.com"
    make_recruiter("former", email="former@example.com", is_active=False)
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:new_demand"),
            {"title": "Data engineer", "seniority": "senior", "remote_policy": "hybrid"},
        )

    assert response.status_code == 302
    mission = Mission.objects.get(title="Data engineer")
    (email,) = mailoutbox
    assert sorted(email.to) == ["admin@example.com", "recruiter@example.com"]
    assert email.subject == "New demand from Transalp Logistique: Data engineer"
    assert "Alice Moreau (Transalp Logistique) submitted a demand" in email.body
    assert f"http://desk.example.com/missions/{mission.pk}/" in email.body
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_a_refused_demand_sends_no_email(client, alice, recruiter, mailoutbox):
    client.force_login(alice)

    response = client.post(reverse("portal:new_demand"), {"seniority": "senior"})

    assert response.status_code == 200
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()

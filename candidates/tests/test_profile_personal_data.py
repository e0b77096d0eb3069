"""A profile's page: who downloaded the CV and when, the GDPR export and anonymisation for
those allowed (with a confirmation step), and positioning the profile on an open mission."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from candidates.models import Candidate, CvDownload
from missions.models import MissionState
from tests.factories import CandidateFactory, MissionFactory, make_recruiter
from tests.queries import count_queries

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def privacy_officer(db):
    user = make_recruiter("sophie", first_name="Sophie", last_name="Roux")
    user.user_permissions.add(Permission.objects.get(codename="handle_personal_data"))
    return user


def page(client, candidate):
    return client.get(reverse("candidates:detail", args=[candidate.pk])).content.decode()


def test_each_cv_download_is_recorded_with_who_and_when(desk, recruiter, candidate):
    candidate.cv.save("cv.pdf", ContentFile(PDF))

    desk.get(reverse("candidates:cv", args=[candidate.pk]))
    desk.get(reverse("candidates:cv", args=[candidate.pk]))

    downloads = CvDownload.objects.filter(candidate=candidate)
    assert [d.user for d in downloads] == [recruiter, recruiter]


def test_the_profile_page_lists_who_downloaded_the_cv(desk, client, recruiter, candidate):
    candidate.cv.save("cv.pdf", ContentFile(PDF))
    desk.get(reverse("candidates:cv", args=[candidate.pk]))

    body = page(desk, candidate)

    assert "CV downloads" in body
    assert "Élodie Martin" in body.split("CV downloads")[1].split("</ul>")[0]


def test_a_profile_never_downloaded_says_so(desk, candidate):
    assert "Nobody has downloaded the CV yet." in page(desk, candidate)


def test_a_recruiter_without_the_permission_sees_no_gdpr_action_and_is_refused(desk, candidate):
    body = page(desk, candidate)

    assert reverse("candidates:export", args=[candidate.pk]) not in body
    assert reverse("candidates:anonymise", args=[candidate.pk]) not in body
    response = desk.post(reverse("candidates:anonymise", args=[candidate.pk]))
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.anonymised_at is None


def test_a_recruiter_with_the_permission_exports_the_profile_as_json(
    client, privacy_officer, candidate
):
    client.force_login(privacy_officer)
    assert reverse("candidates:export", args=[candidate.pk]) in page(client, candidate)

    response = client.post(reverse("candidates:export", args=[candidate.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="profile-{candidate.pk}.json"'
    assert response["Cache-Control"] == "private, no-store"
    export = json.loads(response.content)
    assert export["profile"]["last_name"] == "Lefèvre"
    assert export["cv_downloads"] == []


def test_the_export_lists_the_cv_downloads(client, privacy_officer, candidate):
    candidate.cv.save("cv.pdf", ContentFile(PDF))
    client.force_login(privacy_officer)
    client.get(reverse("candidates:cv", args=[candidate.pk]))

    export = json.loads(client.post(reverse("candidates:export", args=[candidate.pk])).content)

    assert [d["by"] for d in export["cv_downloads"]] == ["Sophie Roux"]


def test_anonymising_asks_for_confirmation_then_wipes_the_person(
    client, privacy_officer, candidate
):
    client.force_login(privacy_officer)
    body = page(client, candidate)
    assert "This cannot be undone." in body  # the confirmation step, in a closed menu

    response = client.post(reverse("candidates:anonymise", args=[candidate.pk]), follow=True)

    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None
    assert candidate.first_name == "Anonymised"
    assert "Profile anonymised" in response.content.decode()


def test_a_profile_in_a_process_is_not_anonymised_and_the_page_says_why(
    client, privacy_officer, candidate, mission_a
):
    from missions import services

    services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=privacy_officer, confirm_warnings=True
    )
    client.force_login(privacy_officer)

    response = client.post(reverse("candidates:anonymise", args=[candidate.pk]), follow=True)

    assert "close it before anonymising" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None


def test_an_admin_may_anonymise_without_a_granted_permission(client, admin_user):
    candidate = CandidateFactory()
    client.force_login(admin_user)

    client.post(reverse("candidates:anonymise", args=[candidate.pk]))

    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None


def test_the_profile_page_offers_the_open_missions_to_position_it_on(desk, candidate, client_a):
    open_mission = MissionFactory(client=client_a, state=MissionState.OPEN, title="Data lead")
    MissionFactory(client=client_a, state=MissionState.FILLED, title="Old filled mission")

    body = page(desk, candidate)

    assert f'<option value="{open_mission.pk}">' in body
    assert "Old filled mission" not in body


def test_positioning_from_the_profile_page_shortlists_it_and_comes_back(desk, candidate, client_a):
    mission = MissionFactory(client=client_a, state=MissionState.OPEN, budget=900)

    response = desk.post(
        reverse("missions:position"),
        {"mission": mission.pk, "candidate": candidate.pk, "next": candidate.get_absolute_url()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == candidate.get_absolute_url()
    assert mission.shortlist.get().candidate == candidate
    assert f"Camille Lefèvre added to the shortlist of {mission.reference}." in (
        response.content.decode()
    )


def test_positioning_above_the_budget_asks_to_confirm_first(desk, candidate, client_a):
    mission = MissionFactory(client=client_a, state=MissionState.OPEN, budget=400)

    response = desk.post(
        reverse("missions:position"), {"mission": mission.pk, "candidate": candidate.pk}
    )

    assert response.status_code == 200
    assert "above the client&#x27;s budget" in response.content.decode()
    assert not mission.shortlist.exists()


def test_positioning_without_a_mission_is_a_message_not_a_crash(desk, candidate):
    response = desk.post(reverse("missions:position"), {"candidate": candidate.pk}, follow=True)

    assert "Choose an open mission to position the profile on." in response.content.decode()


def test_the_profile_page_keeps_its_query_count_with_more_downloads_and_missions(
    desk, recruiter, candidate, client_a
):
    candidate.cv.save("cv.pdf", ContentFile(PDF))
    url = reverse("candidates:detail", args=[candidate.pk])
    desk.get(reverse("candidates:cv", args=[candidate.pk]))
    MissionFactory(client=client_a, state=MissionState.OPEN)
    one = count_queries(desk, url)
    for _ in range(5):
        desk.get(reverse("candidates:cv", args=[candidate.pk]))
        MissionFactory(client=client_a, state=MissionState.OPEN)

    assert count_queries(desk, url) == one

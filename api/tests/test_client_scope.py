"""A client contact's token: their own company's data only, and only what a client may
see of a profile (SPEC §5, R3)."""

import json

import pytest

from missions import services
from tests.factories import CandidateFactory


def shortlist(mission, candidate, recruiter, *, rate=700):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    services.update_entry(
        entry=entry, by=recruiter, report="Knows the domain well.", client_rate=rate
    )
    return entry


@pytest.fixture
def scene(mission_a, mission_b, recruiter):
    """Alice's mission with a sent profile and a proposed one; bob's with a sent one."""
    camille = CandidateFactory(
        first_name="Camille",
        last_name="Lefèvre",
        email="camille.lefevre@mail.test",
        phone="06 11 22 33 44",
        address="3 rue Vendôme, 69006 Lyon",
        day_rate=555,
        internal_notes="Wants 600, accepts 555",
    )
    sent_a = shortlist(mission_a, camille, recruiter, rate=720)
    services.send_shortlist(mission=mission_a, by=recruiter)
    proposed_a = shortlist(mission_a, CandidateFactory(first_name="Draft"), recruiter)
    sent_b = shortlist(mission_b, CandidateFactory(first_name="Bobsprofile"), recruiter)
    services.send_shortlist(mission=mission_b, by=recruiter)
    return {"sent_a": sent_a, "proposed_a": proposed_a, "sent_b": sent_b}


def test_alice_lists_only_the_profiles_sent_to_her_company(alice_api, scene):
    response = alice_api.get("/api/v1/portal/profiles/")

    assert response.status_code == 200
    assert [card["id"] for card in response.json()["results"]] == [scene["sent_a"].pk]


def test_alice_reads_a_profile_with_the_client_safe_fields_only(alice_api, scene):
    response = alice_api.get(f"/api/v1/portal/profiles/{scene['sent_a'].pk}/")

    assert response.status_code == 200
    card = response.json()
    assert card["display_name"] == "Camille L."
    assert card["client_rate"] == 720
    assert card["report"] == {
        "sections": [{"label": "Why this profile", "text": "Knows the domain well."}],
        "author": "Élodie Martin",
    }
    for hidden in (
        "email",
        "phone",
        "address",
        "last_name",
        "day_rate",
        "candidate_rate",
        "margin",
        "margin_rate",
        "internal_notes",
        "warnings",
        "cv",
    ):
        assert hidden not in card
    text = json.dumps(card, ensure_ascii=False)
    for secret in (
        "camille.lefevre@mail.test",
        "06 11 22 33 44",
        "Vendôme",
        "Lefèvre",
        "555",
        "Wants 600",
    ):
        assert secret not in text


def test_alice_gets_a_404_for_another_companys_profile_and_for_a_draft(alice_api, scene):
    assert alice_api.get(f"/api/v1/portal/profiles/{scene['sent_b'].pk}/").status_code == 404
    assert alice_api.get(f"/api/v1/portal/profiles/{scene['proposed_a'].pk}/").status_code == 404


def test_alice_lists_only_her_companys_missions(alice_api, scene, mission_a, mission_b):
    response = alice_api.get("/api/v1/portal/missions/")

    assert [m["id"] for m in response.json()["results"]] == [mission_a.pk]
    assert alice_api.get(f"/api/v1/portal/missions/{mission_b.pk}/").status_code == 404


def test_a_client_token_is_refused_on_the_recruiters_endpoints(alice_api, scene, mission_a):
    for url in ("/api/v1/missions/", "/api/v1/profiles/", f"/api/v1/missions/{mission_a.pk}/"):
        response = alice_api.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"


def test_filtering_by_another_companys_mission_tells_nothing(alice_api, scene, mission_b):
    response = alice_api.get("/api/v1/portal/profiles/", {"mission": mission_b.pk})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_alice_requests_an_interview_then_declines_through_the_services(alice_api, scene):
    url = f"/api/v1/portal/profiles/{scene['sent_a'].pk}"

    asked = alice_api.post(f"{url}/request-interview/", {"slots": "Tuesday afternoon"})
    assert asked.status_code == 200, asked.json()
    assert asked.json()["state"] == "interview_requested"

    again = alice_api.post(f"{url}/request-interview/", {"slots": "Wednesday"})
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"

    declined = alice_api.post(f"{url}/decline/", {"reason": "rate_too_high"})
    assert declined.status_code == 200, declined.json()
    assert declined.json()["state"] == "declined"


def test_a_decline_without_a_reason_is_a_400_naming_the_field(alice_api, scene):
    response = alice_api.post(f"/api/v1/portal/profiles/{scene['sent_a'].pk}/decline/", {})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "reason" in response.json()["errors"]


def test_alice_selects_a_profile_and_the_mission_is_filled(alice_api, scene, mission_a):
    response = alice_api.post(
        f"/api/v1/portal/profiles/{scene['sent_a'].pk}/select/", {"note": "Start on Monday."}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "selected"
    mission_a.refresh_from_db()
    assert mission_a.state == "filled"


def test_bob_cannot_answer_for_alices_profile(bob_api, scene):
    response = bob_api.post(
        f"/api/v1/portal/profiles/{scene['sent_a'].pk}/decline/", {"reason": "rate_too_high"}
    )

    assert response.status_code == 404
    scene["sent_a"].refresh_from_db()
    assert scene["sent_a"].state == "sent"

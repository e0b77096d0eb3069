"""The rules hold over the API as on the pages: a refusal is a 4xx with its code and a
readable message, bad input names its fields, nothing is half-saved, never a 500."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from candidates.models import Candidate
from interviews.models import Interview
from missions import services
from missions.models import Mission
from tests.factories import CandidateFactory, SkillFactory


@pytest.fixture
def sent_entry(mission_a, candidate, recruiter):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    services.update_entry(entry=entry, by=recruiter, report="Good.", client_rate=700)
    services.send_shortlist(mission=mission_a, by=recruiter)
    return entry


def schedule(api, entry, days):
    return api.post(
        "/api/v1/interviews/",
        {"entry": entry.pk, "scheduled_at": (timezone.now() + timedelta(days=days)).isoformat()},
    )


def test_a_fourth_interview_is_refused_with_its_code(recruiter_api, sent_entry):
    numbers = [schedule(recruiter_api, sent_entry, days).json()["number"] for days in (1, 2, 3)]
    assert numbers == [1, 2, 3]

    fourth = schedule(recruiter_api, sent_entry, 4)

    assert fourth.status_code == 409
    assert fourth.json()["code"] == "interviews_full"
    assert "no fourth one" in fourth.json()["detail"]
    assert Interview.objects.filter(entry=sent_entry).count() == 3


def test_a_cancelled_interview_frees_its_place(recruiter_api, sent_entry):
    first = schedule(recruiter_api, sent_entry, 1).json()
    schedule(recruiter_api, sent_entry, 2)
    schedule(recruiter_api, sent_entry, 3)

    cancelled = recruiter_api.post(f"/api/v1/interviews/{first['id']}/cancel/", {"note": "Ill"})

    assert cancelled.json()["state"] == "cancelled"
    assert schedule(recruiter_api, sent_entry, 4).status_code == 201


def test_feedback_before_the_interview_took_place_is_refused(recruiter_api, sent_entry):
    interview = schedule(recruiter_api, sent_entry, 1).json()

    response = recruiter_api.post(
        f"/api/v1/interviews/{interview['id']}/feedback/",
        {"hard_skills_rating": 4, "soft_skills_rating": 4, "verdict": "go"},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "too_early"


def test_a_state_only_an_action_causes_is_refused_by_hand(recruiter_api, mission_a):
    response = recruiter_api.post(f"/api/v1/missions/{mission_a.pk}/transition/", {"to": "filled"})

    assert response.status_code == 409
    assert response.json() == {
        "code": "illegal_transition",
        "detail": "A mission is filled by selecting one of its profiles.",
    }


def test_cancelling_a_mission_needs_a_reason(recruiter_api, mission_a):
    response = recruiter_api.post(
        f"/api/v1/missions/{mission_a.pk}/transition/", {"to": "cancelled"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"


def test_rate_warnings_ask_for_a_confirmation_first(recruiter_api, mission_a):
    expensive = CandidateFactory(day_rate=mission_a.budget + 100)
    body = {"mission": mission_a.pk, "profile": expensive.pk}

    refused = recruiter_api.post("/api/v1/shortlist-entries/", body)
    confirmed = recruiter_api.post("/api/v1/shortlist-entries/", {**body, "confirm_warnings": True})

    assert refused.status_code == 409
    assert refused.json()["code"] == "confirmation_required"
    assert "above the client's budget" in refused.json()["detail"]
    assert confirmed.status_code == 201
    assert "above the client's budget" in confirmed.json()["warnings"]


def test_a_rate_sold_below_the_freelancers_is_refused_and_nothing_is_positioned(
    recruiter_api, mission_a, candidate
):
    response = recruiter_api.post(
        "/api/v1/shortlist-entries/",
        {"mission": mission_a.pk, "profile": candidate.pk, "report": "Good.", "client_rate": 100},
    )

    assert response.status_code == 400
    assert "client_rate" in response.json()["errors"]
    assert not mission_a.shortlist.exists()


def test_a_start_date_out_of_the_supported_years_is_a_field_error(recruiter_api, client_a):
    response = recruiter_api.post(
        "/api/v1/missions/", {"client": client_a.pk, "title": "Far", "start_date": "9999-12-31"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["start_date"]
    assert not Mission.objects.exists()


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json"])
def test_a_body_that_is_not_a_json_object_is_a_400(recruiter_api, body):
    response = recruiter_api.browser.post(
        "/api/v1/missions/", body, content_type="application/json", headers=recruiter_api.headers
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"code", "detail"}


def test_an_unknown_mission_in_a_body_is_a_field_error(recruiter_api, candidate):
    response = recruiter_api.post(
        "/api/v1/shortlist-entries/", {"mission": 999999, "profile": candidate.pk}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"mission": ["Unknown id: 999999."]}


def test_a_profile_is_created_with_its_skills_experiences_and_projects(recruiter_api, recruiter):
    python = SkillFactory(name="Python")
    response = recruiter_api.post(
        "/api/v1/profiles/",
        {
            "first_name": "Inès",
            "last_name": "Garnier",
            "headline": "Data engineer",
            "seniority": "senior",
            "day_rate": 620,
            "channel": "referral",
            "experiences": [
                {
                    "company": "Acme",
                    "role": "Data engineer",
                    "start": "2020-01-01",
                    "end": "2022-12-31",
                    "technologies": [python.pk],
                }
            ],
            "projects": [{"name": "Open data", "context": "personal", "duration_months": 3}],
        },
    )

    assert response.status_code == 201, response.json()
    profile = response.json()
    assert profile["owner"] == recruiter.pk
    assert [e["company"] for e in profile["experiences"]] == ["Acme"]
    assert [p["name"] for p in profile["projects"]] == ["Open data"]
    # The years of a skill come from the experiences, as on the desk.
    assert [(s["name"], s["years"]) for s in profile["skills"]] == [("Python", "3.0")]


def test_a_possible_duplicate_is_refused_until_confirmed(recruiter_api):
    existing = CandidateFactory(first_name="Inès", last_name="Garnier", email="ines@example.com")
    profile = {
        "first_name": "Ines",
        "last_name": "Garnier",
        "email": "INES@example.com",
        "headline": "Data engineer",
        "seniority": "senior",
        "day_rate": 620,
        "channel": "referral",
    }

    refused = recruiter_api.post("/api/v1/profiles/", profile)

    assert refused.status_code == 400
    assert refused.json()["errors"]["possible_duplicates"] == [f"{existing.pk}: same email"]
    assert Candidate.objects.count() == 1
    confirmed = recruiter_api.post("/api/v1/profiles/", {**profile, "confirm_duplicates": True})
    assert confirmed.status_code == 201, confirmed.json()
    assert Candidate.objects.count() == 2


def test_a_profile_list_given_in_a_patch_replaces_the_list(recruiter_api):
    python, go = SkillFactory(name="Python"), SkillFactory(name="Go")
    created = recruiter_api.post(
        "/api/v1/profiles/",
        {
            "first_name": "Inès",
            "last_name": "Garnier",
            "headline": "Data engineer",
            "seniority": "senior",
            "day_rate": 620,
            "channel": "referral",
            "skills": [{"skill": python.pk, "years": "4", "years_override": True}],
        },
    ).json()

    patched = recruiter_api.patch(
        f"/api/v1/profiles/{created['id']}/",
        {"headline": "Lead data engineer", "skills": [{"skill": go.pk, "level": 4}]},
    )

    assert patched.status_code == 200, patched.json()
    assert patched.json()["headline"] == "Lead data engineer"
    assert patched.json()["first_name"] == "Inès"
    assert [s["name"] for s in patched.json()["skills"]] == ["Go"]


def test_a_bad_experience_saves_nothing_of_the_profile(recruiter_api):
    response = recruiter_api.post(
        "/api/v1/profiles/",
        {
            "first_name": "Inès",
            "last_name": "Garnier",
            "headline": "Data engineer",
            "seniority": "senior",
            "day_rate": 620,
            "channel": "referral",
            "experiences": [
                {"company": "Acme", "role": "Dev", "start": "2022-01-01", "end": "2020-01-01"}
            ],
        },
    )

    assert response.status_code == 400
    assert "experiences[0].end" in response.json()["errors"]
    assert not Candidate.objects.exists()


def test_a_mission_edit_changes_only_the_fields_given(recruiter_api, mission_a):
    response = recruiter_api.patch(f"/api/v1/missions/{mission_a.pk}/", {"budget": 720})

    assert response.status_code == 200, response.json()
    mission_a.refresh_from_db()
    assert (mission_a.budget, mission_a.title) == (720, "Développeur Django senior")


def test_the_client_of_a_mission_already_sent_stays_theirs(recruiter_api, sent_entry, client_b):
    response = recruiter_api.patch(
        f"/api/v1/missions/{sent_entry.mission_id}/", {"client": client_b.pk}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "client_frozen"
    sent_entry.mission.refresh_from_db()
    assert sent_entry.mission.client != client_b


def test_missions_are_filtered_by_state_skill_and_update_time(recruiter_api, mission_a, mission_b):
    python = SkillFactory(name="Python")
    mission_a.skills.create(skill=python, required=True, min_years=1)
    Mission.objects.filter(pk=mission_b.pk).update(state="draft")
    since = (timezone.now() - timedelta(minutes=5)).isoformat()

    def ids(**query):
        return [m["id"] for m in recruiter_api.get("/api/v1/missions/", query).json()["results"]]

    assert ids(state="open") == [mission_a.pk]
    assert ids(skills=str(python.pk)) == [mission_a.pk]
    assert sorted(ids(updated_since=since)) == sorted([mission_a.pk, mission_b.pk])
    assert ids(updated_since=(timezone.now() + timedelta(minutes=5)).isoformat()) == []


def test_profiles_are_filtered_by_rate_and_availability(recruiter_api):
    cheap = CandidateFactory(day_rate=400, available_from=date.today())
    CandidateFactory(day_rate=800, available_from=date.today() + timedelta(days=90))

    response = recruiter_api.get(
        "/api/v1/profiles/",
        {"rate_max": 500, "available_before": (date.today() + timedelta(days=1)).isoformat()},
    )

    assert [p["id"] for p in response.json()["results"]] == [cheap.pk]

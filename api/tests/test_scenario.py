"""The issue's "done when", as an integrator would do it with curl: a recruiter's token
creates a mission, shortlists four profiles, is refused a fifth with a clear error, and
sends the shortlist."""

from datetime import date, timedelta

from missions.models import EntryState, MissionState, ShortlistEntry
from tests.factories import CandidateFactory


def test_a_recruiter_creates_a_mission_shortlists_four_is_refused_a_fifth_and_sends(
    recruiter_api, client_a, python_skill, mailoutbox, alice, django_capture_on_commit_callbacks
):
    start = (date.today() + timedelta(days=30)).isoformat()
    created = recruiter_api.post(
        "/api/v1/missions/",
        {
            "client": client_a.pk,
            "title": "Développeur Django senior",
            "budget": 700,
            "start_date": start,
            "duration_months": 6,
            "skills": [{"skill": python_skill.pk, "required": True, "min_years": "3"}],
        },
    )
    assert created.status_code == 201, created.json()
    mission = created.json()
    assert mission["state"] == "draft"
    assert mission["client"] == client_a.pk
    assert mission["reference"].startswith("M-")
    assert [s["name"] for s in mission["skills"]] == ["Python"]

    opened = recruiter_api.post(f"/api/v1/missions/{mission['id']}/transition/", {"to": "open"})
    assert opened.status_code == 200, opened.json()
    assert opened.json()["state"] == "open"

    profiles = CandidateFactory.create_batch(5, day_rate=500)
    for profile in profiles[:4]:
        added = recruiter_api.post(
            "/api/v1/shortlist-entries/",
            {
                "mission": mission["id"],
                "profile": profile.pk,
                "report": "Solid Django background, available in two weeks.",
                "client_rate": 650,
            },
        )
        assert added.status_code == 201, added.json()
        assert added.json()["state"] == "proposed"

    fifth = recruiter_api.post(
        "/api/v1/shortlist-entries/", {"mission": mission["id"], "profile": profiles[4].pk}
    )
    assert fifth.status_code == 409
    assert fifth.json() == {
        "code": "shortlist_full",
        "detail": "The shortlist is full: 4 profiles at most. Remove one to add another.",
    }

    with django_capture_on_commit_callbacks(execute=True):
        sent = recruiter_api.post(f"/api/v1/missions/{mission['id']}/send-shortlist/")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["state"] == MissionState.SHORTLIST_SENT
    states = ShortlistEntry.objects.filter(mission_id=mission["id"]).values_list("state", flat=True)
    assert sorted(states) == [EntryState.SENT] * 4
    assert [message.to for message in mailoutbox] == [[alice.email]]


def test_sending_a_shortlist_without_reports_is_refused_with_its_code(
    recruiter_api, mission_a, candidate
):
    added = recruiter_api.post(
        "/api/v1/shortlist-entries/", {"mission": mission_a.pk, "profile": candidate.pk}
    )
    assert added.status_code == 201, added.json()

    sent = recruiter_api.post(f"/api/v1/missions/{mission_a.pk}/send-shortlist/")

    assert sent.status_code == 409
    assert sent.json()["code"] == "report_missing"
    assert candidate.full_name in sent.json()["detail"]

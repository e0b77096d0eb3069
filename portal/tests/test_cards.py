"""R3 and SPEC §5: what a client sees of a profile, and what it never sees."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import CandidateSkill, Experience, Project
from interviews import services as interview_services
from interviews.models import Interview
from missions import services
from missions.models import EndedBy, ShortlistEntry
from portal.cards import ClientProfileCard, client_card, with_card_data
from tests.factories import CandidateFactory, SkillFactory

SECRETS = {
    "email": "octave.secret-mail@hidden.test",
    "phone": "07 99 88 77 66",
    "address": "42 impasse Cachée, 69009 Lyon",
    "last name": "Zabrowski",
    "internal notes": "Negotiates hard, ask for 580",
    "soft-skill notes": "Private soft-skill remark",
    "project link": "https://github.com/ozabrowski/secret-repo",
    "freelancer's rate": "613",
    "margin": "177",
    "margin rate": "22,4",
    "margin rate (en)": "22.4",
    "interview internal notes": "Has another offer at Nantilus",
    "hard-skill notes": "Hesitated on Terraform state locking",
}
CLIENT_RATE = 790


@pytest.fixture
def profile(recruiter):
    """A real profile with distinctive private values, sent to alice's company."""
    candidate = CandidateFactory(
        first_name="Octave",
        last_name="Zabrowski",
        email=SECRETS["email"],
        phone=SECRETS["phone"],
        address=SECRETS["address"],
        day_rate=613,
        internal_notes=SECRETS["internal notes"],
        soft_skill_notes=SECRETS["soft-skill notes"],
        headline="Kubernetes platform engineer",
        location="Lyon",
        available_from=date.today() + timedelta(days=40),
    )
    kubernetes = SkillFactory(name="Kubernetes")
    CandidateSkill.objects.create(candidate=candidate, skill=kubernetes, years=6)
    experience = Experience.objects.create(
        candidate=candidate,
        company="Telecom operator",
        role="SRE",
        start=date(2019, 3, 1),
        end=date(2024, 6, 30),
        description="Migrated 40 services to GKE.",
    )
    experience.technologies.add(kubernetes)
    Project.objects.create(
        candidate=candidate,
        name="Homelab operator",
        context=Project.Context.PERSONAL,
        duration_months=5,
        link=SECRETS["project link"],
    )
    return candidate


@pytest.fixture
def sent_entry(mission_a, profile, recruiter):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=profile, by=recruiter, confirm_warnings=True
    )
    entry.report = "Six years of Kubernetes in production, on call included."
    entry.client_rate = CLIENT_RATE
    entry.save()
    services.send_shortlist(mission=mission_a, by=recruiter)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def past_interview(sent_entry, recruiter):
    """An interview that took place, with the recruiter's private feedback recorded."""
    interview = interview_services.schedule_interview(
        entry=sent_entry,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=1),
        recruiter=recruiter,
    )
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=3)
    )
    interview.refresh_from_db()
    interview_services.record_feedback(
        interview=interview,
        by=recruiter,
        hard_skills_rating=4,
        hard_skills_notes=SECRETS["hard-skill notes"],
        soft_skills_rating=5,
        verdict="go",
        summary="Very convincing on GKE.",
        internal_notes=SECRETS["interview internal notes"],
        causes=["rate_too_high"],
    )
    return interview


def every_portal_page(entry, interview):
    return [
        reverse("portal:home"),
        reverse("portal:mission", args=[entry.mission_id]),
        reverse("portal:entry", args=[entry.pk]),
        reverse("portal:request_interview", args=[entry.pk]),
        reverse("portal:decline", args=[entry.pk]),
        reverse("portal:select", args=[entry.pk]),
        reverse("portal:interviews"),
        reverse("portal:feedback", args=[interview.pk]),
        reverse("portal:new_demand"),
    ]


def test_no_portal_page_shows_what_a_client_may_not_see(client, alice, sent_entry, past_interview):
    client.force_login(alice)
    pages = {}
    for url in every_portal_page(sent_entry, past_interview):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
    for url, html in pages.items():
        for what, secret in SECRETS.items():
            assert secret not in html, f"{what} shown on {url}"
    mission_page = pages[reverse("portal:mission", args=[sent_entry.mission_id])]
    assert "790" in mission_page
    assert "Octave Z." in mission_page
    assert "Very convincing on GKE." in mission_page


def test_the_page_check_catches_a_leak(client, alice, sent_entry, past_interview):
    # Proves the test above can fail: a secret put where clients read shows up.
    sent_entry.report = f"Reach him at {SECRETS['phone']}"
    sent_entry.save()
    client.force_login(alice)
    html = client.get(reverse("portal:mission", args=[sent_entry.mission_id])).text
    assert SECRETS["phone"] in html


def test_card_has_no_field_for_private_data():
    fields = {f.name for f in dataclasses.fields(ClientProfileCard)}
    forbidden = {
        "email",
        "phone",
        "address",
        "day_rate",
        "candidate_rate",
        "margin",
        "margin_rate",
        "internal_notes",
        "soft_skill_notes",
        "warnings",
        "last_name",
        "full_name",
        "cv",
    }
    assert fields.isdisjoint(forbidden)


def _card(entry):
    return client_card(with_card_data(ShortlistEntry.objects.all()).get(pk=entry.pk))


def test_card_holds_what_spec_section_5_lists(sent_entry, past_interview):
    card = _card(sent_entry)
    assert card.display_name == "Octave Z."
    assert card.initials == "OZ"
    assert card.headline == "Kubernetes platform engineer"
    assert card.seniority == "Senior"
    assert [(s.name, int(s.years)) for s in card.skills] == [("Kubernetes", 6)]
    assert card.experiences[0].role == "SRE"
    assert card.experiences[0].technologies == ("Kubernetes",)
    assert card.experiences[0].duration == "5 years 3 months"
    assert card.projects[0].name == "Homelab operator"
    assert card.client_rate == CLIENT_RATE
    assert [(part.label, part.text) for part in card.report] == [
        ("Why this profile", "Six years of Kubernetes in production, on call included.")
    ]
    assert card.available_from == sent_entry.candidate.available_from
    assert not card.available_now
    assert card.interviews[0].summary == "Very convincing on GKE."
    assert card.interviews_counted == 1


def test_card_interviews_hold_no_recruiter_ratings_or_notes(sent_entry, past_interview):
    interview_fields = {f.name for f in dataclasses.fields(type(_card(sent_entry).interviews[0]))}
    assert interview_fields.isdisjoint(
        {"internal_notes", "hard_skills_notes", "soft_skills_notes", "verdict", "causes"}
    )


def test_withdrawal_note_of_the_agency_is_not_shown_to_the_client(sent_entry, recruiter):
    services.withdraw_entry(
        entry=sent_entry,
        by=recruiter,
        reason="candidate_withdrew",
        note="Took a mission at a competitor for 700",
    )
    card = _card(sent_entry)
    assert card.client_note == ""
    assert not card.can_decline and not card.can_select


def test_clients_own_decline_note_is_shown_back(sent_entry, alice):
    services.decline_entry(entry=sent_entry, by=alice, reason="rate_too_high", note="Too high")
    sent_entry.refresh_from_db()
    assert sent_entry.ended_by == EndedBy.CLIENT
    assert _card(sent_entry).client_note == "Too high"

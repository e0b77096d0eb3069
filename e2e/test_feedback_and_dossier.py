"""In a real browser: the recruiter rates an interview skill by skill, saves a draft and
finishes it later; the client downloads a profile's skills dossier from the portal card."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from candidates.models import CandidateSkill, Experience
from e2e.test_accessibility import blocking_violations
from interviews import services as interview_services
from interviews.models import Interview, InterviewKind, InterviewState
from missions import services
from missions.models import TechnicalTest
from tests.factories import CandidateFactory, MissionFactory, SkillFactory

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def interview(recruiter, client_a):
    """A technical interview, two hours ago, for a mission that asks for Kubernetes and
    Terraform (and Grafana as a plus) and a coding game."""
    mission = MissionFactory(
        client=client_a,
        owner=recruiter,
        title="Platform engineer",
        technical_test=TechnicalTest.SPECIFIC,
        technical_test_details="CodinGame, 1 hour",
    )
    for name, required, years in (("Kubernetes", True, 4), ("Terraform", True, 3)):
        mission.skills.create(skill=SkillFactory(name=name), required=required, min_years=years)
    mission.skills.create(skill=SkillFactory(name="Grafana"), required=False)
    candidate = CandidateFactory(first_name="Camille", last_name="Durand", day_rate=560)
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    entry.report = "Camille ran a GKE platform for three years."
    entry.client_rate = 680
    entry.save(update_fields=["report", "client_rate"])
    services.send_shortlist(mission=mission, by=recruiter)
    interview = interview_services.schedule_interview(
        entry=entry,
        by=recruiter,
        kind=InterviewKind.TECHNICAL,
        scheduled_at=timezone.now() + timedelta(days=1),
        recruiter=recruiter,
        client_interviewers="Marion Chevalier (CTO)",
    )
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=2)
    )
    return interview


def rate(page, group, value):
    page.get_by_role("radiogroup", name=re.compile(rf"^{group}")).get_by_label(
        value, exact=True
    ).check()


def test_a_recruiter_saves_a_draft_of_the_feedback_then_finishes_it(
    page, live_server, login_as, recruiter, interview, screenshot, console_errors
):
    login_as(recruiter)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("interviews:feedback", args=[interview.pk]))

    # During the interview: two skills rated, a note, then the draft is saved.
    rate(page, "Kubernetes", "5")
    page.get_by_label("Notes on Kubernetes").fill("Drew a zero-downtime GKE upgrade.")
    rate(page, "Grafana", "2")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft of the feedback on interview 1")
    expect(page.get_by_role("heading", name="Feedback started, not recorded yet")).to_be_visible()
    assert Interview.objects.get(pk=interview.pk).state == InterviewState.SCHEDULED
    screenshot("draft-saved")

    # Later: the form comes back as it was left, and is finished.
    page.get_by_role("link", name="Finish the feedback").first.click()
    expect(page.get_by_label("Notes on Kubernetes")).to_have_value(
        "Drew a zero-downtime GKE upgrade."
    )
    page.get_by_role("button", name="Save the feedback").click()
    expect(page.get_by_role("alert")).to_contain_text("fields to correct before saving")
    expect(page.get_by_text("Rate Terraform from 1 to 5: the demand requires it.")).to_be_visible()
    screenshot("errors-1366")
    assert blocking_violations(page) == []
    page.set_viewport_size(PHONE)
    screenshot("errors-390")
    page.set_viewport_size(DESKTOP)

    rate(page, "Terraform", "4")
    page.get_by_label("Notes on Grafana").fill("Has only read dashboards.")
    rate(page, "Overall technical level", "4")
    page.get_by_label("Result").select_option(label="Passed")
    page.get_by_label("Score (%)").fill("82")
    page.get_by_label("Link to the test report").fill("https://www.codingame.com/report/abc")
    rate(page, "Overall soft skills", "5")
    page.get_by_role("radiogroup", name="Verdict").get_by_role(
        "radio", name=re.compile(r"^Go")
    ).check()
    page.get_by_label("Summary shared with the client").fill("Very convincing on Kubernetes.")
    screenshot("form-1366")
    page.set_viewport_size(PHONE)
    screenshot("form-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Save the feedback").click()

    expect(page.get_by_role("status")).to_contain_text("Feedback on interview 1 saved.")
    feedback = page.locator("section").filter(
        has=page.get_by_role("heading", name="Recruiter's feedback")
    )
    expect(feedback.locator("dt", has_text="Kubernetes")).to_be_visible()
    expect(feedback).to_contain_text("82 %")
    screenshot("recorded-1366")
    assert blocking_violations(page) == []
    page.set_viewport_size(PHONE)
    screenshot("recorded-390")
    assert console_errors == []


@pytest.fixture
def sent_profile(recruiter, client_a):
    mission = MissionFactory(
        client=client_a, owner=recruiter, title="Platform engineer", reference="M-2026-00042"
    )
    candidate = CandidateFactory(
        first_name="Octave",
        last_name="Zabrowski",
        email="octave.z@mail.test",
        headline="Kubernetes platform engineer",
        day_rate=613,
    )
    skill = SkillFactory(name="Kubernetes")
    CandidateSkill.objects.create(candidate=candidate, skill=skill, years=6, years_override=True)
    Experience.objects.create(
        candidate=candidate,
        company="Telecom operator",
        role="SRE",
        start=timezone.localdate() - timedelta(days=5 * 365),
        description="Migrated 40 services to GKE.",
    ).technologies.add(skill)
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    entry.report = "Six years of Kubernetes in production."
    entry.client_rate = 790
    entry.save(update_fields=["report", "client_rate"])
    services.send_shortlist(mission=mission, by=recruiter)
    return entry


def test_a_client_downloads_the_skills_dossier_from_the_profile_card(
    page, live_server, login_as, alice, recruiter, sent_profile, screenshot, console_errors
):
    login_as(alice)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("portal:entry", args=[sent_profile.pk]))

    with page.expect_download() as info:
        page.get_by_role("link", name="Skills dossier (PDF)").click()
    download = info.value

    assert download.suggested_filename == "skills-dossier-oz-m-2026-00042.pdf"
    text = " ".join(
        page_.extract_text()
        for page_ in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages
    )
    assert "Kubernetes platform engineer" in text
    assert "Zabrowski" not in text
    screenshot("card-1366")
    page.set_viewport_size(PHONE)
    screenshot("card-390")

    login_as(recruiter)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("missions:detail", args=[sent_profile.mission_id]))
    with page.expect_download() as info:
        page.get_by_role("link", name="Skills dossier (PDF)").click()
    assert info.value.suggested_filename == "skills-dossier-oz-m-2026-00042.pdf"
    screenshot("mission-1366")
    assert console_errors == []

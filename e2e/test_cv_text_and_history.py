"""A recruiter uploads a junior's CV, confirms a technology it names in one click, then finds
the junior in the matching of a junior mission, with the years in projects and the client's
history explained — at a laptop's width and a phone's."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidates.models import CandidateSkill, Project, Seniority
from candidates.services import refresh_skill_years
from candidates.tests.test_cv_text import pdf_bytes
from missions.models import EntryState, FailureCause, MissionSkill, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, SkillFactory

WIDTHS = [1366, 390]


@pytest.fixture
def junior(db):
    python = SkillFactory(name="Python")
    for name in ("Kafka", "Docker", "Terraform"):
        SkillFactory(name=name)
    candidate = CandidateFactory(
        first_name="Léa",
        last_name="Garnier",
        headline="Développeuse Python junior",
        seniority=Seniority.JUNIOR,
        day_rate=380,
        available_from=timezone.localdate(),
        availability_confirmed_on=timezone.localdate(),
    )
    project = Project.objects.create(
        candidate=candidate,
        name="Moteur de recherche de stages",
        context=Project.Context.SCHOOL,
        duration_months=9,
    )
    project.technologies.set([python])
    refresh_skill_years(candidate=candidate)
    return candidate


@pytest.mark.parametrize("width", WIDTHS)
def test_a_cv_is_read_and_its_technologies_confirmed_in_one_click(
    page, live_server, login_as, recruiter, junior, tmp_path, screenshot, console_errors, width
):
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(pdf_bytes("Stage chez Doctolib : Python, Kafka et Docker.", "Terraform"))
    login_as(recruiter)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + reverse("candidates:edit", args=[junior.pk]))
    page.set_input_files("#id_cv", str(cv))
    page.get_by_role("button", name="Save the profile").click()

    panel = page.locator("section[aria-labelledby=h-cv-text]")
    expect(panel).to_contain_text("Technologies named in the CV, not in the skills yet")
    expect(page.locator("section[aria-labelledby=h-skills]")).to_contain_text("0.8 y in projects")
    screenshot(f"{width}")
    page.get_by_role("button", name="Add Kafka to the skills").click()
    expect(page.get_by_text("Kafka added to the skills.")).to_be_visible()
    expect(page.get_by_role("button", name="Add Kafka to the skills")).to_have_count(0)
    assert console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_matching_explains_projects_and_the_clients_history(
    page, live_server, login_as, recruiter, junior, client_a, screenshot, console_errors, width
):
    mission = MissionFactory(
        client=client_a,
        owner=recruiter,
        title="Développeur Python junior",
        seniority=Seniority.JUNIOR,
        budget=450,
    )
    python = SkillFactory(name="Python")
    MissionSkill.objects.create(mission=mission, skill=python, min_years=Decimal("0.5"))
    past = MissionFactory(client=client_a, owner=recruiter)
    for rate in (420, 450, 480):
        ShortlistEntry.objects.create(
            mission=past,
            candidate=CandidateFactory(day_rate=rate),
            state=EntryState.DECLINED,
            candidate_rate=rate,
            end_reason=FailureCause.RATE_TOO_HIGH,
        )
    pricey = CandidateFactory(seniority=Seniority.JUNIOR, day_rate=430, last_name="Roussel")
    CandidateSkill.objects.create(candidate=pricey, skill=python, years=Decimal("1.0"))
    login_as(recruiter)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + reverse("missions:matching", args=[mission.pk]))

    expect(page.get_by_text("Python 0.8 yrs ✓ · 0.8 yrs in projects")).to_be_visible()
    expect(page.locator(".callout--history")).to_contain_text(
        "This client turned down 3 profiles at 420 €/day or more"
    )
    expect(
        page.get_by_text("This client turned down 3 profiles at 420 €/day or more (−10)")
    ).to_be_visible()
    screenshot(f"{width}")
    assert console_errors == []

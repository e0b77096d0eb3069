"""The portal's shortlist in a browser, at a laptop's width and a phone's: condensed cards
with the report in its parts, a follow-up interview asked for, the placed notice, and the
portal's navigation all on screen."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidates.models import CandidateSkill, Experience
from e2e.test_accessibility import blocking_violations
from interviews import services as interview_services
from missions import services
from missions.models import EntryState
from missions.tests.test_placements import entry_on, mission_on
from tests.factories import CandidateFactory, SkillFactory

MISSION_TITLE = "Lead développeur Django pour la plateforme logistique"
ROLES = ["Lead developer", "Backend developer", "Python developer", "Web developer", "Intern"]


@pytest.fixture
def shortlist(recruiter, client_a, client_b, alice):
    """Three profiles sent to alice: one met once, one new, one placed elsewhere since."""
    start = timezone.localdate() + timedelta(days=40)
    mission = mission_on(client_a, start, 6, title=MISSION_TITLE, owner=recruiter, budget=750)
    django = SkillFactory(name="Django")
    postgres = SkillFactory(name="PostgreSQL")
    people = [("Camille", "Lefèvre"), ("Hugo", "Marchand"), ("Inès", "Caron")]
    entries = []
    for first, last in people:
        candidate = CandidateFactory(first_name=first, last_name=last, day_rate=560)
        CandidateSkill.objects.create(
            candidate=candidate, skill=django, years=7, years_override=True
        )
        CandidateSkill.objects.create(
            candidate=candidate, skill=postgres, years=5, years_override=True
        )
        for i, role in enumerate(ROLES):
            Experience.objects.create(
                candidate=candidate,
                company=f"Transport company {i + 1}",
                role=role,
                start=date(2024 - 3 * i, 1, 1),
                end=date(2026 - 3 * i, 6, 30) if i else None,
                description="Order tracking platform: Django, PostgreSQL, Celery.",
            )
        entry = services.shortlist_candidate(
            mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
        )
        services.update_entry(
            entry=entry,
            by=recruiter,
            report=f"{first} led a Django team of five on a logistics platform.",
            report_hard_skills="Django and PostgreSQL for seven years, query tuning.",
            report_soft_skills="Calm, explains choices plainly to the business.",
            report_risks="Has not worked with Kafka yet.",
            report_availability="Free at the mission's start, full time.",
            client_rate=690,
        )
        entries.append(entry)
    services.send_shortlist(mission=mission, by=recruiter)
    met, _new, placed = entries
    interview_services.schedule_interview(
        entry=met,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=2),
        recruiter=recruiter,
    )
    elsewhere = mission_on(client_b, start - timedelta(days=10), 12, owner=recruiter)
    entry_on(elsewhere, placed.candidate, state=EntryState.SELECTED)
    return mission, entries


@pytest.mark.parametrize("width", [1366, 390])
def test_the_shortlist_reads_well_on_a_laptop_and_a_phone(
    page, live_server, login_as, alice, shortlist, screenshot, console_errors, width
):
    mission, (met, new, placed) = shortlist
    page.set_viewport_size({"width": width, "height": 900})
    login_as(alice)
    page.goto(live_server.url + reverse("portal:mission", args=[mission.pk]))

    # Every tab of the portal is on screen, none scrolled out of sight.
    for name in ("My missions", "Interviews", "New demand", "Figures"):
        tab = page.get_by_role("navigation", name="Portal navigation").get_by_role(
            "link", name=name
        )
        expect(tab).to_be_in_viewport()
    # The breadcrumb leads back to the missions, on one line.
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="My missions")).to_be_in_viewport()
    assert crumbs.bounding_box()["height"] < 40
    met_card = page.get_by_role("article", name="Camille L.")
    expect(met_card.get_by_text("Why this profile")).to_be_visible()
    expect(met_card.get_by_text("Points to check")).to_be_visible()
    expect(met_card.get_by_text("2 earlier experiences")).to_be_visible()
    expect(met_card.get_by_text("Intern — Transport company 5")).to_be_hidden()
    expect(met_card.get_by_text("Ask for interview 2 of 3")).to_be_visible()
    expect(met_card.get_by_role("link", name="Select Camille L.")).to_be_visible()
    placed_card = page.get_by_role("article", name="Inès C.")
    expect(placed_card.get_by_text("This profile is no longer available")).to_be_visible()
    screenshot(f"{width}")
    met_card.get_by_text("2 earlier experiences").click()  # the folded ones audited too
    assert blocking_violations(page) == []

    # The client asks to meet Camille again, with slots, as for the first interview.
    met_card.get_by_text("Ask for interview 2 of 3").click()
    met_card.get_by_label("Your preferred slots").fill("Thursday morning, on site")
    met_card.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("Request for interview 2 of 3")
    expect(page.get_by_role("article", name="Camille L.")).to_contain_text(
        "You asked for interview 2 of 3"
    )
    assert console_errors == []


def test_the_mission_form_names_who_the_mission_is_for(
    page, live_server, login_as, recruiter, client_a, alice, screenshot, console_errors
):
    login_as(recruiter)
    page.goto(live_server.url + reverse("missions:create") + f"?client={client_a.pk}")
    section = page.get_by_role("group", name="Who the mission is for")
    section.get_by_label("Asked by").select_option(label="Alice Moreau · CTO")
    expect(section.get_by_text("Name nobody and every contact of the client")).to_be_visible()
    section.scroll_into_view_if_needed()
    screenshot("form")
    assert console_errors == []

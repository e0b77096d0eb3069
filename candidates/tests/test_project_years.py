"""Juniors' projects count: years in projects, kept apart from professional years, used by the
matching of junior and confirmed missions with the reason in the explained score."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from candidates import matching
from candidates.models import CandidateSkill, Experience, Project, Seniority
from candidates.services import refresh_skill_years
from missions.models import MissionSkill
from tests.factories import CandidateFactory, SkillFactory

TODAY = date(2026, 11, 25)


@pytest.fixture
def python(db):
    return SkillFactory(name="Python")


def project(candidate, months, *skills, context=Project.Context.SCHOOL):
    item = Project.objects.create(
        candidate=candidate, name="Compiler", context=context, duration_months=months
    )
    item.technologies.set(skills)
    return item


def skill_row(candidate, skill):
    return CandidateSkill.objects.get(candidate=candidate, skill=skill)


def junior_with_a_python_project(python, months=9):
    candidate = CandidateFactory(seniority=Seniority.JUNIOR, day_rate=350, last_name="Junior")
    project(candidate, months, python)
    refresh_skill_years(candidate=candidate, today=TODAY)
    return candidate


# ---------- Years in projects ----------


def test_a_nine_month_project_gives_0_8_year_in_projects_and_no_professional_year(python):
    candidate = junior_with_a_python_project(python)

    row = skill_row(candidate, python)
    assert row.project_years == Decimal("0.8")
    assert row.years == Decimal("0.0")


def test_the_durations_of_several_projects_add_up(candidate, python):
    project(candidate, 9, python, context=Project.Context.TRAINING)
    project(candidate, 6, python, context=Project.Context.OPEN_SOURCE)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert skill_row(candidate, python).project_years == Decimal("1.3")


def test_professional_and_project_years_are_kept_apart(candidate, python):
    experience = Experience.objects.create(
        candidate=candidate,
        company="Acme",
        role="Developer",
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
    )
    experience.technologies.set([python])
    project(candidate, 3, python, context=Project.Context.PERSONAL)

    refresh_skill_years(candidate=candidate, today=TODAY)

    row = skill_row(candidate, python)
    assert (row.years, row.project_years) == (Decimal("1.0"), Decimal("0.3"))


def test_a_removed_project_leaves_no_years_in_projects(python):
    candidate = junior_with_a_python_project(python)

    candidate.projects.all().delete()
    refresh_skill_years(candidate=candidate, today=TODAY)

    assert skill_row(candidate, python).project_years == Decimal("0.0")


def test_years_entered_by_hand_keep_their_value_and_projects_still_count(candidate, python):
    CandidateSkill.objects.create(
        candidate=candidate, skill=python, years=Decimal("4.0"), years_override=True
    )
    project(candidate, 12, python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    row = skill_row(candidate, python)
    assert (row.years, row.project_years) == (Decimal("4.0"), Decimal("1.0"))


def test_the_profile_page_shows_the_years_in_projects_apart(client, recruiter, python):
    candidate = junior_with_a_python_project(python)
    client.force_login(recruiter)

    response = client.get(reverse("candidates:detail", args=[candidate.pk]))

    assert "0.8 y in projects" in response.text


# ---------- Matching ----------


def demand_for(python, seniority, min_years):
    return matching.Demand(
        skills=[(python.pk, True, Decimal(min_years))], seniority=seniority, today=TODAY
    )


def scored(demand):
    return [(profile.last_name, profile.score) for profile in matching.ranked_pool(demand)[:10]]


def chips(candidate, demand, python):
    profile = matching.ranked_pool(demand)[:10][0]
    assert profile.pk == candidate.pk
    return [chip.text for chip in matching.explain(profile, demand, {python.pk: "Python"})]


def test_a_junior_mission_counts_the_years_in_projects(python):
    candidate = junior_with_a_python_project(python)
    demand = demand_for(python, Seniority.JUNIOR, "0.5")

    # 0.8 year in projects meets the 0.5 asked: full marks.
    assert scored(demand) == [("Junior", 100.0)]
    assert chips(candidate, demand, python) == [
        "Python 0.8 yrs ✓ · 0.8 yrs in projects",
        "Junior ✓",
    ]


def test_a_confirmed_mission_counts_them_too_next_to_professional_years(python):
    candidate = junior_with_a_python_project(python)
    CandidateSkill.objects.filter(candidate=candidate).update(years=Decimal("0.4"))
    demand = demand_for(python, Seniority.CONFIRMED, "1")

    # 0.4 + 0.8 = 1.2 years ≥ 1 (76.923 points), a junior for a confirmed mission (0.4 × 23.077).
    assert scored(demand) == [("Junior", 86.153846)]
    assert chips(candidate, demand, python)[0] == "Python 1.2 yrs ✓ · 0.8 yrs in projects"


def test_a_senior_mission_counts_professional_years_only(python):
    candidate = junior_with_a_python_project(python)
    demand = demand_for(python, Seniority.SENIOR, "0.5")

    # No professional year: the floor of a present skill (0.25 × 76.923), nothing for
    # seniority (a junior, two levels under).
    assert scored(demand) == [("Junior", 19.230769)]
    assert chips(candidate, demand, python)[0] == "Python 0 yrs < 0.5 yrs"


def test_the_matching_page_shows_the_junior_with_the_reason(client, recruiter, mission_a, python):
    mission_a.seniority = Seniority.JUNIOR
    mission_a.save(update_fields=["seniority"])
    MissionSkill.objects.create(mission=mission_a, skill=python, min_years=Decimal("0.5"))
    junior_with_a_python_project(python)
    client.force_login(recruiter)

    response = client.get(reverse("missions:matching", args=[mission_a.pk]))

    assert "Junior" in response.text
    assert "Python 0.8 yrs ✓ · 0.8 yrs in projects" in response.text

"""A profile's years per technology, computed from its experiences."""

from datetime import date
from decimal import Decimal

import pytest

from candidates.models import CandidateSkill, Experience
from candidates.services import refresh_skill_years
from tests.factories import SkillFactory

TODAY = date(2025, 7, 1)


@pytest.fixture
def python(db):
    return SkillFactory(name="Python")


@pytest.fixture
def django_skill(db):
    return SkillFactory(name="Django")


def experience(candidate, start, end, *skills):
    item = Experience.objects.create(
        candidate=candidate, company="Acme", role="Developer", start=start, end=end
    )
    item.technologies.set(skills)
    return item


def years_of(candidate):
    return {cs.skill.name: cs.years for cs in candidate.skills.select_related("skill")}


def test_a_full_calendar_year_counts_as_one_year(candidate, python):
    experience(candidate, date(2015, 1, 1), date(2015, 12, 31), python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("1.0")}


def test_separate_experiences_add_up(candidate, python):
    experience(candidate, date(2015, 1, 1), date(2015, 12, 31), python)
    experience(candidate, date(2017, 1, 1), date(2017, 6, 30), python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("1.5")}


def test_overlapping_experiences_are_counted_once(candidate, python):
    experience(candidate, date(2018, 1, 1), date(2019, 12, 31), python)
    experience(candidate, date(2019, 1, 1), date(2020, 12, 31), python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("3.0")}


def test_an_experience_inside_another_adds_nothing(candidate, python):
    experience(candidate, date(2018, 1, 1), date(2020, 12, 31), python)
    experience(candidate, date(2019, 3, 1), date(2019, 8, 31), python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("3.0")}


def test_each_technology_counts_only_the_experiences_that_name_it(candidate, python, django_skill):
    experience(candidate, date(2018, 1, 1), date(2020, 12, 31), python)
    experience(candidate, date(2020, 1, 1), date(2020, 12, 31), python, django_skill)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("3.0"), "Django": Decimal("1.0")}


def test_an_ongoing_experience_counts_until_today(candidate, python):
    experience(candidate, date(2023, 1, 1), None, python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("2.5")}


def test_an_experience_that_has_not_started_counts_nothing(candidate, python):
    experience(candidate, date(2025, 9, 1), None, python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("0.0")}


def test_years_entered_by_hand_are_kept(candidate, python, django_skill):
    CandidateSkill.objects.create(
        candidate=candidate, skill=python, years=Decimal("8.0"), years_override=True
    )
    experience(candidate, date(2023, 1, 1), None, python, django_skill)

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("8.0"), "Django": Decimal("2.5")}


def test_a_skill_no_experience_names_falls_back_to_zero_unless_entered_by_hand(
    candidate, python, django_skill
):
    CandidateSkill.objects.create(candidate=candidate, skill=python, years=Decimal("4.0"))
    CandidateSkill.objects.create(
        candidate=candidate, skill=django_skill, years=Decimal("3.0"), years_override=True
    )

    refresh_skill_years(candidate=candidate, today=TODAY)

    assert years_of(candidate) == {"Python": Decimal("0.0"), "Django": Decimal("3.0")}


def test_refreshing_keeps_the_level_the_recruiter_chose(candidate, python):
    CandidateSkill.objects.create(candidate=candidate, skill=python, level=5)
    experience(candidate, date(2020, 1, 1), date(2020, 12, 31), python)

    refresh_skill_years(candidate=candidate, today=TODAY)

    skill = candidate.skills.get()
    assert (skill.level, skill.years) == (5, Decimal("1.0"))

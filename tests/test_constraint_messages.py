"""A violated database rule reads as a sentence on the field concerned, never as the
constraint's name ("missions_missionskill_min_years_positive")."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint

from candidates.models import CandidateSkill, Experience, Skill
from missions.models import MissionSkill
from tests.factories import CandidateFactory, SkillFactory

OUR_APPS = ("staffing", "candidates", "missions", "interviews")


def constraints_that_could_show_their_name():
    """Every constraint whose violation Django would word with the default message: all but
    the plain unique ones on fields (Django writes "… with this … already exists")."""
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                plain_unique = (
                    isinstance(constraint, UniqueConstraint)
                    and constraint.fields
                    and constraint.condition is None
                )
                if not plain_unique:
                    yield pytest.param(constraint, id=constraint.name)


@pytest.mark.parametrize("constraint", list(constraints_that_could_show_their_name()))
def test_every_constraint_has_a_message_and_a_code(constraint):
    message = str(constraint.get_violation_error_message())

    assert constraint.name not in message
    assert constraint.violation_error_code, constraint.name


def errors_of(instance, **kwargs):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean(**kwargs)
    return raised.value.message_dict


def test_negative_minimum_years_is_an_error_on_the_field(db, mission_a):
    need = MissionSkill(mission=mission_a, skill=SkillFactory(), min_years=Decimal("-1"))

    errors = errors_of(need)

    assert errors["min_years"] == ["The minimum years cannot be negative."]
    assert "__all__" not in errors


def test_an_experience_ending_before_it_starts_is_an_error_on_the_end(db):
    experience = Experience(
        candidate=CandidateFactory(),
        company="Acme",
        role="Developer",
        start=date(2024, 5, 1),
        end=date(2024, 1, 1),
    )

    assert errors_of(experience)["end"] == ["The end cannot come before the start."]


def test_negative_skill_years_is_an_error_on_the_years(db):
    row = CandidateSkill(candidate=CandidateFactory(), skill=SkillFactory(), years=-2)

    assert errors_of(row)["years"] == ["The years of a skill cannot be negative."]


def test_a_budget_out_of_bounds_is_an_error_on_the_budget(db, mission_a):
    mission_a.budget = 100000

    errors = errors_of(mission_a)

    assert list(errors) == ["budget"]
    assert "missions_mission_budget_in_bounds" not in errors["budget"][0]


def test_a_skill_named_like_another_in_other_case_is_refused_in_words(db):
    SkillFactory(name="PostgreSQL")

    errors = errors_of(Skill(name="postgresql"))

    assert errors["__all__"] == ["A skill with this name already exists."]

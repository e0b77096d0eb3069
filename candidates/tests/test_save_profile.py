"""`save_profile`: the profile, its skills, experiences and projects and the skill years are
saved together or not at all."""

from datetime import date

import pytest
from django.db import DatabaseError

from candidates import services
from candidates.forms import (
    CandidateForm,
    ExperienceFormSet,
    ProjectFormSet,
    SkillFormSet,
    skill_choices,
)
from candidates.models import Candidate, Experience
from tests.factories import SkillFactory


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def python(db):
    return SkillFactory(name="Python")


@pytest.fixture
def posted(python):
    return {
        "first_name": "Inès",
        "last_name": "Garnier",
        "email": "ines@example.com",
        "headline": "Data engineer",
        "seniority": "confirmed",
        "day_rate": "520",
        "available_from": "2027-01-04",
        "remote_preference": "hybrid",
        "legal_form": "micro",
        "channel": "linkedin",
        **management("skills", 0),
        **management("experiences", 1),
        "experiences-0-company": "SNCF",
        "experiences-0-role": "Data engineer",
        "experiences-0-start": "2020-01-01",
        "experiences-0-end": "2021-12-31",
        "experiences-0-technologies": [python.pk],
        **management("projects", 0),
    }


def valid_forms(data):
    candidate = Candidate()
    shared = {"form_kwargs": {"skill_choices": skill_choices()}}
    form = CandidateForm(data, instance=candidate)
    formsets = [
        SkillFormSet(data, instance=candidate, prefix="skills", **shared),
        ExperienceFormSet(data, instance=candidate, prefix="experiences", **shared),
        ProjectFormSet(data, instance=candidate, prefix="projects", **shared),
    ]
    assert form.is_valid(), form.errors
    assert all(formset.is_valid() for formset in formsets)
    return form, formsets


def test_saving_a_new_profile_saves_its_experiences_and_computes_its_skill_years(
    posted, python, recruiter
):
    form, formsets = valid_forms(posted)

    candidate = services.save_profile(
        form=form, formsets=formsets, by=recruiter, today=date(2026, 6, 1)
    )

    candidate.refresh_from_db()
    assert candidate.owner == recruiter
    assert candidate.availability_confirmed_on == date(2026, 6, 1)
    assert candidate.experiences.get().company == "SNCF"
    assert {cs.skill_id: cs.years for cs in candidate.skills.all()} == {python.pk: 2}


def test_a_part_that_fails_leaves_no_half_saved_profile(posted, recruiter, monkeypatch):
    form, formsets = valid_forms(posted)

    def broken(**kwargs):
        raise DatabaseError("the skill years could not be written")

    monkeypatch.setattr(services, "refresh_skill_years", broken)

    with pytest.raises(DatabaseError):
        services.save_profile(form=form, formsets=formsets, by=recruiter)

    assert not Candidate.objects.exists()
    assert not Experience.objects.exists()

"""The catalogue of technologies from the desk: a technology with its other names, refused
when a name is already taken whatever its case or accents; other names found by the search
and by the skill filters."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from candidates import services
from candidates.forms import CandidateFilterForm
from candidates.models import CandidateSkill, Skill, SkillAlias
from tests.factories import CandidateFactory, SkillFactory
from tests.queries import count_queries


def test_a_technology_is_added_with_its_other_names(recruiter):
    skill = services.add_skill(
        name="PostgreSQL", category="data", aliases=["Postgres", "PG"], by=recruiter
    )

    assert skill.name == "PostgreSQL"
    assert sorted(skill.aliases.values_list("name", flat=True)) == ["PG", "Postgres"]


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("postgresql", []),  # the name of a skill, in another case
        ("Postgres", []),  # an alias
        ("POSTGRÈS", []),  # an alias, with an accent and capitals
        ("Supabase", ["postgres"]),  # an alias of the new one is an existing alias
        ("Supabase", ["PostgreSQL"]),  # an alias of the new one is an existing skill
    ],
)
def test_a_name_already_in_the_catalogue_is_refused(recruiter, name, aliases):
    services.add_skill(name="PostgreSQL", category="data", aliases=["Postgres"], by=recruiter)

    with pytest.raises(ValidationError) as refusal:
        services.add_skill(name=name, category="data", aliases=aliases, by=recruiter)

    assert refusal.value.code == "skill_exists"
    assert Skill.objects.count() == 1
    assert SkillAlias.objects.count() == 1


def test_the_same_name_twice_in_one_request_is_refused(recruiter):
    with pytest.raises(ValidationError) as refusal:
        services.add_skill(name="Kotlin", category="language", aliases=["kotlin"], by=recruiter)

    assert refusal.value.code == "duplicate_names"


def test_the_database_refuses_two_aliases_with_one_key(db):
    skill = SkillFactory(name="PostgreSQL")
    SkillAlias.objects.create(skill=skill, name="Postgres", key="postgres")

    with pytest.raises(IntegrityError), transaction.atomic():
        SkillAlias.objects.create(skill=skill, name="POSTGRES", key="postgres")


def test_an_alias_finds_its_technology_in_the_skill_filter(recruiter):
    postgres = services.add_skill(
        name="PostgreSQL", category="data", aliases=["Postgres"], by=recruiter
    )
    form = CandidateFilterForm({"skills": "postgres"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["skills"] == [postgres]


def test_an_alias_finds_the_profiles_of_its_technology_in_the_search(client, recruiter):
    postgres = services.add_skill(
        name="PostgreSQL", category="data", aliases=["Postgres"], by=recruiter
    )
    dba = CandidateFactory(last_name="Durand", headline="DBA")
    CandidateSkill.objects.create(candidate=dba, skill=postgres, years=5)
    CandidateFactory(last_name="Martin", headline="Front-end")
    client.force_login(recruiter)

    response = client.get(reverse("candidates:list"), {"q": "Postgres"})

    assert [c.last_name for c in response.context["candidates"]] == ["Durand"]


def test_an_unknown_name_in_the_skill_filter_is_named_in_the_error(db):
    form = CandidateFilterForm({"skills": "Cobol"})

    assert not form.is_valid()
    assert form.errors["skills"] == ["No skill named: Cobol."]


def test_the_catalogue_page_shows_each_technology_with_its_usage(client, recruiter):
    postgres = services.add_skill(name="PostgreSQL", category="data", by=recruiter)
    for candidate in CandidateFactory.create_batch(2):
        CandidateSkill.objects.create(candidate=candidate, skill=postgres, years=2)
    services.add_skill(name="Elixir", category="language", by=recruiter)
    client.force_login(recruiter)

    response = client.get(reverse("candidates:catalogue"))

    assert [(s.name, s.profiles, s.missions) for s in response.context["skills"]] == [
        ("Elixir", 0, 0),
        ("PostgreSQL", 2, 0),
    ]


def test_adding_a_duplicate_from_the_desk_shows_the_reason(client, recruiter):
    services.add_skill(name="PostgreSQL", category="data", aliases=["Postgres"], by=recruiter)
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:skill_add"),
        {"name": "Supabase", "category": "data", "aliases": "postgres"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Already in the catalogue: postgres."]
    assert Skill.objects.count() == 1


def test_the_catalogue_page_runs_as_many_queries_for_one_technology_as_for_twenty(
    client, recruiter
):
    client.force_login(recruiter)
    services.add_skill(name="Tech 0", category="other", aliases=["T0"], by=recruiter)
    with_one = count_queries(client, reverse("candidates:catalogue"))
    for n in range(1, 20):
        skill = services.add_skill(
            name=f"Tech {n}", category="other", aliases=[f"T{n}"], by=recruiter
        )
        CandidateSkill.objects.create(candidate=CandidateFactory(), skill=skill, years=1)

    assert count_queries(client, reverse("candidates:catalogue")) == with_one


def test_an_alias_already_in_the_catalogue_is_refused_from_the_desk(client, recruiter):
    postgres = services.add_skill(name="PostgreSQL", category="data", by=recruiter)
    services.add_skill(name="MySQL", category="data", aliases=["MariaDB"], by=recruiter)
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:alias_add", args=[postgres.pk]), {"name": "mariadb"}, follow=True
    )

    assert b"Already in the catalogue: mariadb." in response.content
    assert postgres.aliases.count() == 0

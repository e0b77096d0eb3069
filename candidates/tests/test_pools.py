"""Talent pools: named lists of profiles shared by the recruiters, a filter of the profile
search and of the matching."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from candidates import services
from candidates.models import PoolMembership, TalentPool
from tests.factories import CandidateFactory, MissionFactory
from tests.queries import count_queries


@pytest.fixture
def lyon(recruiter):
    return services.create_pool(name="Lyon Java seniors", by=recruiter)


def test_a_pool_name_is_refused_when_another_pool_has_it_in_any_case(lyon, recruiter):
    with pytest.raises(ValidationError) as refusal:
        services.create_pool(name="  lyon JAVA   seniors ", by=recruiter)

    assert refusal.value.code == "pool_exists"
    assert refusal.value.messages == ["A pool named lyon JAVA seniors already exists."]
    assert TalentPool.objects.count() == 1


def test_renaming_a_pool_to_its_own_name_in_another_case_is_allowed(lyon, recruiter):
    services.rename_pool(pool=lyon, name="LYON Java Seniors", by=recruiter)

    assert TalentPool.objects.get().name == "LYON Java Seniors"


def test_adding_a_profile_twice_keeps_one_membership(lyon, recruiter):
    camille = CandidateFactory(first_name="Camille")

    first = services.add_to_pool(pool=lyon, candidates=[camille], by=recruiter)
    second = services.add_to_pool(pool=lyon, candidates=[camille], by=recruiter)

    assert (first, second) == (1, 0)
    assert PoolMembership.objects.filter(pool=lyon).count() == 1


def test_removing_a_profile_not_in_the_pool_does_nothing(lyon, recruiter):
    services.remove_from_pool(pool=lyon, candidate=CandidateFactory(), by=recruiter)

    assert PoolMembership.objects.count() == 0


def test_deleting_a_pool_keeps_its_profiles(lyon, recruiter):
    camille = CandidateFactory()
    services.add_to_pool(pool=lyon, candidates=[camille], by=recruiter)

    services.delete_pool(pool=lyon, by=recruiter)

    assert TalentPool.objects.count() == 0
    assert camille.__class__.objects.filter(pk=camille.pk).exists()


def test_the_profile_search_filters_by_pool(client, recruiter, lyon):
    inside, outside = CandidateFactory(last_name="Dedans"), CandidateFactory(last_name="Dehors")
    services.add_to_pool(pool=lyon, candidates=[inside], by=recruiter)
    client.force_login(recruiter)

    response = client.get(reverse("candidates:list"), {"pool": lyon.pk})

    assert [c.last_name for c in response.context["candidates"]] == ["Dedans"]
    assert outside not in response.context["candidates"]


def test_the_matching_filters_by_pool(client, recruiter, lyon, mission_a):
    inside, _outside = CandidateFactory(last_name="Dedans"), CandidateFactory(last_name="Dehors")
    services.add_to_pool(pool=lyon, candidates=[inside], by=recruiter)
    client.force_login(recruiter)

    response = client.get(reverse("missions:matching", args=[mission_a.pk]), {"pool": lyon.pk})

    assert [row.candidate.last_name for row in response.context["rows"]] == ["Dedans"]


def test_ticked_rows_of_the_search_go_into_the_pool_and_back_to_the_search(client, recruiter, lyon):
    first, second = CandidateFactory(), CandidateFactory()
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:pool_add"),
        {"pool": lyon.pk, "candidate": [first.pk, second.pk], "next": "/profiles/?q=java"},
    )

    assert response["Location"] == "/profiles/?q=java"
    assert sorted(lyon.profiles.values_list("pk", flat=True)) == sorted([first.pk, second.pk])


def test_adding_without_choosing_a_pool_says_so(client, recruiter):
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:pool_add"), {"candidate": [CandidateFactory().pk]}, follow=True
    )

    assert b"Choose a pool and at least one profile." in response.content
    assert PoolMembership.objects.count() == 0


def test_a_duplicate_pool_name_is_a_form_error(client, recruiter, lyon):
    client.force_login(recruiter)

    response = client.post(reverse("candidates:pool_create"), {"name": "LYON java seniors"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "A pool named LYON java seniors already exists."
    ]


def test_the_pools_page_shows_each_pool_with_its_count(client, recruiter, lyon):
    services.add_to_pool(pool=lyon, candidates=CandidateFactory.create_batch(3), by=recruiter)
    services.create_pool(name="To call in September", by=recruiter)
    client.force_login(recruiter)

    response = client.get(reverse("candidates:pools"))

    assert [(p.name, p.size) for p in response.context["pools"]] == [
        ("Lyon Java seniors", 3),
        ("To call in September", 0),
    ]


def test_the_pools_page_runs_as_many_queries_for_one_pool_as_for_twenty(client, recruiter):
    client.force_login(recruiter)
    services.create_pool(name="Pool 0", by=recruiter)
    with_one = count_queries(client, reverse("candidates:pools"))
    for n in range(1, 20):
        pool = services.create_pool(name=f"Pool {n}", by=recruiter)
        services.add_to_pool(pool=pool, candidates=[CandidateFactory()], by=recruiter)

    assert count_queries(client, reverse("candidates:pools")) == with_one


def test_the_profile_search_with_a_pool_filter_runs_constant_queries(client, recruiter, lyon):
    client.force_login(recruiter)
    url = reverse("candidates:list") + f"?pool={lyon.pk}"
    services.add_to_pool(pool=lyon, candidates=[CandidateFactory()], by=recruiter)
    with_one = count_queries(client, url)
    services.add_to_pool(pool=lyon, candidates=CandidateFactory.create_batch(19), by=recruiter)
    for n in range(5):
        services.create_pool(name=f"Other {n}", by=recruiter)

    assert count_queries(client, url) == with_one


def test_the_profile_page_lists_its_pools_and_offers_the_others(client, recruiter, lyon):
    camille = CandidateFactory()
    services.add_to_pool(pool=lyon, candidates=[camille], by=recruiter)
    services.create_pool(name="To call in September", by=recruiter)
    MissionFactory()
    client.force_login(recruiter)

    response = client.get(camille.get_absolute_url())

    assert [p.name for p in response.context["member_of"]] == ["Lyon Java seniors"]
    assert b"To call in September" in response.content


def test_renaming_a_pool_to_a_blank_name_says_so_and_keeps_the_name(client, recruiter, lyon):
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:pool_rename", args=[lyon.pk]), {"name": "   "}, follow=True
    )

    assert b"This field is required." in response.content
    assert TalentPool.objects.get().name == "Lyon Java seniors"


def test_removing_with_a_profile_id_that_is_no_number_says_so(client, recruiter, lyon):
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:pool_remove", args=[lyon.pk]), {"candidate": "x1"}, follow=True
    )

    assert response.status_code == 200
    assert b"That profile is gone." in response.content

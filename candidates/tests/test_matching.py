"""Matching: the pool ranked in SQL against a mission, each score explained in chips."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from candidates import matching
from candidates.models import CandidateSkill, Seniority
from missions.models import EntryState, MissionSkill, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, SkillFactory

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English source strings, whatever the translations say.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def skills(db):
    return {name: SkillFactory(name=name) for name in ("Python", "Django", "Docker", "React")}


def give(candidate, **years):
    for name, value in years.items():
        CandidateSkill.objects.create(
            candidate=candidate, skill=SkillFactory(name=name), years=Decimal(str(value))
        )
    return candidate


@pytest.fixture
def demand(skills):
    return matching.Demand(
        skills=[
            (skills["Python"].pk, True, Decimal(3)),
            (skills["Django"].pk, True, Decimal(2)),
            (skills["Docker"].pk, False, Decimal(0)),
        ],
        seniority=Seniority.SENIOR,
        budget=600,
        start_date=TODAY + timedelta(days=30),
        today=TODAY,
    )


def ranked(demand):
    return matching.ranked_pool(demand)[:100]


def senior(**kwargs):
    defaults = {
        "seniority": Seniority.SENIOR,
        "day_rate": 500,
        "available_from": TODAY,
        "availability_confirmed_on": TODAY,
    }
    return CandidateFactory(**{**defaults, **kwargs})


def test_a_full_match_within_budget_ranks_above_nice_to_have_only_and_over_budget(demand):
    over_budget = give(senior(last_name="Over", day_rate=800), Python=5, Django=4)
    nice_only = give(senior(last_name="Nice"), Docker=5)
    full_match = give(senior(last_name="Full"), Python=5, Django=4)

    order = [c.last_name for c in ranked(demand)]

    assert order[0] == full_match.last_name
    assert set(order[1:]) == {over_budget.last_name, nice_only.last_name}


def test_score_is_100_for_a_perfect_profile_and_lower_for_each_shortfall(demand):
    perfect = give(senior(last_name="Perfect"), Python=5, Django=4, Docker=1)
    short_years = give(senior(last_name="Short"), Python=1, Django=4, Docker=1)
    late = give(
        senior(last_name="Late", available_from=TODAY + timedelta(days=90)),
        Python=5,
        Django=4,
        Docker=1,
    )
    scores = {c.last_name: c.score for c in ranked(demand)}

    assert scores[perfect.last_name] == pytest.approx(100)
    assert scores[short_years.last_name] < scores[perfect.last_name]
    assert scores[late.last_name] < scores[perfect.last_name]


def test_seniority_exact_beats_one_level_above_which_beats_one_below(demand):
    exact = give(senior(last_name="Exact"), Python=5, Django=4)
    above = give(senior(last_name="Above", seniority=Seniority.EXPERT), Python=5, Django=4)
    below = give(senior(last_name="Below", seniority=Seniority.CONFIRMED), Python=5, Django=4)

    assert [c.last_name for c in ranked(demand)] == [
        exact.last_name,
        above.last_name,
        below.last_name,
    ]


def test_sql_score_matches_the_python_rules(demand):
    candidates = [
        give(senior(last_name="A"), Python=2, Docker=1),
        give(senior(last_name="B", day_rate=590, seniority=Seniority.JUNIOR), Django=1),
        give(senior(last_name="C", day_rate=640, available_from=None), Python=3, Django=0.5),
        give(senior(last_name="D", available_from=TODAY + timedelta(days=40)), Python=8),
    ]
    weights = demand.weights()
    total = sum(weights.values())

    def expected(candidate):
        years = {cs.skill_id: cs.years for cs in candidate.skills.all()}
        required = sum(
            matching.skill_fit(years.get(n.skill_id), n.min_years) for n in demand.required
        )
        nice = sum(
            matching.skill_fit(years.get(n.skill_id), n.min_years) for n in demand.nice_to_have
        )
        points = (
            weights["required"] * required / len(demand.required)
            + weights["nice"] * nice / len(demand.nice_to_have)
            + weights["seniority"] * matching.seniority_fit(candidate.seniority, demand.seniority)
            + weights["rate"] * matching.rate_fit(candidate.day_rate, demand)
            + weights["availability"] * matching.availability_fit(candidate.available_from, demand)
        )
        return 100 * points / total

    scores = {c.pk: c.score for c in ranked(demand)}
    for candidate in candidates:
        assert scores[candidate.pk] == pytest.approx(expected(candidate)), candidate.last_name


def test_only_active_profiles_with_a_demanded_skill_are_ranked(demand):
    with_skill = give(senior(last_name="With"), Docker=1)
    give(senior(last_name="Without"), React=9)
    give(senior(last_name="Archived", archived_at=timezone.now()), Python=9, Django=9)

    assert [c.pk for c in ranked(demand)] == [with_skill.pk]


def test_every_active_profile_is_ranked_when_the_demand_names_no_skill(db):
    first, second = senior(), senior(seniority=Seniority.JUNIOR)
    demand = matching.Demand(seniority=Seniority.SENIOR, budget=600, today=TODAY)

    assert [c.pk for c in matching.ranked_pool(demand)[:10]] == [first.pk, second.pk]


def test_explanations_say_why_in_ok_warn_and_ko_chips(demand, skills):
    names = {skill.pk: skill.name for skill in skills.values()}
    profile = give(
        senior(
            day_rate=700,
            seniority=Seniority.CONFIRMED,
            available_from=TODAY + timedelta(days=44),
        ),
        Python=2,
    )
    profile = next(c for c in ranked(demand) if c.pk == profile.pk)

    chips = {(chip.tone, chip.text) for chip in matching.explain(profile, demand, names)}

    assert ("warn", "Python 2 yrs < 3 yrs") in chips
    assert ("ko", "Django missing") in chips
    assert ("", "Docker missing (nice to have)") in chips
    assert ("warn", "Confirmed, senior wanted") in chips
    assert ("ko", "Rate 700 € > budget 600 €") in chips
    assert ("warn", "Available 2 wks after the start") in chips


def test_a_fully_matching_profile_gets_only_ok_chips(demand, skills):
    names = {skill.pk: skill.name for skill in skills.values()}
    give(senior(day_rate=450), Python=5, Django=4, Docker=1)
    profile = ranked(demand)[0]

    chips = matching.explain(profile, demand, names)

    assert {chip.tone for chip in chips} == {"ok"}
    assert [chip.text for chip in chips][:3] == [
        "Python 5 yrs ✓",
        "Django 4 yrs ✓",
        "Docker 1 yr ✓",
    ]


# ---------- The page ----------


@pytest.fixture
def mission(mission_a, skills):
    MissionSkill.objects.create(mission=mission_a, skill=skills["Python"], min_years=3)
    MissionSkill.objects.create(mission=mission_a, skill=skills["Docker"], required=False)
    return mission_a


def url(mission, **params):
    base = reverse("missions:matching", args=[mission.pk])
    if params:
        from urllib.parse import urlencode

        base += "?" + urlencode(params)
    return base


def test_the_page_ranks_profiles_with_score_chips_margin_and_an_add_button(
    client, recruiter, mission
):
    best = give(senior(last_name="Best", day_rate=520), Python=6)
    give(senior(last_name="Second", day_rate=700), Python=1)
    client.force_login(recruiter)

    response = client.get(url(mission))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Best") < html.index("Second")
    assert "chip chip--ok" in html and "chip chip--ko" in html
    assert "Python 6 yrs ✓" in html
    # The margin against the budget (650 in the factory): 130 € and 20 %.
    assert "130\u00a0€ · 20.0\u00a0%" in html
    add_url = reverse("missions:shortlist_add", args=[mission.pk])
    assert f'action="{add_url}"' in html
    assert f'name="candidate" value="{best.pk}"' in html
    assert 'name="next" value="' + url(mission) + '"' in html


def test_a_full_shortlist_disables_the_button_and_says_why(client, recruiter, mission):
    shortlisted = [give(senior(), Python=5) for _ in range(4)]
    for slot, candidate in enumerate(shortlisted, start=1):
        ShortlistEntry.objects.create(
            mission=mission, candidate=candidate, slot=slot, candidate_rate=candidate.day_rate
        )
    outsider = give(senior(last_name="Outsider"), Python=5)
    client.force_login(recruiter)

    html = client.get(url(mission)).content.decode()

    assert 'id="add-reason"' in html
    assert "The shortlist is full (4 / 4)." in html
    assert 'disabled aria-describedby="add-reason"' in html
    assert f'name="candidate" value="{outsider.pk}"' not in html
    assert html.count(">Proposed</span>") == 4


def test_profiles_already_on_the_shortlist_show_their_state(client, recruiter, mission):
    candidate = give(senior(), Python=5)
    ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        slot=1,
        candidate_rate=500,
        state=EntryState.SENT,
        sent_at=timezone.now(),
    )
    client.force_login(recruiter)

    html = client.get(url(mission)).content.decode()

    assert "badge badge--violet" in html and "on the shortlist" in html
    assert f'name="candidate" value="{candidate.pk}"' not in html


def test_a_profile_placed_on_overlapping_dates_is_shown_as_placed(
    client, recruiter, mission, client_b
):
    placed = give(senior(last_name="Placed"), Python=5)
    other = MissionFactory(client=client_b, start_date=mission.start_date, duration_months=6)
    ShortlistEntry.objects.create(
        mission=other, candidate=placed, state=EntryState.SELECTED, slot=1, candidate_rate=500
    )
    client.force_login(recruiter)

    html = client.get(url(mission)).content.decode()

    assert f"Placed on {other.reference}" in html


def test_filters_narrow_the_ranked_pool(client, recruiter, mission):
    profiles = {
        "cheap": give(senior(day_rate=400), Python=5),
        "dear": give(senior(last_name="Dear", day_rate=900), Python=5),
        "junior": give(senior(seniority=Seniority.JUNIOR, day_rate=300), Python=5),
        "later": give(senior(available_from=mission.start_date + timedelta(days=60)), Python=5),
    }
    client.force_login(recruiter)

    def shown(**params):
        html = client.get(url(mission, **params)).content.decode()
        return {key for key, c in profiles.items() if f'href="{c.get_absolute_url()}"' in html}

    assert shown() == {"cheap", "dear", "junior", "later"}
    assert shown(max_rate=600) == {"cheap", "junior", "later"}
    assert shown(seniority="confirmed") == {"cheap", "dear", "later"}
    assert shown(available_before=mission.start_date.isoformat()) == {"cheap", "dear", "junior"}
    assert shown(q="dear") == {"dear"}


def test_a_client_contact_gets_403_and_anonymous_users_go_to_login(client, alice, mission):
    assert client.get(url(mission)).status_code == 302
    client.force_login(alice)
    assert client.get(url(mission)).status_code == 403


def _queries(client, address):
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context)


def test_the_page_runs_the_same_number_of_queries_for_1_and_20_profiles(client, recruiter, mission):
    client.force_login(recruiter)
    give(senior(), Python=5, Docker=1)
    ShortlistEntry.objects.create(
        mission=mission, candidate=give(senior(), Python=2), slot=1, candidate_rate=500
    )
    with_few = _queries(client, url(mission))

    for _ in range(20):
        give(senior(), Python=5, Docker=2, Django=3)
    with_many = _queries(client, url(mission))

    assert with_few == with_many


def test_the_page_runs_the_same_number_of_queries_for_1_and_20_mission_skills(
    client, recruiter, mission_a
):
    client.force_login(recruiter)
    skills = [SkillFactory(name=f"Skill {n}") for n in range(20)]
    MissionSkill.objects.create(mission=mission_a, skill=skills[0])
    for n in range(3):
        CandidateFactory().skills.create(skill=skills[n], years=n)
    with_one = _queries(client, url(mission_a))

    for skill in skills[1:]:
        MissionSkill.objects.create(mission=mission_a, skill=skill, required=skill.pk % 2 == 0)
    with_twenty = _queries(client, url(mission_a))

    assert with_one == with_twenty


def test_the_matching_filters_by_skills_and_channel(client, recruiter, mission):
    profiles = {
        "python": give(senior(channel="linkedin"), Python=5),
        "python_docker": give(senior(channel="referral"), Python=5, Docker=2),
    }
    client.force_login(recruiter)

    def shown(**params):
        html = client.get(url(mission, **params)).content.decode()
        return {key for key, c in profiles.items() if f'href="{c.get_absolute_url()}"' in html}

    assert shown(skills="python, docker") == {"python_docker"}
    assert shown(channel="linkedin") == {"python"}


def test_an_unknown_skill_in_the_matching_filter_is_a_field_error(client, recruiter, mission):
    give(senior(), Python=5)
    client.force_login(recruiter)

    response = client.get(url(mission, skills="Cobol-ish"))

    assert response.status_code == 200
    assert response.context["form"].errors["skills"]


def test_the_matching_shows_ten_rows_a_page(client, recruiter, mission):
    for _ in range(11):
        give(senior(), Python=5)
    client.force_login(recruiter)

    first = client.get(url(mission))
    second = client.get(url(mission, page=2))

    assert len(first.context["rows"]) == 10
    assert len(second.context["rows"]) == 1


def test_a_draft_on_the_shortlist_can_be_removed_from_the_matching(client, recruiter, mission):
    from missions import services

    profile = give(senior(), Python=5)
    entry = services.shortlist_candidate(
        mission=mission, candidate=profile, by=recruiter, confirm_warnings=True
    )
    client.force_login(recruiter)
    page = url(mission)
    html = client.get(page).content.decode()
    assert f'action="{reverse("missions:entry_remove", args=[entry.pk])}"' in html
    assert f"Remove {profile.full_name} from the shortlist" in html

    response = client.post(
        reverse("missions:entry_remove", args=[entry.pk]), {"next": page}, follow=True
    )

    assert response.redirect_chain[-1][0] == page
    assert not mission.shortlist.exists()


def test_a_sent_profile_offers_no_remove_link_in_the_matching(client, recruiter, mission):
    from missions import services

    profile = give(senior(), Python=5)
    entry = services.shortlist_candidate(
        mission=mission, candidate=profile, by=recruiter, confirm_warnings=True
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(state=EntryState.SENT)
    client.force_login(recruiter)

    html = client.get(url(mission)).content.decode()

    assert reverse("missions:entry_remove", args=[entry.pk]) not in html


def test_each_add_button_is_named_by_its_visible_label_then_the_profile(client, recruiter, mission):
    # A voice-control user says what they see ("Add to shortlist"): the accessible name must
    # start with it (WCAG 2.5.3); the profile's name completes it for screen readers.
    give(senior(first_name="Inès", last_name="Best"), Python=6)
    client.force_login(recruiter)

    html = client.get(url(mission)).content.decode()

    assert (
        '<button class="btn btn--sm" type="submit" aria-label="Add to shortlist: Inès Best">'
        "Add to shortlist</button>"
    ) in html

"""Matching learns from each client's history: the causes of its past refusals adjust the
ranking of its missions and show in the explained score."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import matching
from candidates.client_history import ClientHistory, lessons
from candidates.models import Seniority
from interviews.models import Interview, InterviewFailureCause
from missions.client_history import client_history
from missions.models import EntryState, FailureCause, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory
from tests.queries import count_queries

TODAY = date(2026, 11, 25)
LABELS = dict(FailureCause.choices)


def turned_down(mission, *, rate=600, state=EntryState.DECLINED, reason="", no_go=()):
    """A profile the client turned down: its entry closed with `reason`, and one no-go
    interview per tuple of causes in `no_go`."""
    closed = state in (EntryState.DECLINED, EntryState.NOT_RETAINED)
    entry = ShortlistEntry.objects.create(
        mission=mission,
        candidate=CandidateFactory(),
        state=state,
        candidate_rate=rate,
        end_reason=reason,
        slot=None if closed else mission.shortlist.filter(slot__isnull=False).count() + 1,
    )
    for number, causes in enumerate(no_go, start=1):
        interview = Interview.objects.create(
            entry=entry,
            number=number,
            scheduled_at=timezone.now(),
            state="done",
            verdict="no_go",
        )
        for cause in causes:
            InterviewFailureCause.objects.create(interview=interview, cause=cause)
    return entry


@pytest.fixture
def past_mission(client_a, recruiter):
    return MissionFactory(client=client_a, owner=recruiter)


# ---------- Reading the history ----------


def test_the_history_counts_each_turned_down_profile_once_per_cause(
    past_mission, mission_b, django_assert_num_queries
):
    turned_down(past_mission, rate=700, reason=FailureCause.RATE_TOO_HIGH)
    turned_down(past_mission, rate=650, reason=FailureCause.RATE_TOO_HIGH)
    turned_down(past_mission, rate=720, reason=FailureCause.RATE_TOO_HIGH)
    turned_down(
        past_mission,
        state=EntryState.NOT_RETAINED,
        reason=FailureCause.TECHNICAL_LEVEL,
        no_go=[("soft_skills",)],
    )
    # Still interviewing, but two no-go interviews: one profile, counted once per cause.
    turned_down(
        past_mission,
        state=EntryState.INTERVIEWING,
        no_go=[("soft_skills",), ("soft_skills", "technical_level")],
    )
    turned_down(past_mission, state=EntryState.SENT)  # not answered: not turned down
    turned_down(mission_b, rate=500, reason=FailureCause.RATE_TOO_HIGH)  # another client

    with django_assert_num_queries(1):
        history = client_history(past_mission.client)

    assert history == ClientHistory(
        turned_down=5,
        by_cause={"rate_too_high": 3, "technical_level": 2, "soft_skills": 2},
        lowest_refused_rate=650,
    )


def test_a_client_that_never_turned_anyone_down_has_no_history(past_mission):
    turned_down(past_mission, state=EntryState.SENT)

    assert client_history(past_mission.client) is None


# ---------- Lessons in plain words ----------


def test_two_of_three_no_gos_on_communication_advise_to_check_soft_skills():
    history = ClientHistory(turned_down=3, by_cause={"soft_skills": 2})

    found = lessons(history, LABELS, has_seniority=True, has_start=True)

    assert found == [
        ("2 of 3 profiles turned down for soft skills / communication: check soft skills", False)
    ]


def test_a_single_case_or_a_minority_is_not_a_lesson():
    history = ClientHistory(turned_down=5, by_cause={"soft_skills": 2, "technical_level": 1})

    assert lessons(history, LABELS, has_seniority=True, has_start=True) == []


def test_profiles_turned_down_for_their_rate_give_the_rate_lesson():
    history = ClientHistory(turned_down=10, by_cause={"rate_too_high": 3}, lowest_refused_rate=650)

    found = lessons(history, LABELS, has_seniority=True, has_start=True)

    assert found == [("This client turned down 3 profiles at 650 €/day or more", True)]


# ---------- The ranking ----------


def senior(last_name, day_rate, seniority=Seniority.SENIOR, available_from=TODAY):
    return CandidateFactory(
        last_name=last_name,
        day_rate=day_rate,
        seniority=seniority,
        available_from=available_from,
        availability_confirmed_on=TODAY,
    )


def ranked(demand):
    return [(p.last_name, p.score) for p in matching.ranked_pool(demand)[:10]]


def chips_of(demand, last_name):
    profile = next(p for p in matching.ranked_pool(demand)[:10] if p.last_name == last_name)
    return [chip.text for chip in matching.explain(profile, demand, {})]


def test_a_profile_at_a_rate_the_client_refused_loses_ten_points_and_says_why(db):
    senior("Cheaper", 600)
    senior("Pricey", 680)
    history = ClientHistory(turned_down=3, by_cause={"rate_too_high": 3}, lowest_refused_rate=650)
    demand = matching.Demand(seniority=Seniority.SENIOR, today=TODAY, history=history)

    assert ranked(demand) == [("Cheaper", 100.0), ("Pricey", 90.0)]
    assert chips_of(demand, "Pricey") == [
        "Senior ✓",
        "This client turned down 3 profiles at 650 €/day or more (−10)",
    ]
    assert chips_of(demand, "Cheaper") == ["Senior ✓"]


def test_after_technical_no_gos_a_level_below_the_wanted_one_loses_ten_points(db):
    senior("Senior", 600)
    senior("Confirmed", 600, seniority=Seniority.CONFIRMED)
    history = ClientHistory(turned_down=3, by_cause={"technical_level": 2})
    demand = matching.Demand(seniority=Seniority.SENIOR, today=TODAY, history=history)

    # A confirmed profile for a senior mission: 0.4 of the seniority part, then −10.
    assert ranked(demand) == [("Senior", 100.0), ("Confirmed", 30.0)]
    assert chips_of(demand, "Confirmed")[-1] == (
        "2 of 3 profiles turned down for their technical level (−10)"
    )


def test_after_availability_no_gos_a_late_start_loses_ten_points(db):
    senior("Ready", 600)
    senior("Late", 600, available_from=date(2026, 12, 31))
    history = ClientHistory(turned_down=2, by_cause={"availability": 2})
    demand = matching.Demand(
        seniority=Seniority.SENIOR, start_date=date(2026, 12, 1), today=TODAY, history=history
    )

    # Without history, "Late" gets 15/25 × 100 × 1 + 10/25 × 100 × 0 = 60; then −10.
    assert ranked(demand) == [("Ready", 100.0), ("Late", 50.0)]
    assert chips_of(demand, "Late")[-1] == (
        "2 of 2 profiles turned down for their availability (−10)"
    )


# ---------- The page ----------


def test_the_matching_page_shows_the_clients_lessons_and_the_penalised_rows(
    client, recruiter, mission_a, past_mission
):
    turned_down(past_mission, rate=700, reason=FailureCause.RATE_TOO_HIGH)
    turned_down(past_mission, rate=650, reason=FailureCause.RATE_TOO_HIGH)
    turned_down(past_mission, rate=720, reason=FailureCause.RATE_TOO_HIGH)
    turned_down(past_mission, no_go=[("soft_skills",)])
    turned_down(past_mission, no_go=[("soft_skills",)])
    senior("Pricey", 680)
    client.force_login(recruiter)

    response = client.get(reverse("missions:matching", args=[mission_a.pk]))

    text = response.text
    assert "What Transalp Logistique's past answers say" in text
    assert "This client turned down 3 profiles at 650 €/day or more" in text
    assert "2 of 5 profiles turned down for soft skills" not in text  # a minority
    assert "This client turned down 3 profiles at 650 €/day or more (−10)" in text


def test_the_matching_page_reads_the_history_in_the_same_queries_for_1_and_20_refusals(
    client, recruiter, mission_a, past_mission
):
    senior("Pricey", 680)
    client.force_login(recruiter)
    url = reverse("missions:matching", args=[mission_a.pk])
    turned_down(past_mission, reason=FailureCause.RATE_TOO_HIGH, no_go=[("soft_skills",)])
    one = count_queries(client, url)

    for _ in range(19):
        turned_down(past_mission, reason=FailureCause.RATE_TOO_HIGH, no_go=[("soft_skills",)])

    assert count_queries(client, url) == one

"""The rules of missions and shortlists written out literally: the legal moves (R4), the cap of
four (R1), the money (margin, margin rate, suggested price), the bounds of a day rate, a new
mission's start date, and causes that are never assumed.

The expected side of each test is typed here, never read from the code's own tables: changing
a rule must change this file too."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from candidates import matching, money
from missions import services
from missions.forms import EntryEndForm, EntryForm, MissionForm, NotRetainedForm
from missions.models import (
    ENTRY_TRANSITIONS,
    MISSION_TRANSITIONS,
    SHORTLIST_CAP,
    EntryState,
    Mission,
    ShortlistEntry,
)
from portal.forms import DemandForm
from tests.factories import CandidateFactory, MissionFactory

MISSION_MOVES = {
    "draft": {"open", "on_hold", "cancelled", "lost"},
    "open": {"shortlist_sent", "on_hold", "cancelled", "lost"},
    "shortlist_sent": {"interviewing", "filled", "on_hold", "cancelled", "lost"},
    "interviewing": {"filled", "on_hold", "cancelled", "lost"},
    "on_hold": {"draft", "open", "shortlist_sent", "interviewing", "cancelled", "lost"},
    "filled": set(),
    "cancelled": set(),
    "lost": set(),
}

ENTRY_MOVES = {
    "proposed": {"sent", "withdrawn", "not_retained"},
    "sent": {
        "interview_requested",
        "interviewing",
        "selected",
        "declined",
        "withdrawn",
        "not_retained",
    },
    "interview_requested": {
        "interviewing",
        "selected",
        "declined",
        "withdrawn",
        "not_retained",
    },
    "interviewing": {"selected", "withdrawn", "not_retained"},
    "selected": set(),
    "declined": set(),
    "withdrawn": set(),
    "not_retained": set(),
}

ACTIVE = {"proposed", "sent", "interview_requested", "interviewing", "selected"}


def as_strings(transitions):
    return {str(state): {str(to) for to in moves} for state, moves in transitions.items()}


# R4: the legal moves


def test_a_mission_moves_only_along_the_written_map():
    assert as_strings(MISSION_TRANSITIONS) == MISSION_MOVES


def test_a_mission_offers_exactly_the_moves_of_the_written_map():
    for state, moves in MISSION_MOVES.items():
        assert set(Mission(state=state).allowed_transitions()) == moves


def test_an_entry_moves_only_along_the_written_map():
    assert as_strings(ENTRY_TRANSITIONS) == ENTRY_MOVES


def entry_in_state(state, recruiter):
    """A fresh entry put straight into `state` (slot held if active, as the database wants)."""
    mission = MissionFactory(budget=800)
    entry = services.shortlist_candidate(
        mission=mission, candidate=CandidateFactory(day_rate=500), by=recruiter
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(
        state=state, slot=1 if state in ACTIVE else None, sent_at=timezone.now()
    )
    entry.refresh_from_db()
    return entry


CLIENT_AND_CANDIDATE_ANSWERS = {
    "interview_requested": lambda entry, by: services.request_interview(entry=entry, by=by),
    "declined": lambda entry, by: services.decline_entry(entry=entry, by=by, reason="other"),
    "withdrawn": lambda entry, by: services.withdraw_entry(
        entry=entry, by=by, reason="availability"
    ),
    "not_retained": lambda entry, by: services.mark_not_retained(entry=entry, by=by),
}


@pytest.mark.parametrize("from_state", list(ENTRY_MOVES))
def test_the_answer_services_allow_exactly_the_written_moves(from_state, recruiter):
    for to_state, answer in CLIENT_AND_CANDIDATE_ANSWERS.items():
        entry = entry_in_state(from_state, recruiter)
        # A draft becomes "not retained" only when another profile is selected, never by hand.
        by_selection_only = (from_state, to_state) == ("proposed", "not_retained")
        allowed = to_state in ENTRY_MOVES[from_state] and not by_selection_only
        try:
            answer(entry, recruiter)
        except ValidationError as exc:
            assert not allowed, f"{from_state} → {to_state} refused: {exc.messages}"
            assert exc.code == "illegal_transition"
        else:
            assert allowed, f"{from_state} → {to_state} accepted"
        entry.refresh_from_db()
        assert entry.state == (to_state if allowed else from_state)


# R1: four per shortlist


def test_the_shortlist_cap_is_four():
    assert SHORTLIST_CAP == 4


def test_the_fifth_active_profile_is_refused(mission_a, recruiter):
    for candidate in CandidateFactory.create_batch(4, day_rate=500):
        services.shortlist_candidate(mission=mission_a, candidate=candidate, by=recruiter)

    with pytest.raises(ValidationError) as refused:
        services.shortlist_candidate(
            mission=mission_a, candidate=CandidateFactory(day_rate=500), by=recruiter
        )

    assert refused.value.code == "shortlist_full"
    assert mission_a.shortlist.count() == 4


def test_pages_show_the_shortlist_cap_of_four(recruiter, mission_a, client):
    client.force_login(recruiter)

    page = client.get(reverse("missions:detail", args=[mission_a.pk]))

    assert page.context["shortlist_cap"] == 4
    assert page.context["interview_cap"] == 3
    assert "0 / 4" in page.content.decode()


# Money


def test_the_margin_is_the_price_sold_minus_the_freelancers_rate():
    assert money.margin(600, 500) == 100
    assert money.margin(450, 500) == -50
    assert money.margin(None, 500) is None


def test_the_margin_rate_is_a_share_of_the_price_sold_to_one_decimal():
    assert money.margin_rate(600, 500) == Decimal("16.7")  # not 20.0: the base is the price
    assert money.margin_rate(500, 500) == Decimal("0.0")
    assert money.margin_rate(400, 500) == Decimal("-25.0")
    assert money.margin_rate(None, 500) is None


def test_an_entry_reports_its_margin_on_the_price_sold():
    entry = ShortlistEntry(client_rate=600, candidate_rate=500)

    assert entry.margin == 100
    assert entry.margin_rate == Decimal("16.7")
    assert entry.margin_below_target is False
    assert ShortlistEntry(client_rate=550, candidate_rate=500).margin_below_target is True


def test_matching_measures_the_margin_on_the_budget():
    demand = matching.Demand(budget=600)

    assert matching.margin(CandidateFactory.build(day_rate=500), demand) == (100, Decimal("16.7"))


@pytest.mark.parametrize(
    ("budget", "cost", "suggested"),
    [
        (700, 500, 700),  # the budget leaves 28.6 %: take it
        (570, 500, 570),  # 12.3 %: still enough
        (568, 500, 570),  # 12.0 % minus a hair: 500 / 0.88 = 568.2, up to 570
        (550, 500, 570),  # 9.1 %: too thin
        (400, 500, 570),  # a budget under the rate is never a suggestion (a loss)
        (None, 500, 570),  # no budget
        (None, 880, 1000),  # 880 / 0.88 = 1000 exactly: no rounding up past it
    ],
)
def test_the_suggested_price_keeps_the_target_margin(budget, cost, suggested):
    assert money.suggested_client_rate(budget, cost) == suggested


def test_the_suggested_price_is_never_below_the_freelancers_rate():
    for cost in range(1, 5001, 7):
        for budget in (None, cost - 1, cost, cost + 1, cost * 2):
            assert money.suggested_client_rate(budget, cost) >= cost


def test_shortlisting_suggests_a_price_with_the_target_margin(mission_a, recruiter):
    mission_a.budget = 550
    mission_a.save(update_fields=["budget"])

    entry = services.shortlist_candidate(
        mission=mission_a, candidate=CandidateFactory(day_rate=500), by=recruiter
    )

    assert entry.client_rate == 570


# Bounds of a day rate


def test_the_largest_day_rate_is_five_thousand_euros():
    assert (money.DAILY_RATE_MIN, money.DAILY_RATE_MAX) == (1, 5000)


def mission_form(**changes):
    data = {
        "title": "Lead Python",
        "seniority": "senior",
        "remote_policy": "hybrid",
        "technical_test": "none",
        "budget": "700",
        "start_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    return data | changes


@pytest.mark.parametrize(
    ("budget", "valid"),
    [("0", False), ("1", True), ("5000", True), ("5001", False), ("99999999999", False)],
)
def test_a_budget_is_between_one_and_five_thousand_euros(client_a, budget, valid):
    form = MissionForm(mission_form(client=client_a.pk, budget=budget))

    assert form.is_valid() is valid
    if not valid:
        assert "budget" in form.errors
        assert "missions_" not in str(form.errors)


def test_a_rate_sold_above_the_bound_is_a_clear_form_error(mission_a, recruiter):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=CandidateFactory(day_rate=500), by=recruiter
    )

    form = EntryForm({"report": "Solid.", "client_rate": "99999999999"}, instance=entry)

    assert not form.is_valid()
    assert form.errors["client_rate"] == ["A day rate is at most 5000 €, excluding VAT."]


def test_a_freelancers_rate_above_the_bound_is_refused_in_plain_words():
    with pytest.raises(ValidationError) as refused:
        CandidateFactory.build(day_rate=5001).clean_fields()

    assert refused.value.message_dict["day_rate"] == [
        "A day rate is at most 5000 €, excluding VAT."
    ]


@pytest.mark.parametrize(
    ("model_update", "rate"),
    [
        (lambda entry, rate: Mission.objects.filter(pk=entry.mission_id), "budget"),
        (lambda entry, rate: ShortlistEntry.objects.filter(pk=entry.pk), "client_rate"),
        (lambda entry, rate: ShortlistEntry.objects.filter(pk=entry.pk), "candidate_rate"),
    ],
)
@pytest.mark.parametrize("value", [0, 5001])
def test_the_database_refuses_a_day_rate_out_of_bounds(
    mission_a, recruiter, model_update, rate, value
):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=CandidateFactory(day_rate=500), by=recruiter
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        model_update(entry, rate).update(**{rate: value})


def test_the_database_refuses_a_freelancers_rate_out_of_bounds(candidate):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(candidate).objects.filter(pk=candidate.pk).update(day_rate=5001)


def test_a_model_check_names_the_bound_not_the_constraint(db):
    entry = ShortlistEntry(state=EntryState.DECLINED, client_rate=5001, candidate_rate=500)

    with pytest.raises(ValidationError) as refused:
        entry.validate_constraints()

    assert refused.value.messages == ["A day rate is between 1 € and 5000 €, excluding VAT."]


# A new mission starts today or later


def test_a_new_mission_starting_in_the_past_is_warned_until_confirmed(client_a):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = mission_form(client=client_a.pk, start_date=yesterday.isoformat())

    warned = MissionForm(data)
    confirmed = MissionForm({**data, "confirm_past": "on"})

    assert warned.errors["start_date"] == [
        "This start date is in the past. Check it, or confirm below that the mission already began."
    ]
    assert warned.past_warning
    assert confirmed.is_valid(), confirmed.errors


def test_a_new_mission_may_start_today(client_a):
    form = MissionForm(mission_form(client=client_a.pk, start_date=timezone.localdate()))

    assert form.is_valid(), form.errors


def test_an_existing_mission_keeps_its_past_start_when_edited(client_a):
    started = MissionFactory(client=client_a, start_date=timezone.localdate() - timedelta(90))

    form = MissionForm(
        mission_form(client=client_a.pk, start_date=started.start_date.isoformat()),
        instance=started,
    )

    assert form.is_valid(), form.errors


def test_a_clients_new_demand_starting_in_the_past_is_refused(db):
    yesterday = timezone.localdate() - timedelta(days=1)

    form = DemandForm(mission_form(start_date=yesterday.isoformat(), duration_months="6"))

    assert "start_date" in form.errors


# Causes are chosen, never assumed


def test_the_withdrawal_form_preselects_no_cause_and_requires_one():
    html = str(EntryEndForm()["reason"])

    assert "selected" not in html.replace('value="" selected', "")
    assert 'value="" selected' in html
    assert EntryEndForm({"reason": ""}).errors["reason"] == ["Choose a cause."]


def test_the_not_retained_form_preselects_no_cause_and_accepts_none():
    form = NotRetainedForm({"reason": ""})

    assert form.is_valid()
    assert form.cleaned_data["reason"] == ""


def test_a_withdrawal_without_a_cause_is_refused_and_changes_nothing(mission_a, recruiter, client):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=CandidateFactory(day_rate=500), by=recruiter
    )
    client.force_login(recruiter)

    client.post(reverse("missions:entry_withdraw", args=[entry.pk]), {"reason": ""})

    entry.refresh_from_db()
    assert entry.state == EntryState.PROPOSED
    with pytest.raises(ValidationError) as refused:
        services.withdraw_entry(entry=entry, by=recruiter, reason="")
    assert refused.value.code == "cause_required"


def test_not_retained_without_a_cause_records_none(sent_entry_of, recruiter):
    entry = sent_entry_of(recruiter)

    services.mark_not_retained(entry=entry, by=recruiter)

    entry.refresh_from_db()
    assert (entry.state, entry.end_reason) == (EntryState.NOT_RETAINED, "")


@pytest.fixture
def sent_entry_of(mission_a):
    def make(recruiter):
        entry = services.shortlist_candidate(
            mission=mission_a, candidate=CandidateFactory(day_rate=500), by=recruiter
        )
        entry.report = "Solid."
        entry.save(update_fields=["report"])
        services.send_shortlist(mission=mission_a, by=recruiter)
        entry.refresh_from_db()
        return entry

    return make

"""Placements: a selection creates one (dates, rates, margin), its end drives the profile's
availability, it can be extended or ended early, and its renewal is announced 30 days before
its end — on the dashboard and by email. R6 holds on placements, extensions included."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from insights import revenue
from insights.queries import Scope
from interviews.reminders import run_reminders
from missions import services
from missions.models import EntryState, Event, MissionState, Placement, ShortlistEntry
from missions.reminders import remind_placements_ending
from tests.factories import CandidateFactory, MissionFactory
from tests.queries import count_queries


def sent_entry(mission, candidate, *, client_rate=700, candidate_rate=550):
    mission.state = MissionState.SHORTLIST_SENT
    mission.save(update_fields=["state"])
    return ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        state=EntryState.SENT,
        slot=mission.shortlist.active().count() + 1,
        candidate_rate=candidate_rate,
        client_rate=client_rate,
        report="Strong Django.",
        sent_at=timezone.now(),
    )


def placed(candidate, client, *, start, months, recruiter, **rates):
    mission = MissionFactory(client=client, start_date=start, duration_months=months)
    entry = sent_entry(mission, candidate, **rates)
    services.select_candidate(entry=entry, by=recruiter)
    return Placement.objects.get(entry=entry)


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


# ---------------------------------------------------------------- the selection


def test_selecting_a_profile_creates_its_placement_over_the_missions_period(
    candidate, client_a, recruiter
):
    placement = placed(
        candidate,
        client_a,
        start=date(2027, 1, 4),
        months=3,
        recruiter=recruiter,
        client_rate=700,
        candidate_rate=560,
    )

    assert (placement.start, placement.end) == (date(2027, 1, 4), date(2027, 4, 3))
    assert (placement.sold_rate, placement.bought_rate) == (700, 560)
    assert placement.margin == 140
    assert placement.margin_rate == 20


def test_the_placements_end_is_the_profiles_availability(candidate, client_a, recruiter):
    placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    candidate.refresh_from_db()
    # The last day worked is 31 March: the freelancer is free from 1 April.
    assert candidate.available_from == date(2027, 4, 1)
    assert candidate.availability_confirmed_on == timezone.localdate()


def test_a_mission_without_a_start_date_places_the_profile_from_the_selection_day(
    candidate, client_a, recruiter
):
    placement = placed(candidate, client_a, start=None, months=None, recruiter=recruiter)

    assert placement.start == timezone.localdate()
    assert placement.end is None


# ---------------------------------------------------------------- extend


def test_extending_a_placement_moves_its_end_and_the_availability_and_says_so(
    candidate, client_a, recruiter
):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    services.extend_placement(
        placement=placement, by=recruiter, end=date(2027, 6, 30), note="PO 4521"
    )

    placement.refresh_from_db()
    candidate.refresh_from_db()
    assert placement.end == date(2027, 6, 30)
    assert candidate.available_from == date(2027, 7, 1)
    step = Event.objects.filter(entry=placement.entry).first()
    assert step.message == "Camille Lefèvre's placement extended to 30 Jun 2027"
    assert step.note == "Previous end: 31 Mar 2027. PO 4521"
    assert step.author == recruiter


def test_an_extension_must_end_after_the_current_end(candidate, client_a, recruiter):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    with pytest.raises(ValidationError) as refused:
        services.extend_placement(placement=placement, by=recruiter, end=date(2027, 3, 31))

    assert refused.value.code == "not_later"
    placement.refresh_from_db()
    assert placement.end == date(2027, 3, 31)


def test_an_extension_over_the_next_placement_is_refused(candidate, client_a, client_b, recruiter):
    first = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)
    placed(candidate, client_b, start=date(2027, 4, 1), months=3, recruiter=recruiter)

    with pytest.raises(ValidationError) as refused:
        services.extend_placement(placement=first, by=recruiter, end=date(2027, 4, 15))

    assert refused.value.code == "already_placed"
    first.refresh_from_db()
    assert first.end == date(2027, 3, 31)


def test_a_selection_over_an_extended_placement_is_refused(
    candidate, client_a, client_b, recruiter
):
    """R6 reads the placement's dates, not its mission's: after the extension, a mission
    starting in April overlaps."""
    first = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)
    services.extend_placement(placement=first, by=recruiter, end=date(2027, 5, 31))
    april = sent_entry(
        MissionFactory(client=client_b, start_date=date(2027, 4, 1), duration_months=2), candidate
    )

    with pytest.raises(ValidationError) as refused:
        services.select_candidate(entry=april, by=recruiter)

    assert refused.value.code == "already_placed"
    assert "(1 Jan 2027 – 31 May 2027)" in refused.value.messages[0]


# ---------------------------------------------------------------- end early


def test_ending_a_placement_early_needs_a_reason(candidate, client_a, recruiter):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    with pytest.raises(ValidationError) as refused:
        services.end_placement_early(
            placement=placement, by=recruiter, last_day=date(2027, 2, 12), reason="  "
        )

    assert refused.value.code == "reason_required"
    placement.refresh_from_db()
    assert (placement.end, placement.ended_early) == (date(2027, 3, 31), False)


def test_ending_a_placement_early_frees_the_profile_the_next_day_and_says_why(
    candidate, client_a, recruiter
):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    services.end_placement_early(
        placement=placement,
        by=recruiter,
        last_day=date(2027, 2, 12),
        reason="The client stopped the project.",
    )

    placement.refresh_from_db()
    candidate.refresh_from_db()
    assert (placement.end, placement.ended_early) == (date(2027, 2, 12), True)
    assert placement.end_reason == "The client stopped the project."
    assert candidate.available_from == date(2027, 2, 13)
    step = Event.objects.filter(entry=placement.entry).first()
    assert step.message == "Camille Lefèvre's placement ended early on 12 Feb 2027"
    assert step.note == "Planned end: 31 Mar 2027. Reason: The client stopped the project."


def test_a_placement_ended_early_can_be_neither_extended_nor_ended_again(
    candidate, client_a, recruiter
):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)
    services.end_placement_early(
        placement=placement, by=recruiter, last_day=date(2027, 2, 12), reason="Stopped."
    )

    with pytest.raises(ValidationError) as extension:
        services.extend_placement(placement=placement, by=recruiter, end=date(2027, 6, 30))
    with pytest.raises(ValidationError) as second_end:
        services.end_placement_early(
            placement=placement, by=recruiter, last_day=date(2027, 2, 1), reason="Again."
        )

    assert (extension.value.code, second_end.value.code) == ("placement_ended", "placement_ended")


def test_the_placement_page_shows_a_refused_extension_as_a_form_error(
    desk, candidate, client_a, recruiter
):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    response = desk.post(
        reverse("missions:placement_extend", args=[placement.pk]), {"end": "2027-02-01"}
    )

    assert response.status_code == 200
    assert "The new end must come after the current one (31 Mar 2027)." in response.text
    placement.refresh_from_db()
    assert placement.end == date(2027, 3, 31)


def test_the_placement_page_ends_a_placement_early(desk, candidate, client_a, recruiter):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    response = desk.post(
        reverse("missions:placement_end", args=[placement.pk]),
        {"last_day": "2027-02-12", "reason": "Budget cut."},
    )

    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end == date(2027, 2, 12)


# ---------------------------------------------------------------- renewal: dashboard and email


def ending_in(days, candidate, client, recruiter):
    """A placement whose last day is `days` from today."""
    today = timezone.localdate()
    placement = placed(
        candidate, client, start=today - timedelta(days=60), months=6, recruiter=recruiter
    )
    Placement.objects.filter(pk=placement.pk).update(end=today + timedelta(days=days))
    placement.refresh_from_db()
    return placement


def test_a_placement_ending_in_25_days_shows_on_the_dashboard(desk, candidate, client_a, recruiter):
    ending_in(25, candidate, client_a, recruiter)
    later = ending_in(
        40, CandidateFactory(first_name="Noé", last_name="Vidal"), client_a, recruiter
    )

    html = desk.get(reverse("missions:dashboard")).text

    assert "Placements ending soon" in html
    assert "Camille Lefèvre" in html
    assert "ends in 25 days" in html
    assert later.candidate.full_name not in html


def test_the_dashboard_costs_the_same_queries_with_1_and_20_placements_ending(
    desk, client_a, recruiter
):
    ending_in(10, CandidateFactory(), client_a, recruiter)
    url = reverse("missions:dashboard")
    with_one = count_queries(desk, url)
    for days in range(11, 30):
        ending_in(days, CandidateFactory(), client_a, recruiter)

    assert count_queries(desk, url) == with_one


def test_the_recruiter_is_emailed_once_30_days_before_the_end(
    candidate, client_a, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    placement = ending_in(30, candidate, client_a, recruiter)
    Placement.objects.filter(pk=placement.pk).update(renewal_reminder_sent_on=None)
    placement.mission.owner = recruiter
    placement.mission.save(update_fields=["owner"])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = remind_placements_ending(now=timezone.now())
        again = remind_placements_ending(now=timezone.now())

    assert (first, again) == (1, 0)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [recruiter.email]
    assert "the placement of Camille Lefèvre ends soon" in mailoutbox[0].subject
    assert "ends in 30 days" in mailoutbox[0].body


def test_no_email_for_a_placement_ending_in_31_days_and_one_again_after_an_extension(
    candidate, client_a, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    placement = ending_in(31, candidate, client_a, recruiter)
    assert remind_placements_ending(now=timezone.now()) == 0
    Placement.objects.filter(pk=placement.pk).update(
        end=timezone.localdate() + timedelta(days=5), renewal_reminder_sent_on=date(2026, 1, 1)
    )
    placement.refresh_from_db()

    services.extend_placement(
        placement=placement, by=recruiter, end=timezone.localdate() + timedelta(days=20)
    )

    assert remind_placements_ending(now=timezone.now()) == 1


def test_the_reminder_clock_runs_the_renewal_check(candidate, client_a, recruiter):
    ending_in(12, candidate, client_a, recruiter)

    assert run_reminders(now=timezone.now())["placements_ending"] == 1


# ---------------------------------------------------------------- pages


def test_the_mission_and_the_profile_link_to_the_placement(desk, candidate, client_a, recruiter):
    placement = placed(candidate, client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)
    link = f'href="{reverse("missions:placement", args=[placement.pk])}"'

    assert link in desk.get(placement.mission.get_absolute_url()).text
    assert link in desk.get(candidate.get_absolute_url()).text


def test_the_placement_list_costs_the_same_queries_with_1_and_20_placements(
    desk, client_a, recruiter
):
    placed(CandidateFactory(), client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)
    url = reverse("missions:placement_list") + "?show=all"
    with_one = count_queries(desk, url)
    for _ in range(19):
        placed(CandidateFactory(), client_a, start=date(2027, 1, 1), months=3, recruiter=recruiter)

    assert count_queries(desk, url) == with_one


# ---------------------------------------------------------------- insights


def test_revenue_and_margin_by_month_count_the_working_days_placed(candidate, client_a, recruiter):
    # Mon 4 Jan 2027 for one month: last day Wed 3 Feb. January has 20 working days from the
    # 4th, February 3 (Mon 1 to Wed 3).
    placed(
        candidate,
        client_a,
        start=date(2027, 1, 4),
        months=1,
        recruiter=recruiter,
        client_rate=700,
        candidate_rate=560,
    )

    rows = revenue.by_month(Scope(date(2027, 1, 1), date(2027, 3, 31)))

    assert [(r["month"], r["days"], r["revenue"], r["margin"]) for r in rows] == [
        (date(2027, 1, 1), 20, 14000, 2800),
        (date(2027, 2, 1), 3, 2100, 420),
        (date(2027, 3, 1), 0, 0, 0),
    ]


def test_the_insights_page_shows_the_revenue_table(desk, candidate, client_a, recruiter):
    placed(candidate, client_a, start=date(2027, 1, 4), months=1, recruiter=recruiter)

    html = desk.get(reverse("insights:index") + "?from=2027-01-01&to=2027-03-31").text

    assert "Revenue and margin by month" in html
    assert "14,000\u00a0€" in html


def test_a_placement_ended_early_no_longer_shows_the_profile_as_placed(
    desk, candidate, client_a, recruiter
):
    today = timezone.localdate()
    placement = placed(
        candidate, client_a, start=today - timedelta(days=60), months=6, recruiter=recruiter
    )
    placed_text = f"Placed on {placement.mission.reference}"
    assert placed_text in desk.get(candidate.get_absolute_url()).text

    services.end_placement_early(
        placement=placement, by=recruiter, last_day=today - timedelta(days=1), reason="Stopped."
    )

    assert placed_text not in desk.get(candidate.get_absolute_url()).text

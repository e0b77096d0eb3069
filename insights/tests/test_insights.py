"""Insights: every figure against values worked out by hand on a small, dated story.

The story (period 1 January – 30 June 2025, times in Paris):
- M1 (Transalp, recruiter): opened 6 Jan, shortlist sent 10 Jan (4 days) with c1 junior
  LinkedIn 400→500, c2 senior portage "Portage One" 600→780, c3 senior referral 700→800.
  c1 declined 12 Jan (technical level); c2 asks for an interview 11 Jan, interviews 15 and
  20 Jan, selected 25 Jan (10 days after the first); c3 interviewed 16 Jan (noted: technical
  level, day rate too high), not retained 18 Jan (day rate too high).
- M2 (Transalp, recruiter): opened 3 Feb, sent 9 Feb (6 days) with c4 confirmed LinkedIn
  500→600 and c5 senior "Portage One" 650→700. c5 declined 11 Feb (day rate too high); c4
  interviewed 12 Feb (noted: soft skills, technical level), a second interview cancelled,
  withdrew 2 Mar (took another mission); M2 lost 5 Mar.
- M3 (Brenner, another recruiter): opened 7 Apr, c1 proposed, never sent.
- Outside the period: M4 opened Nov 2024 (c5 interviewed, "other"), M5 a draft never opened;
  c5 was added in Oct 2024. c6 (junior, "Portage Two") was added 15 Feb and never positioned.
"""

import csv
import io
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Channel, LegalForm, PortageCompany, Seniority
from insights import charts
from insights.forms import InsightsFilterForm, default_period
from insights.queries import Scope
from interviews import rollups
from interviews import services as interview_services
from interviews.models import Interview, Verdict
from missions import services
from missions.models import (
    Event,
    FailureCause,
    Mission,
    MissionState,
    ShortlistEntry,
)
from tests.factories import CandidateFactory, SkillFactory, make_recruiter

PARIS = ZoneInfo("Europe/Paris")
PERIOD = {"from": "2025-01-01", "to": "2025-06-30"}
STAMPS = [
    (Event, ["at"]),
    (Mission, ["created_at", "updated_at", "opened_at"]),
    (ShortlistEntry, ["created_at", "sent_at", "answered_at", "closed_at"]),
    (Interview, ["created_at", "feedback_at"]),
    (Candidate, ["created_at"]),
]


def when(day, hour=10):
    return datetime(*day, hour, tzinfo=PARIS)


@contextmanager
def at(day, hour=10):
    """Run a step through the services, then move every timestamp it wrote to `day`."""
    started = timezone.now()
    yield
    moment = when(day, hour)
    for model, fields in STAMPS:
        for field in fields:
            model.objects.filter(**{f"{field}__gte": started}).update(**{field: moment})
    # The dates moved behind the services' back (and the test's transaction never commits,
    # so the services' refresh never ran): the insights' rollups are recomputed.
    rollups.rebuild()


def open_mission(client, owner, day, *, skills=(), budget=800, title="Django developer"):
    with at(day):
        mission = services.create_mission(
            by=owner, client=client, title=title, owner=owner, budget=budget, skills=skills
        )
        services.transition_mission(mission=mission, to=MissionState.OPEN, by=owner)
    mission.refresh_from_db()
    return mission


def shortlist(mission, candidate, by, client_rate):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    entry.report = "Strong on the domain."
    entry.client_rate = client_rate
    entry.save(update_fields=["report", "client_rate"])
    return entry


def interview(entry, by, day, *, verdict, causes=(), step_day=None):
    with at(step_day or day):
        done = interview_services.schedule_interview(
            entry=entry, by=by, scheduled_at=when(day), recruiter=by
        )
    with at(day, 12):
        interview_services.record_feedback(
            interview=done,
            by=by,
            causes=causes,
            hard_skills_rating=3,
            soft_skills_rating=3,
            verdict=verdict,
        )
    return done


def candidate(name, seniority, channel, day_rate, added, portage=None):
    with at(added):
        return CandidateFactory(
            first_name=name,
            seniority=seniority,
            channel=channel,
            day_rate=day_rate,
            legal_form=LegalForm.PORTAGE if portage else LegalForm.MICRO,
            portage_company=portage,
        )


@pytest.fixture
def world(recruiter, client_a, client_b, alice, bob):
    other = make_recruiter("thomas", first_name="Thomas", last_name="Girard")
    django, react, java = (
        SkillFactory(name="Django"),
        SkillFactory(name="React"),
        SkillFactory(name="Java"),
    )
    one = PortageCompany.objects.create(name="Portage One")
    two = PortageCompany.objects.create(name="Portage Two")
    c1 = candidate("c1", Seniority.JUNIOR, Channel.LINKEDIN, 400, (2025, 1, 2))
    c2 = candidate("c2", Seniority.SENIOR, Channel.PORTAGE, 600, (2025, 1, 2), one)
    c3 = candidate("c3", Seniority.SENIOR, Channel.REFERRAL, 700, (2025, 1, 2))
    c4 = candidate("c4", Seniority.CONFIRMED, Channel.LINKEDIN, 500, (2025, 1, 2))
    c5 = candidate("c5", Seniority.SENIOR, Channel.PORTAGE, 650, (2024, 10, 1), one)
    candidate("c6", Seniority.JUNIOR, Channel.PORTAGE, 350, (2025, 2, 15), two)

    # Outside the period: a mission of November 2024 and a draft never opened.
    m4 = open_mission(client_a, recruiter, (2024, 11, 4), skills=[(django, True, 0)])
    with at((2024, 11, 6)):
        e = shortlist(m4, c5, recruiter, 700)
        services.send_shortlist(mission=m4, by=recruiter)
    interview(e, recruiter, (2024, 11, 10), verdict=Verdict.NO_GO, causes=[FailureCause.OTHER])
    with at((2025, 2, 1)):
        services.create_mission(by=recruiter, client=client_a, title="Draft", owner=recruiter)

    m1 = open_mission(
        client_a, recruiter, (2025, 1, 6), skills=[(django, True, 0), (react, False, 0)]
    )
    with at((2025, 1, 10)):
        e1 = shortlist(m1, c1, recruiter, 500)
        e2 = shortlist(m1, c2, recruiter, 780)
        e3 = shortlist(m1, c3, recruiter, 800)
        services.send_shortlist(mission=m1, by=recruiter)
    with at((2025, 1, 11)):
        services.request_interview(entry=e2, by=alice, slots="Any morning")
    with at((2025, 1, 12)):
        services.decline_entry(entry=e1, by=alice, reason=FailureCause.TECHNICAL_LEVEL)
    interview(e2, recruiter, (2025, 1, 15), verdict=Verdict.GO, step_day=(2025, 1, 13))
    interview(
        e3,
        recruiter,
        (2025, 1, 16),
        verdict=Verdict.NO_GO,
        causes=[FailureCause.TECHNICAL_LEVEL, FailureCause.RATE_TOO_HIGH],
        step_day=(2025, 1, 13),
    )
    with at((2025, 1, 18)):
        services.mark_not_retained(entry=e3, by=recruiter, reason=FailureCause.RATE_TOO_HIGH)
    interview(e2, recruiter, (2025, 1, 20), verdict=Verdict.GO)
    with at((2025, 1, 25)):
        services.select_candidate(entry=e2, by=alice)

    m2 = open_mission(client_a, recruiter, (2025, 2, 3), skills=[(django, True, 0)], budget=600)
    with at((2025, 2, 9)):
        e4 = shortlist(m2, c4, recruiter, 600)
        e5 = shortlist(m2, c5, recruiter, 700)
        services.send_shortlist(mission=m2, by=recruiter)
    interview(
        e4,
        recruiter,
        (2025, 2, 12),
        verdict=Verdict.NO_GO,
        causes=[FailureCause.SOFT_SKILLS, FailureCause.TECHNICAL_LEVEL],
        step_day=(2025, 2, 10),
    )
    with at((2025, 2, 11)):
        services.decline_entry(entry=e5, by=alice, reason=FailureCause.RATE_TOO_HIGH)
    with at((2025, 2, 13)):
        second = interview_services.schedule_interview(
            entry=e4, by=recruiter, scheduled_at=when((2025, 2, 14)), recruiter=recruiter
        )
        interview_services.cancel_interview(interview=second, by=recruiter)
    with at((2025, 3, 2)):
        services.withdraw_entry(entry=e4, by=recruiter, reason=FailureCause.CANDIDATE_WITHDREW)
    with at((2025, 3, 5)):
        services.transition_mission(
            mission=m2, to=MissionState.LOST, by=recruiter, note="Budget frozen"
        )

    m3 = open_mission(client_b, other, (2025, 4, 7), skills=[(java, True, 0)], budget=700)
    with at((2025, 4, 8)):
        shortlist(m3, c1, other, 480)

    return SimpleNamespace(m1=m1, m2=m2, m3=m3, m4=m4, other=other, recruiter=recruiter)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def insights(browser, user, **params):
    english(browser).force_login(user)
    response = browser.get(reverse("insights:index"), {**PERIOD, **params})
    assert response.status_code == 200
    return response.context["report"]


@pytest.fixture
def report(client, world):
    return insights(client, world.recruiter)


def rows(table):
    return [list(row) for row in table.rows]


def approx_rows(table):
    return [[pytest.approx(v) if isinstance(v, float) else v for v in row] for row in table.rows]


# --- the recruiter's figures


def test_the_funnel_counts_the_missions_of_the_period_that_reached_each_step(report):
    assert rows(report.funnel_table) == [
        ["Missions opened", 3, None, 100.0],
        ["Shortlists sent", 2, 66.7, 66.7],
        ["Profiles interviewed", 2, 100.0, 66.7],
        ["Placements", 1, 50.0, 33.3],
    ]


def test_sent_profiles_leave_by_outcome_before_or_after_an_interview(report):
    assert rows(report.outcomes_table) == [
        ["Placed", 0, 1, 1, 20.0],
        ["Declined by the client", 2, 0, 2, 40.0],
        ["Withdrawn", 0, 1, 1, 20.0],
        ["Not retained", 0, 1, 1, 20.0],
        ["Still in progress", 0, 0, 0, 0.0],
    ]
    assert report.outcomes_table.footer == ["Profiles sent", 2, 3, 5, 100.0]


def test_speed_gives_median_days_between_the_steps(report):
    assert rows(report.speed_table) == [
        ["Mission opened → shortlist sent", 5.0, 5.0, 2],
        ["Profile sent → client's answer", 2.0, 1.8, 5],
        ["First interview → placement", 10.0, 10.0, 1],
    ]


def test_time_to_shortlist_is_given_by_month_of_opening(report):
    assert rows(report.speed_by_month_table) == [
        [date(2025, 1, 1), 1, 1, 4.0],
        [date(2025, 2, 1), 1, 1, 6.0],
        [date(2025, 3, 1), 0, 0, None],
        [date(2025, 4, 1), 1, 0, None],
        [date(2025, 5, 1), 0, 0, None],
        [date(2025, 6, 1), 0, 0, None],
    ]


def test_key_figures_sum_up_the_period(report):
    assert report.key_figures == {
        "opened": 3,
        "placed": 1,
        "fill_rate": 33.3,
        "days_to_shortlist": 5.0,
        "days_to_answer": 2.0,
        "interviews_per_placement": 4.0,
        "top_cause": "Technical level",
        "top_cause_count": 2,
    }


def test_failure_causes_come_from_feedback_and_from_who_ended_the_profile(report):
    assert rows(report.causes_table) == [
        ["Technical level", 2, 1, 0, 3],
        ["Day rate too high", 1, 2, 0, 3],
        ["Soft skills / communication", 1, 0, 0, 1],
        ["Candidate withdrew or took another mission", 0, 0, 1, 1],
        ["Availability or start date", 0, 0, 0, 0],
        ["Location / remote", 0, 0, 0, 0],
        ["Client changed its needs", 0, 0, 0, 0],
        ["Other", 0, 0, 0, 0],
    ]
    assert report.causes_table.footer == ["All causes", 4, 3, 1, 8]


def test_failure_causes_are_counted_by_the_month_they_were_recorded(report):
    table = report.causes_by_month_table
    assert [c.label for c in table.columns] == [
        "Month",
        "Technical level",
        "Day rate too high",
        "Soft skills / communication",
        "Candidate withdrew or took another mission",
        "Other causes",
        "All causes",
    ]
    assert rows(table) == [
        [date(2025, 1, 1), 2, 2, 0, 0, 0, 4],
        [date(2025, 2, 1), 1, 1, 1, 0, 0, 3],
        [date(2025, 3, 1), 0, 0, 0, 1, 0, 1],
        [date(2025, 4, 1), 0, 0, 0, 0, 0, 0],
        [date(2025, 5, 1), 0, 0, 0, 0, 0, 0],
        [date(2025, 6, 1), 0, 0, 0, 0, 0, 0],
    ]


def test_each_channel_shows_profiles_added_shortlisted_interviewed_and_placed(report):
    assert rows(report.channels_table) == [
        ["Portage company", 2, 2, 1, 1, 50.0],
        ["LinkedIn", 2, 2, 1, 0, 0.0],
        ["Referral", 1, 1, 1, 0, 0.0],
        ["Freelance platform", 0, 0, 0, 0, None],
        ["Direct application", 0, 0, 0, 0, None],
        ["Job board", 0, 0, 0, 0, None],
        ["Other", 0, 0, 0, 0, None],
    ]
    assert report.channels_table.footer == ["All channels", 5, 5, 3, 1, 20.0]


def test_each_portage_company_shows_the_same_figures(report):
    assert rows(report.portage_table) == [
        ["Portage One", 1, 2, 1, 1, 50.0],
        ["Portage Two", 1, 0, 0, 0, None],
    ]


def test_day_rates_and_margins_by_seniority_of_the_profiles_sent(report):
    assert approx_rows(report.price_seniority_table) == [
        ["Junior", 1, 500, 400, 100, 20.0],
        ["Confirmed", 1, 600, 500, 100, 16.7],
        ["Senior", 3, 760, 650, 110, 14.5],
        ["Expert", 0, None, None, None, None],
    ]
    assert report.price_seniority_table.footer == [
        "All profiles",
        5,
        pytest.approx(676),
        pytest.approx(570),
        pytest.approx(106),
        15.7,
    ]


def test_day_rates_of_placements_only(client, world):
    report = insights(client, world.recruiter, basis="placed")
    assert approx_rows(report.price_seniority_table)[2] == ["Senior", 1, 780, 600, 180, 23.1]
    assert report.price_seniority_table.footer[1] == 1


def test_day_rates_by_skill_count_the_skills_the_mission_requires(report):
    # React is only nice to have on M1; Java's mission sent no profile.
    assert approx_rows(report.price_skills_table) == [["Django", 5, 676, 570, 106, 15.7]]


def test_missions_lost_on_price(report):
    assert rows(report.lost_on_price_table) == [
        ["Missions where the rate was a cause", 2],
        ["… of them lost or cancelled", 1],
        ["Profiles ended by the client on price", 2],
        ["Profiles ended by the candidate on price", 0],
        ["Interviews noting the rate", 1],
    ]


def test_juniors_and_seniors_outcomes(report):
    assert rows(report.seniority_table) == [
        ["Junior", 1, 0, 0, 0.0, None],
        ["Confirmed", 1, 1, 0, 0.0, None],
        ["Senior", 3, 2, 1, 33.3, 3.0],
        ["Expert", 0, 0, 0, None, None],
    ]
    assert report.seniority_table.footer == ["All profiles", 5, 3, 1, 20.0, 4.0]


def test_the_recruiter_filter_keeps_that_recruiters_missions(client, world):
    report = insights(client, world.recruiter, recruiter=world.other.pk)
    assert rows(report.funnel_table) == [
        ["Missions opened", 1, None, 100.0],
        ["Shortlists sent", 0, 0.0, 0.0],
        ["Profiles interviewed", 0, None, 0.0],
        ["Placements", 0, None, 0.0],
    ]
    assert report.key_figures["days_to_shortlist"] is None


def test_the_client_filter_keeps_that_clients_missions(client, world, client_a):
    report = insights(client, world.recruiter, client=client_a.pk)
    assert report.funnel_table.rows[0][1] == 2
    assert report.causes_table.footer == ["All causes", 4, 3, 1, 8]


def test_the_default_period_is_the_last_twelve_months(client, recruiter, client_a):
    today = timezone.localdate()
    start, end = default_period(today)
    assert (start.day, end) == (1, today)
    assert (end.year - start.year) * 12 + end.month - start.month == 11
    open_mission(client_a, recruiter, (today - timedelta(days=400)).timetuple()[:3])
    open_mission(client_a, recruiter, (today - timedelta(days=3)).timetuple()[:3])
    english(client).force_login(recruiter)

    response = client.get(reverse("insights:index"))

    assert response.context["report"].key_figures["opened"] == 1
    assert len(response.context["scope"].months()) == 12


def test_an_empty_period_shows_dashes_instead_of_rates(client, world):
    english(client).force_login(world.recruiter)
    response = client.get(reverse("insights:index"), {"from": "2023-01-01", "to": "2023-03-31"})

    report = response.context["report"]
    assert rows(report.funnel_table)[1] == ["Shortlists sent", 0, None, None]
    assert report.channels_table.footer[-1] is None
    assert report.key_figures["fill_rate"] is None
    assert report.speed_table.rows[0][1:] == [None, None, 0]
    html = response.content.decode()
    assert "division" not in html.lower()
    assert '<td class="num">—</td>' in html


def test_a_period_that_ends_before_it_starts_is_refused_and_the_default_shown(client, world):
    english(client).force_login(world.recruiter)

    response = client.get(reverse("insights:index"), {"from": "2025-06-30", "to": "2025-01-01"})

    assert response.status_code == 200
    assert "The period must start before it ends." in response.content.decode()
    assert response.context["scope"].first_day == default_period(timezone.localdate())[0]


# --- the client's own figures


def client_page(client, user, **params):
    english(client).force_login(user)
    response = client.get(reverse("insights:client"), {**PERIOD, **params})
    assert response.status_code == 200
    return response


def test_a_client_sees_its_own_figures(client, world, alice):
    response = client_page(client, alice)

    report = response.context["report"]
    assert report.key_figures == {
        "days_to_shortlist": 5.0,
        "sent": 5,
        "interviewed": 3,
        "selected": 1,
        "interviews_per_placement": 4.0,
    }
    assert rows(report.client_funnel_table) == [
        ["Profiles sent", 5, None],
        ["Profiles interviewed", 3, 60.0],
        ["Profiles selected", 1, 33.3],
    ]
    missions = response.context["missions_table"]
    assert [row[0] for row in missions.rows] == [
        f"Django developer ({world.m2.reference})",
        f"Django developer ({world.m1.reference})",
    ]
    assert [row[1:] for row in missions.rows] == [
        [date(2025, 2, 3), 6.0, 2, 1, 0],
        [date(2025, 1, 6), 4.0, 3, 2, 1],
    ]


def test_a_client_never_sees_another_companys_figures(client, world, bob):
    response = client_page(client, bob)

    report = response.context["report"]
    # Brenner's only mission has a profile proposed, not sent: nothing to count yet.
    assert report.key_figures == {
        "days_to_shortlist": None,
        "sent": 0,
        "interviewed": 0,
        "selected": 0,
        "interviews_per_placement": None,
    }
    html = response.content.decode()
    assert world.m1.reference not in html and world.m2.reference not in html
    assert world.m3.reference in html
    export = client.get(
        reverse("insights:client"), {**PERIOD, "format": "csv", "table": "client_missions"}
    )
    assert world.m1.reference not in export.content.decode()


def test_the_client_page_shows_no_rate_or_margin(client, world, alice):
    html = client_page(client, alice).content.decode()

    assert "780" not in html and "Margin" not in html and "€" not in html


# --- CSV exports


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_table_exports_as_csv_with_a_header_row(client, world):
    english(client).force_login(world.recruiter)

    response = client.get(
        reverse("insights:index"), {**PERIOD, "format": "csv", "table": "channels"}
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="insights-channels-20250101-20250630.csv"'
    )
    assert read_csv(response) == [
        ["Channel", "Added", "Shortlisted", "Interviewed", "Placed", "Placement rate (%)"],
        ["Portage company", "2", "2", "1", "1", "50.0"],
        ["LinkedIn", "2", "2", "1", "0", "0.0"],
        ["Referral", "1", "1", "1", "0", "0.0"],
        ["Freelance platform", "0", "0", "0", "0", ""],
        ["Direct application", "0", "0", "0", "0", ""],
        ["Job board", "0", "0", "0", "0", ""],
        ["Other", "0", "0", "0", "0", ""],
        ["All channels", "5", "5", "3", "1", "20.0"],
    ]


def test_every_table_of_the_page_exports_as_csv(client, world):
    report = insights(client, world.recruiter)
    for name in report.TABLES:
        table = report.table(name)
        response = client.get(reverse("insights:index"), {**PERIOD, "format": "csv", "table": name})
        lines = read_csv(response)
        assert lines[0] == [column.csv_label for column in table.columns], name
        assert len(lines) == 1 + len(table.rows) + (1 if table.footer else 0), name


def test_csv_numbers_are_plain_and_dates_iso(client, world):
    english(client).force_login(world.recruiter)
    base = {**PERIOD, "format": "csv"}

    speed = read_csv(client.get(reverse("insights:index"), {**base, "table": "speed_by_month"}))
    price = read_csv(client.get(reverse("insights:index"), {**base, "table": "price_seniority"}))

    assert speed[0] == ["Month", "Missions opened", "Shortlists sent", "Median wait (days)"]
    assert speed[1] == ["2025-01", "1", "1", "4.0"]
    assert price[0][2:4] == ["Sold (€/day)", "Paid (€/day)"]
    assert price[3] == ["Senior", "3", "760", "650", "110", "14.5"]


def test_a_name_that_looks_like_a_formula_is_defused_in_csv(client, world):
    PortageCompany.objects.filter(name="Portage Two").update(name="=HYPERLINK(1)")
    english(client).force_login(world.recruiter)

    lines = read_csv(
        client.get(reverse("insights:index"), {**PERIOD, "format": "csv", "table": "portage"})
    )

    assert lines[2][0] == "'=HYPERLINK(1)"


def test_a_unit_the_column_name_already_says_is_not_repeated(client, world, alice):
    english(client).force_login(alice)

    lines = read_csv(
        client.get(
            reverse("insights:client"), {**PERIOD, "format": "csv", "table": "client_missions"}
        )
    )

    assert lines[0][:3] == ["Mission", "Opened on", "Days to shortlist"]


@pytest.mark.french
def test_a_french_export_opens_in_french_spreadsheets(client, world):
    client.force_login(world.recruiter)

    response = client.get(
        reverse("insights:index"), {**PERIOD, "format": "csv", "table": "price_seniority"}
    )

    assert response.content.decode("utf-8").splitlines()[:4] == [
        "\ufeffSéniorité;Profils;TJM vendu (€/j);Payé (€/j);Marge (€/j);Taux de marge (%)",
        "Junior;1;500;400;100;20,0",
        "Confirmé;1;600;500;100;16,7",
        "Senior;3;760;650;110;14,5",
    ]


def test_an_unknown_table_is_a_404(client, world):
    english(client).force_login(world.recruiter)
    response = client.get(reverse("insights:index"), {"format": "csv", "table": "clients"})
    assert response.status_code == 404


def test_the_csv_export_keeps_each_roles_access(client, world, alice):
    english(client).force_login(alice)
    assert (
        client.get(reverse("insights:index"), {"format": "csv", "table": "funnel"}).status_code
        == 403
    )
    client.force_login(world.recruiter)
    response = client.get(reverse("insights:client"), {"format": "csv", "table": "client_missions"})
    assert response.status_code == 403


# --- the page and its charts


def test_the_page_renders_each_chart_as_an_accessible_svg_next_to_its_table(client, world):
    english(client).force_login(world.recruiter)

    html = client.get(reverse("insights:index"), PERIOD).content.decode()

    assert html.count('<svg class="chart ') == 8
    assert html.count('role="img"') == 8
    assert 'aria-label="Funnel of the missions opened in the period"' in html
    assert "<title>Funnel of the missions opened in the period</title>" in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    # The strict CSP forbids style attributes: charts use classes and SVG attributes.
    assert "style=" not in html.split('id="main"')[1]
    assert 'aria-current="page">Insights</a>' in html


def test_the_client_page_renders_for_its_contact(client, world, alice):
    html = client_page(client, alice).content.decode()

    assert 'role="img"' in html
    assert 'aria-current="page">Figures</a>' in html


def test_charts_draw_nothing_wrong_when_every_value_is_zero():
    empty_funnel = charts.funnel(
        [charts.Step("Sent", 0, "0"), charts.Step("Placed", 0, "0", "—")], label="F"
    )
    empty_bars = charts.bars([charts.BarRow("A", [charts.Bar(0, "0")])], label="B")
    empty_trend = charts.trend([("Jan", "2025"), ("Feb", "")], [("Wait", [None, None])], label="T")

    for svg in (empty_funnel, empty_bars, empty_trend):
        assert svg.startswith('<svg class="chart') and "nan" not in svg.lower()
    assert "<polyline" not in empty_trend


def test_chart_labels_are_escaped():
    svg = charts.bars([charts.BarRow("<script>", [charts.Bar(1, "1")])], label='"quoted"')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-label="&quot;quoted&quot;"' in svg


# --- query counts


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def add_more_missions(world, client_a, alice, n=6):
    """More missions, profiles, interviews and causes inside the period."""
    for i in range(n):
        mission = open_mission(client_a, world.recruiter, (2025, 5, 1 + i), budget=900)
        with at((2025, 5, 10 + i)):
            entries = [
                shortlist(
                    mission, CandidateFactory(channel=Channel.JOB_BOARD), world.recruiter, 700
                )
                for _ in range(3)
            ]
            services.send_shortlist(mission=mission, by=world.recruiter)
        interview(
            entries[0],
            world.recruiter,
            (2025, 5, 20 + i),
            verdict=Verdict.NO_GO,
            causes=[FailureCause.AVAILABILITY],
        )
        with at((2025, 5, 25)):
            services.decline_entry(entry=entries[1], by=alice, reason=FailureCause.LOCATION)


def test_the_recruiter_page_costs_the_same_queries_with_more_data(client, world, client_a, alice):
    english(client).force_login(world.recruiter)
    url = reverse("insights:index")
    small = count_queries(client, url, PERIOD)

    add_more_missions(world, client_a, alice)

    assert count_queries(client, url, PERIOD) == small
    assert small <= 12


def test_the_client_page_costs_the_same_queries_with_more_data(client, world, client_a, alice):
    english(client).force_login(alice)
    url = reverse("insights:client")
    small = count_queries(client, url, PERIOD)

    add_more_missions(world, client_a, alice)

    assert count_queries(client, url, PERIOD) == small
    assert small <= 15


def test_the_scope_lists_every_month_of_the_period():
    scope = Scope(date(2024, 11, 15), date(2025, 2, 3))
    assert scope.months() == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]


@pytest.mark.parametrize(
    ("data", "selected"), [({}, True), ({"client": "pick"}, True), ({"client": "x"}, False)]
)
def test_the_client_list_renders_as_djangos_select_would(world, client_a, data, selected):
    data = {"client": str(client_a.pk)} if data.get("client") == "pick" else data
    form = InsightsFilterForm(data, today=date(2025, 6, 30))
    form.is_valid()
    fast = str(form["client"])
    form.fields["client"].widget = forms.Select(choices=form.fields["client"].choices)

    assert fast == str(form["client"])
    assert ("selected" in fast) is selected

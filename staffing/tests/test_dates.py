"""Dates as the mockups write them, in the reader's language."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from staffing import dates


def in_language(language, function, *args, **kwargs):
    with translation.override(language):
        return function(*args, **kwargs)


def test_french_dates_read_like_the_mockups():
    assert in_language("fr", dates.short_date, date(2026, 11, 24), weekday=True) == "mar. 24 nov."
    assert (
        in_language("fr", dates.short_date, date(2027, 1, 4), weekday=True, year=True)
        == "lun. 4 janv. 2027"
    )
    assert in_language("fr", dates.short_date, date(2026, 11, 24), year=True) == "24 nov. 2026"


def test_english_dates_read_day_first_with_short_names():
    assert in_language("en", dates.short_date, date(2026, 11, 24), weekday=True) == "Tue 24 Nov"
    assert (
        in_language("en", dates.short_date, date(2027, 1, 4), weekday=True, year=True)
        == "Mon 4 Jan 2027"
    )


def test_june_and_july_are_told_apart_in_french():
    assert in_language("fr", dates.month_year, date(2026, 6, 1)) == "juin 2026"
    assert in_language("fr", dates.month_year, date(2026, 7, 1)) == "juil. 2026"


@pytest.mark.parametrize(
    ("month", "french"),
    [
        (1, "janv."),
        (2, "févr."),
        (3, "mars"),
        (4, "avr."),
        (5, "mai"),
        (6, "juin"),
        (7, "juil."),
        (8, "août"),
        (9, "sept."),
        (10, "oct."),
        (11, "nov."),
        (12, "déc."),
    ],
)
def test_every_french_month_has_its_usual_abbreviation(month, french):
    assert in_language("fr", dates.month_name, date(2026, month, 1)) == french


def test_a_moment_is_dated_on_the_agency_clock(settings):
    settings.TIME_ZONE = "Europe/Paris"
    late_evening_utc = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)

    assert (
        in_language("fr", dates.short_date, late_evening_utc, weekday=True, time=True)
        == "mar. 24 nov., 00:30"
    )


def test_the_filter_writes_the_date_in_the_pages_language_and_nothing_for_no_date():
    template = Template('{% load desk %}{{ d|short_date:"weekday year" }}|{{ none|short_date }}')

    with translation.override("fr"):
        rendered = template.render(Context({"d": date(2027, 1, 4), "none": None}))

    assert rendered == "lun. 4 janv. 2027|"


@pytest.mark.french
def test_the_mission_page_writes_its_start_the_french_way(client, recruiter, mission_a):
    mission_a.start_date = date(2027, 1, 4)
    mission_a.save(update_fields=["start_date"])
    client.force_login(recruiter)

    html = client.get(mission_a.get_absolute_url()).content.decode()

    assert "<dd>lun. 4 janv. 2027</dd>" in html

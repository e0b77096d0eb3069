"""R6: the one definition of a mission's period (start, duration in months, end day
included), with literal dates."""

from datetime import date

import pytest

from missions.models import Mission
from missions.periods import Period, period_text


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 1, 1), 3, date(2027, 3, 31)),
        (date(2027, 4, 1), 2, date(2027, 5, 31)),
        (date(2027, 1, 15), 1, date(2027, 2, 14)),
        (date(2027, 11, 1), 3, date(2028, 1, 31)),
        (date(2027, 3, 10), 12, date(2028, 3, 9)),
    ],
)
def test_a_mission_ends_the_day_before_the_same_day_months_later(start, months, end):
    assert Period.of_mission(start, months) == Period(start, end)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 1, 30), 1, date(2027, 2, 28)),
        (date(2027, 1, 28), 1, date(2027, 2, 27)),
        (date(2027, 1, 31), 3, date(2027, 4, 30)),
        (date(2027, 3, 31), 1, date(2027, 4, 30)),
        (date(2027, 8, 31), 1, date(2027, 9, 30)),
    ],
)
def test_a_month_end_start_runs_to_the_end_of_the_month_without_that_day(start, months, end):
    assert Period.of_mission(start, months).end == end


def test_back_to_back_missions_do_not_overlap():
    first = Period.of_mission(date(2027, 1, 1), 3)
    second = Period.of_mission(date(2027, 4, 1), 2)

    assert not first.overlaps(second)
    assert not second.overlaps(first)


def test_a_mission_starting_on_the_last_day_of_another_overlaps_it():
    first = Period.of_mission(date(2027, 1, 1), 3)
    second = Period.of_mission(date(2027, 3, 31), 2)

    assert first.overlaps(second)
    assert second.overlaps(first)


def test_a_month_end_mission_and_the_one_starting_on_the_first_do_not_overlap():
    assert not Period.of_mission(date(2027, 1, 31), 1).overlaps(
        Period.of_mission(date(2027, 3, 1), 1)
    )
    assert Period.of_mission(date(2027, 1, 31), 1).overlaps(Period.of_mission(date(2027, 2, 28), 1))


def test_an_unknown_start_overlaps_everything():
    unknown = Period.of_mission(None, 3)

    assert unknown == Period(None, None)
    assert unknown.overlaps(Period.of_mission(date(2030, 6, 1), 1))
    assert Period.of_mission(date(2020, 1, 1), 1).overlaps(unknown)


def test_an_unknown_duration_leaves_the_end_open():
    open_ended = Period.of_mission(date(2027, 1, 1), None)

    assert open_ended == Period(date(2027, 1, 1), None)
    assert Period.of_mission(date(2027, 1, 1), 0) == open_ended
    assert open_ended.overlaps(Period.of_mission(date(2035, 1, 1), 1))
    assert not open_ended.overlaps(Period.of_mission(date(2026, 10, 1), 3))


def test_the_mission_model_gives_the_same_period():
    mission = Mission(start_date=date(2027, 1, 1), duration_months=3)
    next_one = Mission(start_date=date(2027, 4, 1), duration_months=2)

    assert mission.period == Period(date(2027, 1, 1), date(2027, 3, 31))
    assert mission.end_date == date(2027, 3, 31)
    assert not mission.overlaps(next_one)
    assert mission.overlaps(Mission(start_date=date(2027, 3, 31), duration_months=1))
    assert Mission(start_date=None, duration_months=3).end_date is None


def test_a_period_reads_in_words():
    assert period_text(Period(date(2027, 1, 1), date(2027, 3, 31))) == "1 Jan 2027 – 31 Mar 2027"
    assert period_text(Period(date(2027, 1, 1), None)) == "from 1 Jan 2027, end unknown"
    assert period_text(Period(None, None)) == "dates unknown"

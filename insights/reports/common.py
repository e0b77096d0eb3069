"""Pieces shared by the reports: key figures, month labels, short formatted values."""

from dataclasses import dataclass
from datetime import date

from insights.tables import COUNT, RATE, display
from missions.models import FailureCause
from staffing.dates import month_name


@dataclass(frozen=True)
class Stat:
    """A key figure: the value as shown, what it is, a short note."""

    value: str
    label: str
    note: str = ""
    wide: bool = False


def month_axis(months):
    """x-axis labels: the short month name, and the year under the first month and January."""
    return [
        (month_name(date(y, m, 1)), str(y) if i == 0 or m == 1 else "")
        for i, (y, m) in enumerate(months)
    ]


def rate_text(value):
    return display(value, RATE)


def count_text(value):
    return display(value, COUNT)


def cause_label(value):
    try:
        return str(FailureCause(value).label)
    except ValueError:
        return value

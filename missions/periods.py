"""The one definition of a mission's period (R6), used by every page and by the selection.

A mission runs from its start date for a whole number of months, and its **end day is
included**: the mission ends the day before the same day of the month `duration` months
later. A mission starting on 1 Jan 2027 for 3 months ends on 31 Mar 2027, so the next one
may start on 1 Apr 2027 without overlapping it.

When that day does not exist in the target month (a month-end start), the next period
would begin on the 1st of the month after, so the mission ends on the last day of the
target month: 31 Jan 2027 + 1 month ends on 28 Feb 2027 (29 Feb in a leap year), and
30 Jan 2027 + 1 month too.

An unknown start or duration leaves that bound open: an open period overlaps every period
that it could reach, so an incomplete mission is never taken as free of a clash.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from staffing.dates import short_date


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included; None is an open (unknown) bound."""

    start: date | None
    end: date | None

    @classmethod
    def of_mission(cls, start, duration_months):
        if start is None:
            return cls(None, None)
        if not duration_months:
            return cls(start, None)
        return cls(start, _last_day(start, duration_months))

    @classmethod
    def from_day(cls, day):
        """Every day from `day` on (what is still to come)."""
        return cls(day, None)

    def overlaps(self, other):
        """Whether the two periods share at least one day; an open bound reaches every day."""
        return _on_or_before(self.start, other.end) and _on_or_before(other.start, self.end)


def _on_or_before(start, end):
    return start is None or end is None or start <= end


def _last_day(start, months):
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    days_in_month = calendar.monthrange(year, month)[1]
    if start.day > days_in_month:
        # The same day does not exist there: the next period would start on the 1st of
        # the month after, so this one runs to the end of the month.
        return date(year, month, days_in_month)
    return date(year, month, start.day) - timedelta(days=1)


def period_text(period):
    """The period in words, in the user's language and date format."""
    dates = {
        "start": period.start and short_date(period.start, year=True),
        "end": period.end and short_date(period.end, year=True),
    }
    if period.start is None:
        return _("dates unknown")
    if period.end is None:
        return _("from %(start)s, end unknown") % dates
    return _("%(start)s – %(end)s") % dates

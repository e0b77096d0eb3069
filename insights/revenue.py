"""Revenue and margin by month, from placements: what the agency bills and keeps.

A placement bills its rate sold for each working day (Monday to Friday) between its start and
its last day; the agency keeps the rate sold less the freelancer's rate on each of those days.
Public holidays and days off are not known here: the figures are what the contracts plan.
"""

from datetime import date, timedelta

from django.db.models import Q

from missions.models import Placement

ONE_DAY = timedelta(days=1)


def working_days(first, last):
    """Monday-to-Friday days from `first` to `last`, both included (0 when last < first)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(rest):
        if (first.weekday() + offset) % 7 < 5:
            count += 1
    return count


def _month_bounds(year, month):
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - ONE_DAY


def placements_in(scope):
    """The placements that work at least one day of the scope's period, on its missions'
    recruiter and client: one query."""
    return (
        Placement.objects.filter(scope.owner_q("mission__"))
        .filter(start__lte=scope.last_day)
        .filter(Q(end__isnull=True) | Q(end__gte=scope.first_day))
        .values_list("start", "end", "sold_rate", "bought_rate")
    )


def by_month(scope):
    """[{month, placements, days, revenue, margin}] for every month of the scope, in order;
    an open-ended placement counts to the end of the period."""
    placements = list(placements_in(scope))
    rows = []
    for year, month in scope.months():
        first, last = _month_bounds(year, month)
        first, last = max(first, scope.first_day), min(last, scope.last_day)
        row = {"month": date(year, month, 1), "placements": 0, "days": 0, "revenue": 0, "margin": 0}
        for start, end, sold, bought in placements:
            days = working_days(max(start, first), min(end or last, last))
            if days:
                row["placements"] += 1
                row["days"] += days
                row["revenue"] += days * sold
                row["margin"] += days * (sold - bought)
        rows.append(row)
    return rows

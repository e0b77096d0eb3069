"""Revenue and margin by month, from placements (see `insights.revenue`)."""

from functools import cached_property

from django.utils.translation import gettext as _

from insights import charts, revenue
from insights.queries import rate
from insights.reports.common import month_axis
from insights.tables import COUNT, EUROS, MONTH, RATE, Column, Table


class RevenueSection:
    """The revenue table and chart (needs `scope`)."""

    @cached_property
    def _revenue(self):
        return revenue.by_month(self.scope)

    @cached_property
    def revenue_table(self):
        rows = [
            [
                r["month"],
                r["placements"],
                r["days"],
                r["revenue"],
                r["margin"],
                rate(r["margin"], r["revenue"]),
            ]
            for r in self._revenue
        ]
        totals = [sum(row[i] for row in rows) for i in (2, 3, 4)]
        return Table(
            name="revenue",
            title=_("Revenue and margin by month"),
            caption=_(
                "From placements: the rate sold and the margin on each working day (Monday to "
                "Friday) between a placement's start and its last day, as planned."
            ),
            columns=[
                Column(_("Month"), MONTH),
                Column(_("Freelancers placed"), COUNT),
                Column(_("Days billed"), COUNT),
                Column(_("Revenue"), EUROS),
                Column(_("Margin"), EUROS),
                Column(_("Margin rate"), RATE),
            ],
            rows=rows,
            footer=[_("Period"), None, *totals, rate(totals[2], totals[1])],
        )

    @cached_property
    def revenue_chart(self):
        if not any(row[3] for row in self.revenue_table.rows):
            return None
        return charts.trend(
            month_axis(self.scope.months()),
            [
                (_("Revenue (€)"), [row[3] for row in self.revenue_table.rows]),
                (_("Margin (€)"), [row[4] for row in self.revenue_table.rows]),
            ],
            label=_("Revenue and margin by month, from placements"),
            integer=True,
        )

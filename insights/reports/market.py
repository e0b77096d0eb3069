"""The market half of the agency's report: sourcing channels, portage companies, day rates
and margins, seniority."""

from functools import cached_property

from django.utils.translation import gettext as _

from candidates.models import Channel, Seniority
from insights import charts, queries
from insights.queries import rate, ratio
from insights.reports.common import rate_text
from insights.tables import COUNT, MONEY, RATE, RATIO, Column, Table, display


class MarketSection:
    """Tables and charts on where profiles come from and what they sell for (needs `scope`
    and `basis`)."""

    @cached_property
    def _seniority(self):
        return queries.seniority_outcomes(self._totals)

    @cached_property
    def _price_by_seniority(self):
        return queries.rates_by_seniority(self._totals, self.basis)

    def _sourcing_columns(self, heading):
        return [
            Column(heading),
            Column(_("Added"), COUNT),
            Column(_("Shortlisted"), COUNT),
            Column(_("Interviewed"), COUNT),
            Column(_("Placed"), COUNT),
            Column(_("Placement rate"), RATE),
        ]

    @staticmethod
    def _sourcing_row(label, counts):
        shortlisted, placed = counts.get("shortlisted", 0), counts.get("placed", 0)
        return [
            label,
            counts.get("added", 0),
            shortlisted,
            counts.get("interviewed", 0),
            placed,
            rate(placed, shortlisted),
        ]

    @cached_property
    def channels_table(self):
        data = (
            queries.channels_from(self._totals)
            if self._exact_profiles
            else queries.channels(self.scope)
        )
        rows = [self._sourcing_row(label, data.get(value, {})) for value, label in Channel.choices]
        rows.sort(key=lambda row: (-row[4], -row[2], -row[1]))
        totals = [sum(row[i] for row in rows) for i in range(1, 5)]
        return Table(
            name="channels",
            title=_("Sourcing channels"),
            caption=_(
                "Added: profiles created in the period. Shortlisted, interviewed, placed: "
                "profiles positioned on the period's missions. Rate: placed ÷ shortlisted."
            ),
            columns=self._sourcing_columns(_("Channel")),
            rows=rows,
            footer=[_("All channels"), *totals, rate(totals[3], totals[1])],
        )

    @cached_property
    def channels_chart(self):
        rows = [row for row in self.channels_table.rows if row[2]]
        if not rows:
            return None
        return charts.bars(
            [
                charts.BarRow(
                    row[0], [charts.Bar(row[4], f"{row[4]}/{row[2]} · {rate_text(row[5])}")]
                )
                for row in rows
            ],
            label=_("Placements by sourcing channel, with the placement rate"),
        )

    @cached_property
    def portage_table(self):
        return Table(
            name="portage",
            title=_("Portage companies"),
            caption=_("The %(n)s portage companies whose profiles went furthest.")
            % {"n": queries.TOP_ROWS},
            columns=self._sourcing_columns(_("Portage company")),
            rows=[
                self._sourcing_row(name, counts)
                for name, counts in (
                    queries.portage_companies_from(self._totals)
                    if self._exact_profiles
                    else queries.portage_companies(self.scope)
                )
            ],
        )

    # --- price

    def _price_columns(self, heading):
        return [
            Column(heading),
            Column(_("Profiles"), COUNT),
            Column(_("Sold"), MONEY),
            Column(_("Paid"), MONEY),
            Column(_("Margin"), MONEY),
            Column(_("Margin rate"), RATE),
        ]

    @staticmethod
    def _price_row(label, row):
        return [
            label,
            row["n"],
            row["sold"],
            row["paid"],
            row["margin"],
            rate(row["margin_total"], row["sold_total"]),
        ]

    def _basis_caption(self):
        if self.basis == "placed":
            return _("Average day rates of the placements on the period's missions.")
        return _("Average day rates of the profiles sent on the period's missions.")

    @cached_property
    def price_seniority_table(self):
        data = self._price_by_seniority
        empty = {"n": 0, "sold": None, "paid": None, "margin": None}
        empty |= {"margin_total": None, "sold_total": None}
        rows = [
            self._price_row(label, data.get(value, empty)) for value, label in Seniority.choices
        ]
        n = sum(row["n"] for row in data.values())
        sums = {
            key: sum(row[key] for row in data.values())
            for key in ("sold_total", "paid_total", "margin_total")
        }
        return Table(
            name="price_seniority",
            title=_("Day rates and margin by seniority"),
            caption=self._basis_caption(),
            columns=self._price_columns(_("Seniority")),
            rows=rows,
            footer=[
                _("All profiles"),
                n,
                sums["sold_total"] / n if n else None,
                sums["paid_total"] / n if n else None,
                sums["margin_total"] / n if n else None,
                rate(sums["margin_total"], sums["sold_total"]),
            ],
        )

    @cached_property
    def price_chart(self):
        rows = [row for row in self.price_seniority_table.rows if row[1]]
        if not rows:
            return None
        peak = max(row[2] for row in rows)
        return charts.bars(
            [
                charts.BarRow(
                    row[0],
                    [
                        charts.Bar(row[2], display(row[2], MONEY)),
                        charts.Bar(row[3], display(row[3], MONEY)),
                    ],
                )
                for row in rows
            ],
            series=[_("Sold to the client"), _("Paid to the freelancer")],
            max_value=peak,
            label=_("Average day rate sold and paid, by seniority"),
        )

    @cached_property
    def price_skills_table(self):
        return Table(
            name="price_skills",
            title=_("Day rates and margin by skill"),
            caption=_(
                "By skill the mission requires (a profile counts under each); the %(n)s skills "
                "sold most."
            )
            % {"n": queries.TOP_ROWS},
            columns=self._price_columns(_("Skill")),
            rows=[
                self._price_row(row["mission__skills__skill__name"], row)
                for row in queries.rates_by_skill(self._totals, self.basis)
            ],
        )

    @cached_property
    def lost_on_price_table(self):
        data = queries.lost_on_price(self._totals)
        return Table(
            name="lost_on_price",
            title=_("Lost on price"),
            caption=_(
                "Where “day rate too high” was given as a reason or noted after an interview."
            ),
            columns=[Column(_("What")), Column(_("Count"), COUNT)],
            rows=[
                [_("Missions where the rate was a cause"), data["missions"]],
                [_("… of them lost or cancelled"), data["missions_lost"]],
                [_("Profiles ended by the client on price"), data["by_client"]],
                [_("Profiles ended by the candidate on price"), data["by_candidate"]],
                [_("Interviews noting the rate"), data["interviews"]],
            ],
        )

    # --- seniority

    @cached_property
    def seniority_table(self):
        data = self._seniority
        rows = []
        for value, label in Seniority.choices:
            row = data.get(value, {"sent": 0, "interviewed": 0, "placed": 0, "interviews": 0})
            rows.append(self._seniority_row(label, row))
        totals = {
            key: sum(row[key] for row in data.values())
            for key in ("sent", "interviewed", "placed", "interviews")
        }
        return Table(
            name="seniority",
            title=_("Junior or senior: outcomes"),
            caption=_(
                "Profiles sent on the period's missions by seniority; interviews that took place."
            ),
            columns=[
                Column(_("Seniority")),
                Column(_("Profiles sent"), COUNT),
                Column(_("Interviewed"), COUNT),
                Column(_("Placed"), COUNT),
                Column(_("Placement rate"), RATE),
                Column(_("Interviews per placement"), RATIO),
            ],
            rows=rows,
            footer=self._seniority_row(_("All profiles"), totals),
        )

    @staticmethod
    def _seniority_row(label, row):
        return [
            label,
            row["sent"],
            row["interviewed"],
            row["placed"],
            rate(row["placed"], row["sent"]),
            ratio(row["interviews"], row["placed"]),
        ]

    @cached_property
    def seniority_chart(self):
        rows = [row for row in self.seniority_table.rows if row[1]]
        if not rows:
            return None
        return charts.bars(
            [
                charts.BarRow(
                    row[0],
                    [charts.Bar(row[4] or 0, f"{rate_text(row[4])} · {row[3]}/{row[1]}")],
                )
                for row in rows
            ],
            max_value=100,
            label=_("Placement rate by seniority"),
        )

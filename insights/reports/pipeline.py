"""The pipeline half of the agency's report: funnel, where profiles leave, speed, and the
causes of failure with their trend."""

from datetime import date
from functools import cached_property

from django.utils.translation import gettext as _

from insights import charts, queries
from insights.queries import rate
from insights.reports.common import cause_label, count_text, month_axis, rate_text
from insights.tables import COUNT, DAYS, MONTH, RATE, Column, Table
from missions.models import EndedBy, EntryState, FailureCause

TOP_CAUSES = 4  # lines on the causes trend; the rest are summed as "other causes"
OUTCOMES = (
    ("placed", (EntryState.SELECTED,)),
    ("declined", (EntryState.DECLINED,)),
    ("withdrawn", (EntryState.WITHDRAWN,)),
    ("not_retained", (EntryState.NOT_RETAINED,)),
    ("in_progress", (EntryState.SENT, EntryState.INTERVIEW_REQUESTED, EntryState.INTERVIEWING)),
)


def _outcome_labels():
    return {
        "placed": _("Placed"),
        "declined": _("Declined by the client"),
        "withdrawn": _("Withdrawn"),
        "not_retained": _("Not retained"),
        "in_progress": _("Still in progress"),
    }


def _mentions(counts):
    return counts["feedback"] + counts[EndedBy.CLIENT] + counts[EndedBy.CANDIDATE]


class PipelineSection:
    """Tables and charts from the missions' funnel to the failure causes (needs `scope`)."""

    @cached_property
    def _figures(self):
        return queries.period_figures(self.scope)

    @property
    def _totals(self):
        return self._figures[0]

    @property
    def _by_month(self):
        return self._figures[1]

    @property
    def _exact_profiles(self):
        """Whether the distinct-profile figures are in the rollups' totals (whole months)."""
        return self._figures[2]

    @cached_property
    def _funnel(self):
        return queries.mission_funnel(self._totals)

    @cached_property
    def _outcomes(self):
        return queries.profile_outcomes(self._totals)

    @cached_property
    def _speed(self):
        return {
            name: queries.speed(self._totals, name) for name in ("shortlist", "answer", "placement")
        }

    @cached_property
    def _causes_by_month(self):
        return queries.causes_by_month(self.scope, self._interview_causes, self._end_reasons)

    @cached_property
    def _interview_causes(self):
        return queries.interview_causes(self._by_month)

    @cached_property
    def _end_reasons(self):
        return queries.end_reasons(self._by_month)

    # --- funnel

    @cached_property
    def funnel_table(self):
        f = self._funnel
        steps = [
            (_("Missions opened"), f["opened"], None),
            (_("Shortlists sent"), f["shortlisted"], f["opened"]),
            (_("Profiles interviewed"), f["interviewed"], f["shortlisted"]),
            (_("Placements"), f["placed"], f["interviewed"]),
        ]
        return Table(
            name="funnel",
            title=_("Funnel"),
            caption=_(
                "Missions opened in the period that reached each step: a shortlist sent, "
                "at least one profile interviewed, a placement."
            ),
            columns=[
                Column(_("Step")),
                Column(_("Missions"), COUNT),
                Column(_("From the step before"), RATE),
                Column(_("Of missions opened"), RATE),
            ],
            rows=[
                [label, n, rate(n, before) if before is not None else None, rate(n, f["opened"])]
                for label, n, before in steps
            ],
        )

    @cached_property
    def funnel_chart(self):
        steps = [
            charts.Step(row[0], row[1], count_text(row[1]), rate_text(row[2]) if i else "")
            for i, row in enumerate(self.funnel_table.rows)
        ]
        return charts.funnel(steps, label=_("Funnel of the missions opened in the period"))

    @cached_property
    def outcomes_table(self):
        labels = _outcome_labels()
        rows = []
        for key, states in OUTCOMES:
            before = sum(self._outcomes.get(s, {}).get("before", 0) for s in states)
            after = sum(self._outcomes.get(s, {}).get("after", 0) for s in states)
            rows.append([labels[key], before, after, before + after])
        total = sum(row[3] for row in rows)
        for row in rows:
            row.append(rate(row[3], total))
        before, after = sum(r[1] for r in rows), sum(r[2] for r in rows)
        return Table(
            name="outcomes",
            title=_("Where sent profiles leave"),
            caption=_(
                "Profiles sent to the clients of the period's missions, by outcome, before or "
                "after an interview that took place."
            ),
            columns=[
                Column(_("Outcome")),
                Column(_("Before an interview"), COUNT),
                Column(_("After an interview"), COUNT),
                Column(_("Profiles"), COUNT),
                Column(_("Share"), RATE),
            ],
            rows=rows,
            footer=[_("Profiles sent"), before, after, total, rate(total, total)],
        )

    # --- speed

    @cached_property
    def speed_table(self):
        labels = {
            "shortlist": _("Mission opened → shortlist sent"),
            "answer": _("Profile sent → client's answer"),
            "placement": _("First interview → placement"),
        }
        return Table(
            name="speed",
            title=_("Speed"),
            caption=_("Days between two steps; half of the cases took less than the median."),
            columns=[
                Column(_("Between")),
                Column(_("Median"), DAYS),
                Column(_("Average"), DAYS),
                Column(_("Cases"), COUNT),
            ],
            rows=[
                [labels[key], values["median"], values["mean"], values["cases"]]
                for key, values in self._speed.items()
            ],
        )

    @cached_property
    def speed_by_month_table(self):
        rows = queries.waits_by_month(self.scope, self._by_month)
        return Table(
            name="speed_by_month",
            title=_("Time to shortlist by month"),
            caption=_("By month of opening: missions opened, shortlists sent, median days."),
            columns=[
                Column(_("Month"), MONTH),
                Column(_("Missions opened"), COUNT),
                Column(_("Shortlists sent"), COUNT),
                Column(_("Median wait"), DAYS),
            ],
            rows=[[date(*r["month"], 1), r["opened"], r["cases"], r["median"]] for r in rows],
        )

    @cached_property
    def speed_chart(self):
        table = self.speed_by_month_table
        return charts.trend(
            month_axis(self.scope.months()),
            [(_("Median days to shortlist"), [row[3] for row in table.rows])],
            label=_("Median days from opening to shortlist, by month of opening"),
        )

    # --- failure causes

    @cached_property
    def _cause_totals(self):
        keys = ("feedback", EndedBy.CLIENT, EndedBy.CANDIDATE)
        totals = {cause: dict.fromkeys(keys, 0) for cause in FailureCause.values}
        for row in self._interview_causes:
            totals.setdefault(row["cause"], dict.fromkeys(keys, 0))["feedback"] += row["n"]
        for row in self._end_reasons:
            totals.setdefault(row["end_reason"], dict.fromkeys(keys, 0))[row["ended_by"]] += row[
                "n"
            ]
        return totals

    @cached_property
    def causes_table(self):
        rows = []
        # Most mentioned first; ties keep the order of the causes' list (whatever the language).
        for cause, counts in sorted(
            self._cause_totals.items(), key=lambda item: (-_mentions(item[1]), -item[1]["feedback"])
        ):
            rows.append(
                [
                    cause_label(cause),
                    counts["feedback"],
                    counts[EndedBy.CLIENT],
                    counts[EndedBy.CANDIDATE],
                    _mentions(counts),
                ]
            )
        return Table(
            name="causes",
            title=_("Failure causes"),
            caption=_(
                "Causes noted in the feedback of interviews held in the period, and reasons "
                "given when a profile was declined, not retained or withdrawn in the period."
            ),
            columns=[
                Column(_("Cause")),
                Column(_("In interview feedback"), COUNT),
                Column(_("Ended by the client"), COUNT),
                Column(_("Ended by the candidate"), COUNT),
                Column(_("Mentions"), COUNT),
            ],
            rows=rows,
            footer=[_("All causes"), *[sum(row[i] for row in rows) for i in range(1, 5)]],
        )

    @cached_property
    def feedback_causes_chart(self):
        rows = sorted((row for row in self.causes_table.rows if row[1]), key=lambda row: -row[1])
        return (
            charts.bars(
                [charts.BarRow(row[0], [charts.Bar(row[1], count_text(row[1]))]) for row in rows],
                label=_("Failure causes noted after interviews"),
            )
            if rows
            else None
        )

    @cached_property
    def ended_by_chart(self):
        rows = sorted(
            (row for row in self.causes_table.rows if row[2] or row[3]),
            key=lambda row: -(row[2] + row[3]),
        )
        if not rows:
            return None
        return charts.bars(
            [
                charts.BarRow(
                    row[0],
                    [charts.Bar(row[2], ""), charts.Bar(row[3], "")],
                    text=count_text(row[2] + row[3]),
                )
                for row in rows
            ],
            series=[_("Ended by the client"), _("Ended by the candidate")],
            stacked=True,
            label=_("Reasons given when a profile left, by who ended it"),
        )

    @cached_property
    def _top_causes(self):
        mentions = {}
        for counts in self._causes_by_month.values():
            for cause, n in counts.items():
                mentions[cause] = mentions.get(cause, 0) + n
        order = {cause: i for i, cause in enumerate(FailureCause.values)}
        ranked = sorted(mentions, key=lambda c: (-mentions[c], order.get(c, len(order))))
        return [cause for cause in ranked if mentions[cause]][:TOP_CAUSES]

    @cached_property
    def causes_by_month_table(self):
        top = self._top_causes
        rows = []
        for (year, month), counts in self._causes_by_month.items():
            shown = [counts.get(cause, 0) for cause in top]
            total = sum(counts.values())
            rows.append([date(year, month, 1), *shown, total - sum(shown), total])
        columns = [
            Column(_("Month"), MONTH),
            *[Column(cause_label(cause), COUNT) for cause in top],
            Column(_("Other causes"), COUNT),
            Column(_("All causes"), COUNT),
        ]
        return Table(
            name="causes_by_month",
            title=_("Failure causes by month"),
            caption=_("Mentions of each cause by month: interview feedback and closing reasons."),
            columns=columns,
            rows=rows,
        )

    @cached_property
    def causes_chart(self):
        top = self._top_causes
        if not top:
            return None
        rows = self.causes_by_month_table.rows
        return charts.trend(
            month_axis(self.scope.months()),
            [(cause_label(cause), [row[i + 1] for row in rows]) for i, cause in enumerate(top)],
            label=_("Most frequent failure causes by month"),
            width=charts.WIDE,
            integer=True,
        )

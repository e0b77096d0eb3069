"""A client contact's report: the same kind of figures, for its own company only."""

from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from insights import charts, queries
from insights.queries import rate, ratio
from insights.reports.common import Stat, count_text, rate_text
from insights.tables import COUNT, DATE, DAYS, RATE, RATIO, Column, Table, display


class ClientReport:
    """A client contact's own figures: only its company's missions and the profiles sent."""

    TABLES = ("client_funnel", "client_missions")

    def __init__(self, user, scope):
        self.user = user
        self.scope = scope

    def table(self, name):
        return getattr(self, f"{name}_table") if name in self.TABLES else None

    @cached_property
    def _totals(self):
        return queries.client_totals(self.user, self.scope)

    @cached_property
    def key_figures(self):
        totals = self._totals
        return {
            "days_to_shortlist": queries.summarise(
                queries.client_shortlist_waits(self.user, self.scope)
            )["median"],
            "sent": totals["sent"],
            "interviewed": totals["interviewed"],
            "selected": totals["selected"],
            "interviews_per_placement": ratio(totals["interviews"], totals["selected"]),
        }

    @cached_property
    def stat_cards(self):
        k = self.key_figures
        return [
            Stat(display(k["days_to_shortlist"], DAYS), _("To a shortlist"), _("median")),
            Stat(display(k["sent"], COUNT), _("Profiles sent")),
            Stat(display(k["interviewed"], COUNT), _("Profiles interviewed")),
            Stat(display(k["selected"], COUNT), _("Profiles selected")),
            Stat(display(k["interviews_per_placement"], RATIO), _("Interviews per placement")),
        ]

    @cached_property
    def client_funnel_table(self):
        t = self._totals
        steps = [
            (_("Profiles sent"), t["sent"], None),
            (_("Profiles interviewed"), t["interviewed"], t["sent"]),
            (_("Profiles selected"), t["selected"], t["interviewed"]),
        ]
        return Table(
            name="client_funnel",
            title=_("From profiles sent to selection"),
            caption=_("Profiles sent to you on the missions opened in the period."),
            columns=[
                Column(_("Step")),
                Column(_("Profiles"), COUNT),
                Column(_("From the step before"), RATE),
            ],
            rows=[[label, n, rate(n, b) if b is not None else None] for label, n, b in steps],
        )

    @cached_property
    def client_funnel_chart(self):
        steps = [
            charts.Step(row[0], row[1], count_text(row[1]), rate_text(row[2]) if i else "")
            for i, row in enumerate(self.client_funnel_table.rows)
        ]
        return charts.funnel(steps, label=_("From profiles sent to selection"))

    def missions(self):
        return queries.client_missions(self.user, self.scope)

    @cached_property
    def client_missions_table(self):
        """Every mission of the period (bounded), for the CSV export."""
        return self.missions_table(self.missions()[: queries.EXPORT_ROWS])

    def missions_table(self, missions):
        """A table of the given missions (a page of them on the page)."""
        missions = list(missions)
        return Table(
            name="client_missions",
            title=_("Your missions"),
            caption=_("Missions opened in the period, newest first."),
            columns=[
                Column(_("Mission")),
                Column(_("Opened on"), DATE),
                Column(_("Days to shortlist"), DAYS),
                Column(_("Profiles sent"), COUNT),
                Column(_("Interviewed"), COUNT),
                Column(_("Selected"), COUNT),
            ],
            rows=[
                [
                    f"{m.title} ({m.reference})",
                    timezone.localdate(m.opened_at),
                    queries.days(m.wait),
                    m.sent,
                    m.interviewed,
                    m.selected,
                ]
                for m in missions
            ],
            links=[reverse("portal:mission", args=[m.pk]) for m in missions],
        )

"""The agency's report: every table, chart and key figure of the recruiters' insights page."""

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from insights.queries import rate, ratio
from insights.reports.common import Stat
from insights.reports.market import MarketSection
from insights.reports.pipeline import PipelineSection
from insights.reports.revenue import RevenueSection
from insights.tables import COUNT, DAYS, RATE, RATIO, display
from missions.models import FailureCause


class RecruiterReport(PipelineSection, MarketSection, RevenueSection):
    """Everything the recruiter's insights page shows, for one scope."""

    TABLES = (
        "funnel",
        "outcomes",
        "speed",
        "speed_by_month",
        "causes",
        "causes_by_month",
        "channels",
        "portage",
        "price_seniority",
        "price_skills",
        "lost_on_price",
        "seniority",
        "revenue",
    )

    def __init__(self, scope, basis="sent"):
        self.scope = scope
        self.basis = basis

    def table(self, name):
        return getattr(self, f"{name}_table") if name in self.TABLES else None

    # --- key figures

    @cached_property
    def key_figures(self):
        funnel, seniority = self._funnel, self._seniority
        interviews = sum(row["interviews"] for row in seniority.values())
        placed = sum(row["placed"] for row in seniority.values())
        top = max(self._cause_totals.items(), key=lambda item: item[1]["feedback"], default=None)
        return {
            "opened": funnel["opened"],
            "placed": funnel["placed"],
            "fill_rate": rate(funnel["placed"], funnel["opened"]),
            "days_to_shortlist": self._speed["shortlist"]["median"],
            "days_to_answer": self._speed["answer"]["median"],
            "interviews_per_placement": ratio(interviews, placed),
            "top_cause": FailureCause(top[0]).label if top and top[1]["feedback"] else None,
            "top_cause_count": top[1]["feedback"] if top else 0,
        }

    @cached_property
    def stat_cards(self):
        k = self.key_figures
        return [
            Stat(display(k["opened"], COUNT), _("Missions opened")),
            Stat(
                display(k["fill_rate"], RATE),
                _("Filled"),
                ngettext("%(n)s placement", "%(n)s placements", k["placed"])
                % {"n": display(k["placed"], COUNT)},
            ),
            Stat(display(k["days_to_shortlist"], DAYS), _("To a shortlist"), _("median")),
            Stat(display(k["days_to_answer"], DAYS), _("To the client's answer"), _("median")),
            Stat(display(k["interviews_per_placement"], RATIO), _("Interviews per placement")),
            Stat(
                k["top_cause"] or "—",
                _("Top cause after interviews"),
                ngettext(
                    "noted in %(n)s interview", "noted in %(n)s interviews", k["top_cause_count"]
                )
                % {"n": k["top_cause_count"]}
                if k["top_cause"]
                else "",
                wide=True,
            ),
        ]

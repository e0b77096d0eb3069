"""The matching page: the pool ranked against a mission's demand, each score explained."""

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates import matching as ranking
from candidates import money
from candidates.client_history import PENALTY, lessons
from candidates.forms import MatchingFilterForm, show_pools
from candidates.models import Candidate, TalentPool
from missions.client_history import client_history
from missions.models import (
    MISSION_FINAL_STATES,
    SHORTLIST_CAP,
    FailureCause,
    Mission,
    MissionState,
)
from missions.placements import placements_among, selected_entries
from staffing.decorators import recruiter_required
from staffing.pagination import CappedPaginator
from staffing.union import read_together

# Ten rows, as the mockup shows: the recruiter reads the best few, then pages on.
PAGE_SIZE = 10

WEIGHT_LABELS = {
    "required": gettext_lazy("required skills"),
    "nice": gettext_lazy("nice to have"),
    "seniority": gettext_lazy("seniority"),
    "rate": gettext_lazy("rate vs budget"),
    "availability": gettext_lazy("availability"),
}


@dataclass
class RankedRow:
    candidate: Candidate
    score: int
    chips: list
    margin: int | None
    margin_rate: Decimal | None
    entry: object = None
    placement: object = None

    @property
    def margin_tone(self):
        if self.margin is None:
            return ""
        if self.margin < 0:
            return "neg"
        return "warn" if money.below_target(self.margin_rate) else "pos"

    @property
    def tone(self):
        return "high" if self.score >= 80 else "mid" if self.score >= 60 else ""


def demand_of(mission, needs, today, history=None):
    """The mission's demand as the plain data `candidates.matching` ranks against."""
    return ranking.Demand(
        skills=[(need.skill_id, need.required, need.min_years) for need in needs],
        seniority=mission.seniority,
        budget=mission.budget,
        start_date=mission.start_date,
        today=today,
        history=history,
    )


def _rows(candidates, demand, mission, skill_names, today):
    # The mission's shortlist and the page's profiles' selections: one query for both.
    both = read_together(
        shortlist=mission.shortlist.select_related("mission", "mission__client", "placement"),
        selected=selected_entries([candidate.pk for candidate in candidates]),
    )
    entries = {entry.candidate_id: entry for entry in both["shortlist"]}
    placed = placements_among(
        both["selected"], today=today, during=mission.period, excluding_mission=mission
    )
    rows = []
    for candidate in candidates:
        chips = ranking.explain(candidate, demand, skill_names)
        placement = placed.get(candidate.pk)
        if placement:
            text = _("Placed on %(ref)s") % {"ref": placement.mission.reference}
            chips.insert(0, ranking.Chip("ko", text))
        amount, rate = ranking.margin(candidate, demand)
        rows.append(
            RankedRow(
                candidate=candidate,
                score=round(candidate.score),
                chips=chips,
                margin=amount,
                margin_rate=rate,
                entry=entries.get(candidate.pk),
                placement=placement,
            )
        )
    return rows, entries


def _weights_legend(demand):
    weights = demand.weights()
    total = sum(weights.values())
    return [(WEIGHT_LABELS[name], round(100 * weight / total)) for name, weight in weights.items()]


@recruiter_required
def matching(request, pk):
    mission = get_object_or_404(
        Mission.objects.visible_to(request.user).select_related("client"), pk=pk
    )
    needs = list(mission.skills.select_related("skill"))
    today = timezone.localdate()
    demand = demand_of(mission, needs, today, history=client_history(mission.client))
    form = MatchingFilterForm(request.GET)
    form.is_valid()  # An invalid filter shows its error and is left out.
    pool = form.filter(Candidate.objects.all())
    page_obj = CappedPaginator(ranking.ranked_pool(demand, pool), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    skill_names = {need.skill_id: need.skill.name for need in needs}
    # The pools of the filter and of the "add to pool" form: read once.
    pools = list(TalentPool.objects.only("pk", "name"))
    show_pools(form.fields["pool"], pools)
    rows, entries = _rows(list(page_obj.object_list), demand, mission, skill_names, today)
    active_count = sum(entry.is_active for entry in entries.values())
    return render(
        request,
        "missions/matching.html",
        {
            "mission": mission,
            "needs": needs,
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "active_count": active_count,
            "cap": SHORTLIST_CAP,
            "shortlist_full": active_count >= SHORTLIST_CAP,
            "shortlist_closed": mission.state in MISSION_FINAL_STATES
            or mission.state == MissionState.ON_HOLD,
            "weights": _weights_legend(demand),
            "pools": pools,
            "lessons": lessons(
                demand.history,
                dict(FailureCause.choices),
                has_seniority=bool(demand.seniority),
                has_start=bool(demand.start_date),
            ),
            "history_penalty": PENALTY,
            "today": today,
        },
    )

"""Ranking the pool against a demand, with each score explained in plain words.

The score is computed by the database (a join to the profiles' rows of the demanded skills
narrows the pool and sums the skill points, CASE expressions add the rest; ordered by score
and cut to a page), so ranking 100,000 profiles never loads them in Python.
The explanation of the rows of one page is computed here, from the few skill rows of those
profiles, with the same rules as the SQL. This module takes plain data (skill ids, a
seniority, a budget, a date), so `candidates` does not depend on `missions`.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Greatest, Round
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates import money
from candidates.client_history import AVAILABILITY, PENALTY, TECHNICAL, ClientHistory
from candidates.models import SENIORITY_RANK, Candidate, CandidateSkill, Seniority
from candidates.money import TARGET_MARGIN
from staffing import topk

# Points out of 100 when every part applies; a part the demand leaves open (no nice-to-have
# skill, no budget, no start date) is left out and the others are scaled up to 100.
WEIGHTS = {"required": 50, "nice": 15, "seniority": 15, "rate": 10, "availability": 10}
# A rate up to 10 % over budget can still be negotiated: a few points rather than none.
NEGOTIABLE_OVERRUN = Decimal("0.10")
# Present but short of the minimum years still counts for something.
PRESENT_SKILL_FLOOR = 0.25
# The missions for which years in training, school, personal or open-source projects count.
PROJECTS_COUNT_FOR = frozenset({Seniority.JUNIOR, Seniority.CONFIRMED})
# Scores are compared to this many decimals (far below what any part of a score can add).
SCORE_DECIMALS = 6


@dataclass(frozen=True)
class SkillNeed:
    skill_id: int
    required: bool
    min_years: Decimal


@dataclass(frozen=True)
class Demand:
    """What a mission asks for, as plain data: skills as (skill_id, required, min_years)."""

    skills: tuple = ()
    seniority: str | None = None
    budget: int | None = None
    start_date: date | None = None
    today: date = field(default_factory=date.today)
    # The client's past answers (`candidates.client_history`): None when it has none.
    history: ClientHistory | None = None

    def __post_init__(self):
        needs = tuple(
            need if isinstance(need, SkillNeed) else SkillNeed(need[0], need[1], Decimal(need[2]))
            for need in self.skills
        )
        object.__setattr__(self, "skills", needs)

    @property
    def skill_ids(self):
        return [need.skill_id for need in self.skills]

    @property
    def required(self):
        return [need for need in self.skills if need.required]

    @property
    def nice_to_have(self):
        return [need for need in self.skills if not need.required]

    @property
    def counts_projects(self):
        """Juniors and confirmed profiles are judged on what they have done, projects
        included (SPEC §2): their years in projects count for such missions only."""
        return self.seniority in PROJECTS_COUNT_FOR

    def years_of(self, candidate_skill):
        """The years of a profile's skill this demand counts."""
        years = candidate_skill.years
        if self.counts_projects:
            years += candidate_skill.project_years
        return years

    @property
    def effective_start(self):
        """A start date already past means "as soon as possible"."""
        if self.start_date is None:
            return None
        return max(self.start_date, self.today)

    def weights(self):
        """The weight of each part that applies to this demand, in the order of WEIGHTS."""
        applies = {
            "required": bool(self.required),
            "nice": bool(self.nice_to_have),
            "seniority": True,
            "rate": bool(self.budget),
            "availability": bool(self.start_date),
        }
        return {name: weight for name, weight in WEIGHTS.items() if applies[name]}

    def rate_thresholds(self):
        """(comfortable margin up to, budget, negotiable up to), in whole euros."""
        budget = Decimal(self.budget)
        return (
            math.floor(budget * (1 - TARGET_MARGIN)),
            self.budget,
            math.floor(budget * (1 + NEGOTIABLE_OVERRUN)),
        )


# ---------- The fit of each part, between 0 and 1 (Python side, mirrored in SQL) ----------


def skill_fit(years, min_years):
    if years is None:
        return 0.0
    if min_years <= 0 or years >= min_years:
        return 1.0
    return PRESENT_SKILL_FLOOR + (1 - PRESENT_SKILL_FLOOR) * float(years) / float(min_years)


def seniority_fit(seniority, wanted):
    """Exact 1; one level above 0.7 (productive, maybe pricier); one below 0.4; else less."""
    if not wanted:
        return 1.0
    gap = SENIORITY_RANK[seniority] - SENIORITY_RANK[wanted]
    return {0: 1.0, 1: 0.7, -1: 0.4}.get(gap, 0.4 if gap > 0 else 0.0)


def rate_fit(day_rate, demand):
    comfortable, budget, negotiable = demand.rate_thresholds()
    if day_rate <= comfortable:
        return 1.0
    if day_rate <= budget:
        return 0.6
    if day_rate <= negotiable:
        return 0.2
    return 0.0


AVAILABILITY_STEPS = ((timedelta(0), 1.0), (timedelta(days=14), 0.6), (timedelta(days=28), 0.3))
UNKNOWN_AVAILABILITY_FIT = 0.5


def availability_fit(available_from, demand):
    if available_from is None:
        return UNKNOWN_AVAILABILITY_FIT
    start = demand.effective_start
    for delay, fit in AVAILABILITY_STEPS:
        if available_from <= start + delay:
            return fit
    return 0.0


# ---------- The same rules as SQL expressions ----------


def _float(value):
    return Value(float(value), output_field=FloatField())


def _skill_points(demand, points):
    """Sum over a profile's joined skill rows of each demanded skill's points.

    `points` gives the points of a fully met need by part ("required", "nice"); a row of
    another skill adds nothing.
    """
    whens = []
    years = F("skills__years")
    if demand.counts_projects:
        years = years + F("skills__project_years")
    for need in demand.skills:
        full = points["required" if need.required else "nice"]
        if need.min_years <= 0:
            whens.append(When(skills__skill_id=need.skill_id, then=_float(full)))
            continue
        enough = Q(skills__skill_id=need.skill_id) & Q(
            GreaterThanOrEqual(years, Value(need.min_years))
        )
        whens.append(When(enough, then=_float(full)))
        share = Cast(years, FloatField()) / _float(need.min_years)
        partial = (
            _float(full * PRESENT_SKILL_FLOOR) + _float(full * (1 - PRESENT_SKILL_FLOOR)) * share
        )
        whens.append(When(skills__skill_id=need.skill_id, then=partial))
    return Sum(Case(*whens, default=_float(0), output_field=FloatField()))


def _seniority_case(wanted):
    whens = [
        When(seniority=value, then=_float(seniority_fit(value, wanted)))
        for value in Seniority.values
    ]
    return Case(*whens, default=_float(0), output_field=FloatField())


def _rate_case(demand):
    comfortable, budget, negotiable = demand.rate_thresholds()
    return Case(
        When(day_rate__lte=comfortable, then=_float(1)),
        When(day_rate__lte=budget, then=_float(0.6)),
        When(day_rate__lte=negotiable, then=_float(0.2)),
        default=_float(0),
        output_field=FloatField(),
    )


def _availability_case(demand):
    start = demand.effective_start
    whens = [When(available_from__isnull=True, then=_float(UNKNOWN_AVAILABILITY_FIT))]
    whens += [
        When(available_from__lte=start + delay, then=_float(fit))
        for delay, fit in AVAILABILITY_STEPS
    ]
    return Case(*whens, default=_float(0), output_field=FloatField())


# ---------- The client's history: points lost for repeating a past failure ----------


def _seniorities_below(wanted):
    return [value for value in Seniority.values if SENIORITY_RANK[value] < SENIORITY_RANK[wanted]]


def history_rules(demand):
    """(rule, Q of the profiles it penalises) for each lesson of the client's history that
    applies to this demand. `rule` names the chip that explains it."""
    history, rules = demand.history, []
    if history is None:
        return rules
    if history.rate_floor:
        rules.append(("rate", Q(day_rate__gte=history.rate_floor)))
    if history.is_pattern(TECHNICAL) and demand.seniority:
        rules.append(("technical", Q(seniority__in=_seniorities_below(demand.seniority))))
    if history.is_pattern(AVAILABILITY) and demand.start_date:
        late = Q(available_from__isnull=True) | Q(available_from__gt=demand.effective_start)
        rules.append(("availability", late))
    return rules


def _history_penalties(demand):
    total = None
    for _rule, penalised in history_rules(demand):
        term = Case(When(penalised, then=_float(PENALTY)), default=_float(0))
        total = term if total is None else total + term
    return total


def _history_chips(candidate, demand):
    """A chip for each past failure of this client the profile repeats (mirrors the SQL)."""
    history, chips = demand.history, []
    for rule, _penalised in history_rules(demand):
        if rule == "rate" and candidate.day_rate >= history.rate_floor:
            chips.append(Chip("ko", f"{history.rate_text()} (−{PENALTY})"))
        elif rule == "technical" and candidate.seniority in _seniorities_below(demand.seniority):
            text = _("%(n)s of %(total)s profiles turned down for their technical level") % {
                "n": history.count(TECHNICAL),
                "total": history.turned_down,
            }
            chips.append(Chip("ko", f"{text} (−{PENALTY})"))
        elif rule == "availability" and (
            candidate.available_from is None or candidate.available_from > demand.effective_start
        ):
            text = _("%(n)s of %(total)s profiles turned down for their availability") % {
                "n": history.count(AVAILABILITY),
                "total": history.turned_down,
            }
            chips.append(Chip("ko", f"{text} (−{PENALTY})"))
    return chips


class RankedPool:
    """The pool ranked against a demand, sliced like a queryset (a Paginator takes it).

    A slice runs two queries: the ranking, which reads only the ids and the few columns
    the score needs (so the GROUP BY and the sort stay narrow and PostgreSQL's cost
    estimate stays low enough not to JIT-compile it), then the profiles of that slice with
    their skill rows. `count()` only counts the narrowed pool, without scoring it.

    The ranking is first computed among the profiles that meet the whole demand but maybe
    its years and nice-to-haves, then among those with every required skill: a small part
    of a large pool. It is kept when its last row scores more than any profile left out
    could, which proves the whole pool would give the same rows. Otherwise (few such
    profiles, or a deep page) the whole pool is ranked.
    """

    def __init__(self, demand, pool=None):
        self.demand = demand
        pool = pool if pool is not None else Candidate.objects.all()
        self.pool = pool.filter(archived_at__isnull=True)

    def narrowed(self):
        """Active profiles with at least one demanded skill (all when it names none)."""
        if not self.demand.skills:
            return self.pool
        has_a_demanded_skill = CandidateSkill.objects.filter(
            candidate=OuterRef("pk"), skill_id__in=self.demand.skill_ids
        )
        return self.pool.filter(Exists(has_a_demanded_skill))

    def count(self):
        return self.narrowed().count()

    def count_up_to(self, limit):
        """The size of the narrowed pool, counted no further than `limit` (pagination)."""
        return self.narrowed().order_by()[:limit].count()

    def __len__(self):
        return self.count()

    def points(self):
        """Points out of 100 of each part of the score; a skill need gets its part's share."""
        weights = self.demand.weights()
        total = sum(weights.values())
        points = {name: 100 * weight / total for name, weight in weights.items()}
        if self.demand.required:
            points["required"] /= len(self.demand.required)
        if self.demand.nice_to_have:
            points["nice"] /= len(self.demand.nice_to_have)
        return points

    def scores(self, pool=None):
        """(pk, score) rows of `pool` (default: the whole pool), best first; `score` out of
        100, as a float."""
        demand = self.demand
        weights = demand.weights()
        points = self.points()
        ranking = self.pool if pool is None else pool
        score = _float(points["seniority"]) * _seniority_case(demand.seniority)
        if demand.skills:
            # The join narrows the pool to profiles with a demanded skill, and the sum
            # aggregates over exactly those joined rows (filter() before annotate()).
            ranking = ranking.filter(skills__skill_id__in=demand.skill_ids)
            score += _skill_points(demand, points)
        if "rate" in weights:
            score += _float(points["rate"]) * _rate_case(demand)
        if "availability" in weights:
            score += _float(points["availability"]) * _availability_case(demand)
        penalties = _history_penalties(demand)
        if penalties:
            score = Greatest(score - penalties, _float(0))
        # Rounded: the same score summed in another order (another plan, another narrow
        # pool) may differ in its last bits, and equal scores must tie exactly so that the
        # rate, then the id, decide.
        score = Cast(Round(score, SCORE_DECIMALS), FloatField())
        return (
            ranking.values("pk")
            .annotate(score=score)
            .order_by("-score", "day_rate", "pk")
            .values_list("pk", "score")
        )

    def with_every_required_skill(self):
        pool = self.pool
        for need in self.demand.required:
            has_it = CandidateSkill.objects.filter(candidate=OuterRef("pk"), skill=need.skill_id)
            pool = pool.filter(Exists(has_it))
        return pool

    def with_full_marks_but_years(self):
        """The profiles that get every point but maybe those of years and of nice-to-have
        skills (every required skill, the wanted seniority, a comfortable rate, available
        by the start), and the least a profile left out loses; (None, 0) when that leaves
        nobody out."""
        demand, points = self.demand, self.points()
        pool = self.with_every_required_skill()
        losses = [points["required"]] if demand.required else []
        if demand.seniority:
            pool = pool.filter(seniority=demand.seniority)
            next_best = max(
                seniority_fit(v, demand.seniority)
                for v in Seniority.values
                if v != demand.seniority
            )
            losses.append(points["seniority"] * (1 - next_best))
        if "rate" in points:
            pool = pool.filter(day_rate__lte=demand.rate_thresholds()[0])
            losses.append(points["rate"] * (1 - rate_fit(demand.rate_thresholds()[1], demand)))
        if "availability" in points:
            pool = pool.filter(available_from__lte=demand.effective_start)
            later = max(UNKNOWN_AVAILABILITY_FIT, AVAILABILITY_STEPS[1][1])
            losses.append(points["availability"] * (1 - later))
        if not losses:
            return None, 0
        return pool, min(losses)

    def narrow_pools(self):
        """(pool, best score outside it) pairs, narrowest first: a profile outside the
        pool cannot score more. Missing a required skill loses its points; being away
        from the demand's seniority, budget or start loses at least a known share.
        (Each pool costs the page a few milliseconds of SQL building: two are enough, the
        first for large pools, the second for small ones.)"""
        pools = []
        full_marks, loss = self.with_full_marks_but_years()
        if full_marks is not None:
            pools.append((full_marks, 100 - loss))
        if self.demand.required:
            pools.append((self.with_every_required_skill(), 100 - self.points()["required"]))
        return pools

    def ranked_slice(self, start, stop):
        """(pk, score) rows `start` to `stop` of the ranking of the whole pool."""
        rows = topk.fetch_rows(self._top(stop))
        return [(pk, score) for pk, score, _rate in rows][start:stop]

    def _top(self, stop):
        """The statement of the first `stop` (pk, score, day_rate) rows of the whole
        ranking, in one query: those of the narrowest pool whose last row scores more than
        any profile outside it could, else those of the whole pool (see `staffing.topk`)."""
        columns = ("pk", "score", "day_rate")
        narrows = [
            topk.Narrow(
                self.scores(pool).values_list(*columns)[:stop],
                "COUNT(*) = %s AND MIN(score) > %s",
                # A tie with a profile left out could change the order: a strict margin.
                (stop, best_outside + 1e-6),
            )
            for pool, best_outside in self.narrow_pools()
        ]
        everyone = self.scores().values_list(*columns)[:stop]
        return topk.first_rows(narrows, everyone, order_by="2 DESC, 3, 1")

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if index.step is not None or index.stop is None:
            raise TypeError("RankedPool takes slices with an end and no step.")
        start = index.start or 0
        statement = self._top(index.stop)
        if statement is None or index.stop <= start:
            return []
        # The ranked rows joined to their profiles in the same statement: the ranking stays
        # narrow (three columns through its aggregates), the page's rows come whole.
        sql, params = statement
        table = connection.ops.quote_name(Candidate._meta.db_table)
        ranked = Candidate.objects.raw(
            f"SELECT {table}.*, ranked.score FROM ({sql}) ranked "  # noqa: S608
            f"INNER JOIN {table} ON {table}.id = ranked.pk "
            "ORDER BY ranked.score DESC, ranked.day_rate, ranked.pk LIMIT %s OFFSET %s",
            (*params, index.stop - start, start),
        )
        return list(ranked.prefetch_related(Prefetch("skills", to_attr="matched_skills")))


def ranked_pool(demand, pool=None):
    """Active profiles (from `pool`, a Candidate queryset) ranked best first; slice it."""
    return RankedPool(demand, pool)


# ---------- Explanations: ok / warn / ko chips in plain words ----------


@dataclass(frozen=True)
class Chip:
    tone: str  # "ok", "warn", "ko" or "" (neutral)
    text: str


def years_text(years):
    """ "3 yrs", "1 yr", "2.5 yrs" (in the user's number format)."""
    years = Decimal(years or 0)
    whole = years == years.to_integral_value()
    shown = number_format(years, decimal_pos=0 if whole else 1)
    return ngettext("%(years)s yr", "%(years)s yrs", int(years) if whole else 2) % {"years": shown}


def _skill_chips(candidate, demand, skill_names):
    have = {cs.skill_id: cs for cs in getattr(candidate, "matched_skills", ())}
    chips = []
    for need in demand.skills:
        name = skill_names.get(need.skill_id, "?")
        candidate_skill = have.get(need.skill_id)
        years = None if candidate_skill is None else demand.years_of(candidate_skill)
        wanted = {"skill": name, "years": years_text(years or 0), "min": years_text(need.min_years)}
        if years is None:
            if need.required:
                chips.append(Chip("ko", _("%(skill)s missing") % wanted))
            else:
                chips.append(Chip("", _("%(skill)s missing (nice to have)") % wanted))
            continue
        if need.min_years <= 0 or years >= need.min_years:
            text = _("%(skill)s %(years)s ✓") if years else _("%(skill)s ✓")
            chip = Chip("ok", text % wanted)
        else:
            tone = "warn" if years * 2 >= need.min_years else "ko"
            chip = Chip(tone, _("%(skill)s %(years)s < %(min)s") % wanted)
        chips.append(_with_projects_share(chip, candidate_skill, demand))
    return chips


def _with_projects_share(chip, candidate_skill, demand):
    """The chip says how much of the years come from projects, when the demand counts them."""
    if not (demand.counts_projects and candidate_skill.project_years):
        return chip
    share = _("%(years)s in projects") % {"years": years_text(candidate_skill.project_years)}
    return Chip(chip.tone, f"{chip.text} · {share}")


def _seniority_chip(candidate, demand):
    if not demand.seniority:
        return None
    fit = seniority_fit(candidate.seniority, demand.seniority)
    label = Seniority(candidate.seniority).label
    if fit == 1:
        return Chip("ok", _("%(level)s ✓") % {"level": label})
    text = _("%(level)s, %(wanted)s wanted") % {
        "level": label,
        "wanted": Seniority(demand.seniority).label.lower(),
    }
    return Chip("warn" if fit >= 0.4 else "ko", text)


def _rate_chip(candidate, demand):
    if not demand.budget:
        return None
    values = {"rate": candidate.day_rate, "budget": demand.budget}
    fit = rate_fit(candidate.day_rate, demand)
    if fit == 1:
        return Chip("ok", _("Within budget ✓"))
    if fit > 0.5:
        _amount, rate = margin(candidate, demand)
        return Chip("warn", _("Low margin: %(margin)s %%") % {"margin": number_format(rate, 1)})
    return Chip("ko", _("Rate %(rate)s € > budget %(budget)s €") % values)


def weeks_between(earlier, later):
    return max(1, round((later - earlier).days / 7))


def _availability_chips(candidate, demand):
    chips = []
    if demand.start_date:
        start = demand.effective_start
        available = candidate.available_from
        if available is None:
            chips.append(Chip("warn", _("Availability unknown")))
        elif available <= start:
            chips.append(Chip("ok", _("Available by the start ✓")))
        else:
            weeks = weeks_between(start, available)
            text = ngettext(
                "Available %(n)s wk after the start",
                "Available %(n)s wks after the start",
                weeks,
            ) % {"n": weeks}
            chips.append(Chip("warn" if availability_fit(available, demand) > 0 else "ko", text))
    if candidate.available_from and candidate.availability_is_stale(today=demand.today):
        confirmed = candidate.availability_confirmed_on
        if confirmed is None:
            chips.append(Chip("warn", _("Availability never confirmed")))
        else:
            weeks = weeks_between(confirmed, demand.today)
            chips.append(
                Chip(
                    "warn",
                    ngettext(
                        "Availability not confirmed for %(n)s wk",
                        "Availability not confirmed for %(n)s wks",
                        weeks,
                    )
                    % {"n": weeks},
                )
            )
    return chips


def explain(candidate, demand, skill_names):
    """The chips that say why `candidate` got its score, in the order of the score's parts."""
    chips = _skill_chips(candidate, demand, skill_names)
    chips += [chip for chip in (_seniority_chip(candidate, demand),) if chip]
    chips += [chip for chip in (_rate_chip(candidate, demand),) if chip]
    chips += _availability_chips(candidate, demand)
    chips += _history_chips(candidate, demand)
    return chips


def margin(candidate, demand):
    """(budget − rate in euros, as a percentage of the budget), or (None, None) without budget:
    the margin if the budget were the price sold."""
    if not demand.budget:
        return None, None
    sold, cost = demand.budget, candidate.day_rate
    return money.margin(sold, cost), money.margin_rate(sold, cost)

"""The aggregates behind the insights pages, each one query counted by the database.

Two scopes, on purpose:
- conversion figures (funnel, speed, channels, price, seniority) follow the missions *opened*
  in the period, and everything that happened to them since, so each rate compares a group
  with what became of that same group;
- failure causes are dated by when they were recorded (the interview, the closing of the
  profile), so the trend by month shows when the agency lost, not when the mission opened.
The recruiter and client filters apply to both through the mission.

The recruiters' page reads most figures from monthly rollups (`interviews.rollups`, where
their design is told), computed live for the partial months of a period; the sourcing tables
(distinct profiles over the period) and the client's page query the tables.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean, median

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from candidates.models import Candidate
from interviews import rollups
from interviews.models import InterviewState
from missions.models import (
    EntryState,
    Event,
    Mission,
    MissionState,
    ShortlistEntry,
)

TOP_ROWS = 15  # bounded tables: portage companies, skills
EXPORT_ROWS = 5000  # a client's missions in a CSV export: more than five years' worth
DONE = InterviewState.DONE


@dataclass(frozen=True)
class Scope:
    """What the figures cover: a period of dates, and optionally a recruiter and a client."""

    first_day: date
    last_day: date
    recruiter: object = None
    client: object = None

    @property
    def start(self):
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self):
        """Exclusive: midnight after the last day."""
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    def owner_q(self, prefix=""):
        """The recruiter and client filters, on the mission found at `prefix`."""
        q = Q()
        if self.recruiter is not None:
            q &= Q(**{f"{prefix}owner": self.recruiter})
        if self.client is not None:
            q &= Q(**{f"{prefix}client": self.client})
        return q

    def opened_q(self, prefix=""):
        """Missions opened in the period (a draft never opened is in no period)."""
        return self.owner_q(prefix) & Q(
            **{f"{prefix}opened_at__gte": self.start, f"{prefix}opened_at__lt": self.end}
        )

    def missions(self):
        return Mission.objects.filter(self.opened_q())

    def entries(self):
        return ShortlistEntry.objects.filter(self.opened_q("mission__"))

    def months(self):
        """(year, month) of every month the period touches, in order."""
        year, month = self.first_day.year, self.first_day.month
        months = []
        while (year, month) <= (self.last_day.year, self.last_day.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def rate(part, whole):
    """part / whole in percent, one decimal; None (shown "—") when there is nothing to divide."""
    if not whole or part is None:
        return None
    return round(100 * part / whole, 1)


def ratio(part, whole):
    if not whole or part is None:
        return None
    return round(part / whole, 1)


def _days(duration):
    return duration.total_seconds() / 86400


def days(duration):
    """A duration in days, one decimal; None for none."""
    return None if duration is None else round(_days(duration), 1)


def summarise(durations):
    """Median, mean (days, one decimal) and number of cases of a list of timedeltas.

    Medians are computed here, not by the database: SQLite has no median aggregate and
    PostgreSQL's percentile_cont has no portable ORM form. The list is one duration per
    mission or profile of the filtered set, fetched as a flat values_list, so it stays small.
    """
    days = [_days(d) for d in durations if d is not None]
    if not days:
        return {"median": None, "mean": None, "cases": 0}
    return {"median": round(median(days), 1), "mean": round(mean(days), 1), "cases": len(days)}


# --- the figures of the recruiters' page, from the rollups (see `interviews.rollups`)


def period_figures(scope):
    """(totals, by_month, exact_profiles) of the scope: Counters of (figure, key) → n, over
    the period and by month; one query on the rollups for the period's whole months, the rest
    live (see `rollups.figures`)."""
    return rollups.figures(
        first_day=scope.first_day,
        last_day=scope.last_day,
        owner=scope.recruiter,
        client=scope.client,
    )


def _keyed(totals, metric):
    """{key: n} of one figure."""
    return {key: n for (name, key), n in totals.items() if name == metric}


def mission_funnel(totals):
    """How many of the period's missions reached each step: opened, shortlist sent, a profile
    interviewed (an interview that took place), a placement."""
    return {step: totals[(step, "")] for step in ("opened", "shortlisted", "interviewed", "placed")}


def profile_outcomes(totals):
    """Profiles sent, by where they ended, before or after an interview that took place.

    Returns {state: {"before": n, "after": n}}.
    """
    outcomes = {}
    for key, n in _keyed(totals, "outcome").items():
        state, when = key.rsplit(".", 1)
        outcomes.setdefault(state, {"before": 0, "after": 0})[when] += n
    return outcomes


# --- speed


def wait_summary(counts, total_us):
    """Median, mean (days, one decimal) and cases of a histogram of waits: {tenths of a day:
    cases}, and the exact sum of the waits in microseconds."""
    cases = sum(counts.values())
    if not cases:
        return {"median": None, "mean": None, "cases": 0}
    middle = ((cases - 1) // 2, cases // 2)
    found, seen = [], 0
    for tenths in sorted(counts):
        seen += counts[tenths]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(tenths)
    return {
        "median": round(sum(found) / 20, 1),
        "mean": round(total_us / cases / rollups.US_PER_DAY, 1),
        "cases": cases,
    }


def speed(totals, name):
    """The wait `name` ("shortlist", "answer", "placement") summed up: median, mean, cases."""
    counts = {int(key): n for key, n in _keyed(totals, f"wait.{name}").items()}
    return wait_summary(counts, totals[(f"wait.{name}.sum", "")])


def waits_by_month(scope, by_month):
    """Per month of opening: missions opened, shortlists sent, median days to the shortlist."""
    rows = []
    for year, month in scope.months():
        figures = by_month.get(date(year, month, 1), Counter())
        counts = {int(k): n for (name, k), n in figures.items() if name == "wait.shortlist"}
        rows.append(
            {
                "month": (year, month),
                "opened": figures[("opened", "")],
                **wait_summary(counts, 0),
            }
        )
    return rows


# --- failure causes


def interview_causes(by_month):
    """Failure causes noted in the feedback of interviews held in the period, by month."""
    return [
        {"month": month, "cause": key, "n": n}
        for month, figures in by_month.items()
        for (name, key), n in figures.items()
        if name == "cause.feedback" and n
    ]


def end_reasons(by_month):
    """Profiles closed in the period with a reason, by month, reason and who ended them."""
    return [
        {"month": month, "end_reason": key, "ended_by": name.removeprefix("cause."), "n": n}
        for month, figures in by_month.items()
        for (name, key), n in figures.items()
        if name in ("cause.client", "cause.candidate") and n
    ]


def causes_by_month(scope, interview_rows, end_rows):
    """{(year, month): {cause: mentions}}: feedback causes and closing reasons together."""
    months = {month: {} for month in scope.months()}
    for month, cause, n in [(r["month"], r["cause"], r["n"]) for r in interview_rows] + [
        (r["month"], r["end_reason"], r["n"]) for r in end_rows
    ]:
        bucket = months.get((month.year, month.month))
        if bucket is not None:
            bucket[cause] = bucket.get(cause, 0) + n
    return months


# --- sourcing


def _progress(entries, group):
    """Distinct profiles shortlisted, interviewed and placed, grouped by `group`."""
    return (
        entries.values(group)
        .annotate(
            shortlisted=Count("candidate", distinct=True),
            interviewed=Count("candidate", distinct=True, filter=Q(interviews__state=DONE)),
            placed=Count("candidate", distinct=True, filter=Q(state=EntryState.SELECTED)),
        )
        .order_by()
    )


def _added(scope):
    """Profiles created in the period (by the chosen recruiter); a client has no say here."""
    candidates = Candidate.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end)
    if scope.recruiter is not None:
        candidates = candidates.filter(owner=scope.recruiter)
    return candidates


def channels(scope):
    """{channel: {added, shortlisted, interviewed, placed}} for the period."""
    added = dict(_added(scope).values_list("channel").annotate(n=Count("pk")).order_by())
    rows = {
        row.pop("candidate__channel"): row
        for row in _progress(scope.entries(), "candidate__channel")
    }
    return {
        channel: {"added": added.get(channel, 0), **rows.get(channel, {})}
        for channel in set(added) | set(rows)
    }


def _sourcing(totals, dim):
    """{value: {added, shortlisted, interviewed, placed}} of a dimension of the profiles
    ("channel", "portage"), from the rollups."""
    rows = defaultdict(dict)
    for key, n in _keyed(totals, f"added.{dim}").items():
        if n:
            rows[key]["added"] = n
    for step in ("shortlisted", "interviewed", "placed"):
        for key, n in _keyed(totals, f"profiles.{dim}.{step}").items():
            if n or key in rows:
                rows[key][step] = n
    return {
        key: {"added": row.get("added", 0), **{k: v for k, v in row.items() if k != "added"}}
        for key, row in rows.items()
        if any(row.values())
    }


def channels_from(totals):
    """`channels` from the rollups of a period of whole months."""
    return _sourcing(totals, "channel")


def _ranked(merged):
    ranked = sorted(
        merged.items(),
        key=lambda item: (
            -item[1].get("placed", 0),
            -item[1].get("shortlisted", 0),
            -item[1]["added"],
            item[0],
        ),
    )
    return ranked[:TOP_ROWS]


def portage_companies_from(totals):
    """`portage_companies` from the rollups of a period of whole months."""
    return _ranked(_sourcing(totals, "portage"))


def portage_companies(scope):
    """The same figures per portage company, the TOP_ROWS most productive ones."""
    key = "candidate__portage_company__name"
    added = dict(
        _added(scope)
        .filter(portage_company__isnull=False)
        .values_list("portage_company__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[: TOP_ROWS * 2]
    )
    progress = _progress(
        scope.entries().filter(candidate__portage_company__isnull=False), key
    ).order_by("-placed", "-shortlisted")[: TOP_ROWS * 2]
    rows = {row.pop(key): row for row in progress}
    merged = {
        name: {"added": added.get(name, 0), **rows.get(name, {})} for name in set(added) | set(rows)
    }
    return _ranked(merged)


# --- price


def _rates(totals, prefix):
    """{key: {n, sold, paid, margin (averages), sold_total, paid_total, margin_total}} of the
    day rates summed under `prefix`; a rate paid unknown counts in neither paid nor margin."""
    rows = {}
    for key, n in _keyed(totals, f"{prefix}.n").items():
        if not n:
            continue
        sold = totals[(f"{prefix}.sold", key)]
        paid_n = totals[(f"{prefix}.paid_n", key)]
        paid = totals[(f"{prefix}.paid", key)] if paid_n else None
        margin = totals[(f"{prefix}.sold_paid", key)] - paid if paid_n else None
        rows[key] = {
            "n": n,
            "sold": sold / n,
            "paid": paid / paid_n if paid_n else None,
            "margin": margin / paid_n if paid_n else None,
            "sold_total": sold,
            "paid_total": paid,
            "margin_total": margin,
        }
    return rows


def rates_by_seniority(totals, basis):
    """Average day rate sold and paid, and the margin, by the profile's seniority."""
    return _rates(totals, f"price.{basis}")


def rates_by_skill(totals, basis):
    """The same by skill the mission requires, for the TOP_ROWS most sold skills.

    A profile counts once under each skill its mission requires.
    """
    rows = _rates(totals, f"skill.{basis}")
    ranked = sorted(rows.items(), key=lambda item: (-item[1]["n"], item[0]))[:TOP_ROWS]
    return [{"mission__skills__skill__name": name, **row} for name, row in ranked]


def lost_on_price(totals):
    """Missions and profiles where the day rate was the problem."""
    keys = ("missions", "missions_lost", "by_client", "by_candidate", "interviews")
    return {key: totals[(f"lost.{key}", "")] for key in keys}


# --- seniority


def seniority_outcomes(totals):
    """Profiles sent, interviewed and placed, and interviews held, by seniority."""
    keys = ("sent", "interviewed", "placed", "interviews")
    return {
        seniority: {key: totals[(f"seniority.{key}", seniority)] for key in keys}
        for seniority, n in _keyed(totals, "seniority.sent").items()
        if n
    }


# --- client portal


def _duration(end, start):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _first_shortlist_sent():
    """When the mission first moved to "shortlist sent" in its timeline: a mission put on
    hold and resumed keeps the date of its first shortlist."""
    return (
        Event.objects.filter(
            mission=OuterRef("pk"),
            subject=Event.Subject.MISSION,
            to_state=MissionState.SHORTLIST_SENT,
        )
        .order_by("at")
        .values("at")[:1]
    )


def client_totals(user, scope):
    """Profiles sent, interviewed and selected, and interviews held, on the contact's missions
    opened in the period; only entries sent to the client count (R3)."""
    entries = ShortlistEntry.objects.visible_to(user).filter(scope.opened_q("mission__"))
    return entries.aggregate(
        sent=Count("pk", distinct=True),
        interviewed=Count("pk", distinct=True, filter=Q(interviews__state=DONE)),
        selected=Count("pk", distinct=True, filter=Q(state=EntryState.SELECTED)),
        interviews=Count("interviews", distinct=True, filter=Q(interviews__state=DONE)),
    )


def client_missions(user, scope):
    """The contact's missions opened in the period, newest first, with their own figures."""
    sent = Q(shortlist__sent_at__isnull=False)
    return (
        Mission.objects.visible_to(user)
        .filter(scope.opened_q())
        .annotate(
            first_sent=Subquery(_first_shortlist_sent()),
            sent=Count("shortlist", distinct=True, filter=sent),
            interviewed=Count(
                "shortlist", distinct=True, filter=sent & Q(shortlist__interviews__state=DONE)
            ),
            selected=Count(
                "shortlist", distinct=True, filter=sent & Q(shortlist__state=EntryState.SELECTED)
            ),
        )
        .annotate(wait=_duration("first_sent", "opened_at"))
        .order_by("-opened_at", "-pk")
    )


def client_shortlist_waits(user, scope):
    """Time to the first shortlist of each of the contact's missions opened in the period."""
    return list(
        Mission.objects.visible_to(user)
        .filter(scope.opened_q())
        .annotate(first_sent=Subquery(_first_shortlist_sent()))
        .filter(first_sent__isnull=False)
        .values_list(_duration("first_sent", "opened_at"), flat=True)
    )

"""The aggregates behind the insights pages, each one query counted by the database.

Two scopes, on purpose:
- conversion figures (funnel, speed, channels, price, seniority) follow the missions *opened*
  in the period, and everything that happened to them since, so each rate compares a group
  with what became of that same group;
- failure causes are dated by when they were recorded (the interview, the closing of the
  profile), so the trend by month shows when the agency lost, not when the mission opened.
The recruiter and client filters apply to both through the mission.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean, median

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from candidates.models import Candidate
from interviews.models import Interview, InterviewFailureCause, InterviewState
from missions.models import (
    EndedBy,
    EntryState,
    Event,
    FailureCause,
    Mission,
    MissionState,
    ShortlistEntry,
)

TOP_ROWS = 15  # bounded tables: portage companies, skills
EXPORT_ROWS = 5000  # a client's missions in a CSV export: more than five years' worth
DONE = InterviewState.DONE
RATE_TOO_HIGH = FailureCause.RATE_TOO_HIGH


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


def _month_key(value):
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.year, value.month


# --- funnel


def mission_funnel(scope):
    """How many of the period's missions reached each step: opened, shortlist sent, a profile
    interviewed (an interview that took place), a placement."""
    # One pass over missions × entries × interviews; distinct counts undo the fan-out.
    return scope.missions().aggregate(
        opened=Count("pk", distinct=True),
        shortlisted=Count("pk", distinct=True, filter=Q(shortlist__sent_at__isnull=False)),
        interviewed=Count("pk", distinct=True, filter=Q(shortlist__interviews__state=DONE)),
        placed=Count("pk", distinct=True, filter=Q(shortlist__state=EntryState.SELECTED)),
    )


def profile_outcomes(scope):
    """Profiles sent, by where they ended, before or after an interview that took place.

    Returns {state: {"before": n, "after": n}}.
    """
    interviewed = Exists(Interview.objects.filter(entry=OuterRef("pk"), state=DONE))
    rows = (
        scope.entries()
        .filter(sent_at__isnull=False)
        .values("state")
        .annotate(
            before=Count("pk", filter=~interviewed),
            after=Count("pk", filter=interviewed),
        )
        .order_by()
    )
    return {row["state"]: {"before": row["before"], "after": row["after"]} for row in rows}


# --- speed


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


def shortlist_waits(scope):
    """(opened_at, time to the first shortlist, or None if none yet) of each mission."""
    return list(
        scope.missions()
        .annotate(first_sent=Subquery(_first_shortlist_sent()))
        .values_list("opened_at", _duration("first_sent", "opened_at"))
    )


def answer_waits(scope):
    """Time from sending a profile to the client's answer, for each profile answered."""
    return list(
        scope.entries()
        .filter(sent_at__isnull=False, answered_at__isnull=False)
        .values_list(_duration("answered_at", "sent_at"), flat=True)
    )


def placement_waits(scope):
    """Time from a placed profile's first interview (that took place) to its selection."""
    selected_at = (
        Event.objects.filter(
            entry=OuterRef("pk"),
            subject=Event.Subject.ENTRY,
            to_state=EntryState.SELECTED,
        )
        .order_by("at")
        .values("at")[:1]
    )
    return list(
        scope.entries()
        .filter(state=EntryState.SELECTED)
        .annotate(
            first_interview=Min("interviews__scheduled_at", filter=Q(interviews__state=DONE)),
            selected_at=Subquery(selected_at),
        )
        .filter(first_interview__isnull=False, selected_at__isnull=False)
        .values_list(_duration("selected_at", "first_interview"), flat=True)
    )


def waits_by_month(scope, waits):
    """Per month of opening: missions opened, shortlists sent, median days to the shortlist."""
    grouped = {month: [] for month in scope.months()}
    opened = dict.fromkeys(grouped, 0)
    for opened_at, wait in waits:
        month = _month_key(opened_at)
        if month in grouped:
            opened[month] += 1
            if wait is not None:
                grouped[month].append(wait)
    return [
        {"month": month, "opened": opened[month], **summarise(durations)}
        for month, durations in grouped.items()
    ]


# --- failure causes


def interview_causes(scope):
    """Failure causes noted in the feedback of interviews held in the period, by month."""
    return list(
        InterviewFailureCause.objects.filter(
            scope.owner_q("interview__entry__mission__"),
            interview__state=DONE,
            interview__scheduled_at__gte=scope.start,
            interview__scheduled_at__lt=scope.end,
        )
        .annotate(month=TruncMonth("interview__scheduled_at"))
        .values("month", "cause")
        .annotate(n=Count("pk"))
        .order_by()
    )


def end_reasons(scope):
    """Profiles closed in the period with a reason, by month, reason and who ended them."""
    return list(
        ShortlistEntry.objects.filter(
            scope.owner_q("mission__"),
            closed_at__gte=scope.start,
            closed_at__lt=scope.end,
            ended_by__in=[EndedBy.CLIENT, EndedBy.CANDIDATE],
        )
        .exclude(end_reason="")
        .annotate(month=TruncMonth("closed_at"))
        .values("month", "end_reason", "ended_by")
        .annotate(n=Count("pk"))
        .order_by()
    )


def causes_by_month(scope, interview_rows, end_rows):
    """{(year, month): {cause: mentions}}: feedback causes and closing reasons together."""
    months = {month: {} for month in scope.months()}
    for month, cause, n in [(r["month"], r["cause"], r["n"]) for r in interview_rows] + [
        (r["month"], r["end_reason"], r["n"]) for r in end_rows
    ]:
        bucket = months.get(_month_key(month))
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


# --- price


def _priced(scope, basis):
    entries = scope.entries().filter(client_rate__isnull=False)
    if basis == "placed":
        return entries.filter(state=EntryState.SELECTED)
    return entries.filter(sent_at__isnull=False)


def _rates(entries, group):
    return entries.values(group).annotate(
        n=Count("pk"),
        sold=Avg("client_rate"),
        paid=Avg("candidate_rate"),
        margin=Avg(F("client_rate") - F("candidate_rate")),
        sold_total=Sum("client_rate"),
        paid_total=Sum("candidate_rate"),
        margin_total=Sum(F("client_rate") - F("candidate_rate")),
    )


def rates_by_seniority(scope, basis):
    """Average day rate sold and paid, and the margin, by the profile's seniority."""
    return {
        row.pop("candidate__seniority"): row
        for row in _rates(_priced(scope, basis), "candidate__seniority").order_by()
    }


def rates_by_skill(scope, basis):
    """The same by skill the mission requires, for the TOP_ROWS most sold skills.

    A profile counts once under each skill its mission requires.
    """
    key = "mission__skills__skill__name"
    entries = _priced(scope, basis).filter(mission__skills__required=True)
    return list(_rates(entries, key).order_by("-n", key)[:TOP_ROWS])


def lost_on_price(scope):
    """Missions and profiles where the day rate was the problem."""
    on_price = Q(shortlist__end_reason=RATE_TOO_HIGH) | Q(
        shortlist__interviews__causes__cause=RATE_TOO_HIGH
    )
    declined = Q(shortlist__end_reason=RATE_TOO_HIGH)
    return scope.missions().aggregate(
        missions=Count("pk", distinct=True, filter=on_price),
        missions_lost=Count(
            "pk",
            distinct=True,
            filter=on_price & Q(state__in=[MissionState.LOST, MissionState.CANCELLED]),
        ),
        by_client=Count(
            "shortlist", distinct=True, filter=declined & Q(shortlist__ended_by=EndedBy.CLIENT)
        ),
        by_candidate=Count(
            "shortlist",
            distinct=True,
            filter=declined & Q(shortlist__ended_by=EndedBy.CANDIDATE),
        ),
        interviews=Count(
            "shortlist__interviews",
            distinct=True,
            filter=Q(shortlist__interviews__causes__cause=RATE_TOO_HIGH),
        ),
    )


# --- seniority


def seniority_outcomes(scope):
    """Profiles sent, interviewed and placed, and interviews held, by seniority."""
    rows = (
        scope.entries()
        .filter(sent_at__isnull=False)
        .values("candidate__seniority")
        .annotate(
            sent=Count("pk", distinct=True),
            interviewed=Count("pk", distinct=True, filter=Q(interviews__state=DONE)),
            placed=Count("pk", distinct=True, filter=Q(state=EntryState.SELECTED)),
            interviews=Count("interviews", distinct=True, filter=Q(interviews__state=DONE)),
        )
        .order_by()
    )
    return {row.pop("candidate__seniority"): row for row in rows}


# --- client portal


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

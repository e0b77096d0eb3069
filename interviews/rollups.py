"""The insights figures of whole months, summed ahead in `FigureRollup` rows.

What a row holds. Every figure of the recruiters' insights page that is a count or a sum is
kept per month, recruiter and client (level RECRUITER_CLIENT), and summed again per month and
recruiter (RECRUITER) and per month (AGENCY), so that any choice of filters reads the rows of
one level: the page sums a few thousand rows instead of scanning the missions, their
shortlists, interviews and timelines. The month follows the page's own semantics
(`insights.queries`): conversion figures (funnel, outcomes, prices, seniority, speed) go to
the month the mission *opened*; failure causes to the month they were recorded (the
interview held, the profile closed); profiles added to the month they were created.

Medians. A median cannot be summed, so the three waits (opening → shortlist, profile sent →
answer, first interview → placement) are kept as histograms: one row per tenth of a day
("wait.answer", key "42" = 4.2 days) counting the cases, and one row with the exact sum of
the durations in microseconds for the mean. The median read from the histogram is the
median of the durations rounded to a tenth of a day, which the page shows anyway; it can
differ from the median of the exact durations by a tenth at most, when the two middle cases
of an even count straddle a rounding boundary.

Distinct profiles. The sourcing tables count a profile once over the period, however many of
its missions it was positioned on: monthly sums would count it once per month. So each row
of a "profiles.*" figure also says the month the profile counted before (`previous`, 0 for
never): a period of whole months [A, B] sums the rows of its months whose previous month is
before A, which counts every profile exactly once. These rows are kept per profile: each
shortlist entry of an opened mission is a `PositionFact`; a profile's refresh recomputes its
facts, and the rows they make, and adds the difference (level CLIENT serves the client
filter alone, where a profile positioned by two recruiters still counts once).

Who keeps them. Every write to a mission's figures goes through a service, and every service
writes a step of the mission's timeline with `missions.services.record_event`: that is the
hook (`missions` sits below this app and cannot import it, so it calls the callbacks
registered with `on_mission_changed`; this module sits in `interviews`, the lowest layer that
sees every fact the figures need — interviews and their failure causes included). Once the
transaction commits, in a transaction of its own, the rows of the mission's client for each
month it touches (the month it opened, the months of its interviews and of its timeline) are
recomputed from the tables under the client's row lock, the difference is added to the
recruiter and agency rows (additive upserts in a fixed order), and the profiles positioned
on it are refreshed under their row locks (client → profiles: the one lock order).
`candidates.services.save_profile` has its own hook: a new profile counts as added, an edit
of its seniority, channel or portage company moves it. `rebuild()` recomputes everything
(the `rebuild_rollups` command, after a bulk load or a data migration; `seed_demo` calls it,
and `migrate` fills an empty table of a database that has missions).

Which months are read. `figures()` reads the rollups for the whole months of a period (one
query), and computes the partial months at either end of a chosen period live from the
tables with the very code that fills the rollups. The month in progress counts as whole for a
period that runs to today or later — nothing is dated after now, and the rows are kept on
every change, not on a timer, so the current month's rows are as fresh as the tables. With a
partial month the sourcing tables are asked of the tables (`insights.queries.channels`).
"""

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from candidates.models import Candidate, PortageCompany
from interviews.models import (
    FigureRollup,
    Interview,
    InterviewFailureCause,
    InterviewState,
    PositionFact,
)
from missions import locking
from missions.models import (
    Client,
    EndedBy,
    EntryState,
    Event,
    FailureCause,
    Mission,
    MissionState,
    ShortlistEntry,
)

DONE = InterviewState.DONE
RATE_TOO_HIGH = FailureCause.RATE_TOO_HIGH
Level = FigureRollup.Level
US_PER_DAY = 86_400_000_000
ONE_US = timedelta(microseconds=1)
WAITS = ("shortlist", "answer", "placement")
# Figures read month by month (the trends); the others are summed over the period.
BY_MONTH = ("opened", "wait.shortlist", "cause.feedback", "cause.client", "cause.candidate")


# --- months


def month_of(moment):
    """The first day of the (local) month of an aware datetime."""
    return timezone.localtime(moment).date().replace(day=1)


def next_month(month):
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _within(field, ranges):
    """`field` within any of the half-open (start, end) datetime ranges; None: no bound."""
    if ranges is None:
        return Q()
    q = Q(pk__in=[])
    for start, end in ranges:
        q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return q


def month_ranges(months):
    return [(_midnight(m), _midnight(next_month(m))) for m in sorted(set(months))]


# --- computing the figures from the tables


def _tenths(duration):
    """A duration's histogram key: tenths of a day, rounded half up, in whole numbers."""
    us = duration // ONE_US
    return (us * 10 + US_PER_DAY // 2) // US_PER_DAY


def _add_wait(figures, where, name, duration):
    if duration is None:
        return
    figures[(*where, f"wait.{name}", str(_tenths(duration)))] += 1
    figures[(*where, f"wait.{name}.sum", "")] += duration // ONE_US


def _first_event(**filters):
    return Event.objects.filter(**filters).order_by("at").values("at")[:1]


def _mission_figures(figures, missions):
    first_sent = _first_event(
        mission=OuterRef("pk"), subject=Event.Subject.MISSION, to_state=MissionState.SHORTLIST_SENT
    )
    entries = ShortlistEntry.objects.filter(mission=OuterRef("pk"))
    rows = missions.annotate(
        first_sent=Subquery(first_sent),
        shortlisted=Exists(entries.filter(sent_at__isnull=False)),
        interviewed=Exists(Interview.objects.filter(entry__mission=OuterRef("pk"), state=DONE)),
        placed=Exists(entries.filter(state=EntryState.SELECTED)),
        on_price=Exists(entries.filter(end_reason=RATE_TOO_HIGH))
        | Exists(
            InterviewFailureCause.objects.filter(
                interview__entry__mission=OuterRef("pk"), cause=RATE_TOO_HIGH
            )
        ),
    ).values_list(
        "owner_id",
        "client_id",
        "opened_at",
        "state",
        "first_sent",
        "shortlisted",
        "interviewed",
        "placed",
        "on_price",
    )
    lost = (MissionState.LOST, MissionState.CANCELLED)
    for owner, client, opened_at, state, sent, shortlisted, interviewed, placed, on_price in rows:
        where = (month_of(opened_at), owner or 0, client)
        for name, flag in (
            ("opened", True),
            ("shortlisted", shortlisted),
            ("interviewed", interviewed),
            ("placed", placed),
            ("lost.missions", on_price),
            ("lost.missions_lost", on_price and state in lost),
        ):
            if flag:
                figures[(*where, name, "")] += 1
        _add_wait(figures, where, "shortlist", sent - opened_at if sent else None)


def _count_of(queryset):
    return Subquery(queryset.order_by().values("entry").annotate(n=Count("pk")).values("n")[:1])


def _entry_figures(figures, entries):
    done = Interview.objects.filter(entry=OuterRef("pk"), state=DONE)
    selected_at = _first_event(
        entry=OuterRef("pk"), subject=Event.Subject.ENTRY, to_state=EntryState.SELECTED
    )
    on_price = Interview.objects.filter(entry=OuterRef("pk"), causes__cause=RATE_TOO_HIGH)
    rows = entries.annotate(
        interviewed=Exists(done),
        held=_count_of(done),
        priced_interviews=_count_of(on_price.distinct()),
        first_interview=Subquery(done.order_by("scheduled_at").values("scheduled_at")[:1]),
        selected_at=Subquery(selected_at),
    ).values_list(
        "mission__owner_id",
        "mission__client_id",
        "mission__opened_at",
        "state",
        "sent_at",
        "answered_at",
        "client_rate",
        "candidate_rate",
        "candidate__seniority",
        "end_reason",
        "ended_by",
        "interviewed",
        "held",
        "priced_interviews",
        "first_interview",
        "selected_at",
    )
    for (
        owner,
        client,
        opened_at,
        state,
        sent_at,
        answered_at,
        sold,
        paid,
        seniority,
        end_reason,
        ended_by,
        interviewed,
        held,
        priced_interviews,
        first_interview,
        selected_at,
    ) in rows:
        where = (month_of(opened_at), owner or 0, client)
        selected = state == EntryState.SELECTED
        if end_reason == RATE_TOO_HIGH and ended_by in (EndedBy.CLIENT, EndedBy.CANDIDATE):
            figures[(*where, f"lost.by_{ended_by}", "")] += 1
        if priced_interviews:
            figures[(*where, "lost.interviews", "")] += priced_interviews
        if sent_at is not None:
            figures[(*where, "outcome", f"{state}.{'after' if interviewed else 'before'}")] += 1
            figures[(*where, "seniority.sent", seniority)] += 1
            figures[(*where, "seniority.interviewed", seniority)] += bool(interviewed)
            figures[(*where, "seniority.placed", seniority)] += selected
            figures[(*where, "seniority.interviews", seniority)] += held or 0
            if answered_at is not None:
                _add_wait(figures, where, "answer", answered_at - sent_at)
        if selected and first_interview is not None and selected_at is not None:
            _add_wait(figures, where, "placement", selected_at - first_interview)
        for basis in _bases(state, sent_at, sold):
            _add_price(figures, where, f"price.{basis}", seniority, sold, paid)


def _bases(state, sent_at, sold):
    """The price tables an entry counts in: profiles sent, placements only."""
    if sold is None:
        return ()
    return (*(("sent",) if sent_at is not None else ()),) + (
        ("placed",) if state == EntryState.SELECTED else ()
    )


def _add_price(figures, where, prefix, key, sold, paid):
    figures[(*where, f"{prefix}.n", key)] += 1
    figures[(*where, f"{prefix}.sold", key)] += sold
    if paid is not None:
        figures[(*where, f"{prefix}.paid_n", key)] += 1
        figures[(*where, f"{prefix}.paid", key)] += paid
        figures[(*where, f"{prefix}.sold_paid", key)] += sold


def _skill_figures(figures, entries):
    """Day rates by skill the mission requires: a profile counts once under each."""
    rows = entries.filter(client_rate__isnull=False, mission__skills__required=True).values_list(
        "mission__owner_id",
        "mission__client_id",
        "mission__opened_at",
        "mission__skills__skill__name",
        "state",
        "sent_at",
        "client_rate",
        "candidate_rate",
    )
    for owner, client, opened_at, skill, state, sent_at, sold, paid in rows:
        where = (month_of(opened_at), owner or 0, client)
        for basis in _bases(state, sent_at, sold):
            _add_price(figures, where, f"skill.{basis}", skill, sold, paid)


def _cause_figures(figures, owner_q, recorded):
    feedback = InterviewFailureCause.objects.filter(
        _within("interview__scheduled_at", recorded),
        owner_q("interview__entry__mission__"),
        interview__state=DONE,
    ).values_list(
        "interview__entry__mission__owner_id",
        "interview__entry__mission__client_id",
        "interview__scheduled_at",
        "cause",
    )
    for owner, client, at, cause in feedback:
        figures[(month_of(at), owner or 0, client, "cause.feedback", cause)] += 1
    closed = (
        ShortlistEntry.objects.filter(
            _within("closed_at", recorded),
            owner_q("mission__"),
            ended_by__in=[EndedBy.CLIENT, EndedBy.CANDIDATE],
        )
        .exclude(end_reason="")
        .values_list(
            "mission__owner_id", "mission__client_id", "closed_at", "end_reason", "ended_by"
        )
    )
    for owner, client, at, reason, ended_by in closed:
        figures[(month_of(at), owner or 0, client, f"cause.{ended_by}", reason)] += 1


def _filters(owner, client):
    def owner_q(prefix=""):
        q = Q()
        if owner is not None:
            q &= Q(**{f"{prefix}owner": owner})
        if client is not None:
            q &= Q(**{f"{prefix}client": client})
        return q

    return owner_q


def compute(*, opened=None, recorded=None, owner=None, client=None):
    """The figures from the tables: Counter {(month, owner id, client id, metric, key): n}.

    `opened`: the datetime ranges of the missions' opening (conversion figures); `recorded`:
    those of the failure causes; None for no bound. `owner`/`client` filter the missions.
    """
    figures = Counter()
    owner_q = _filters(owner, client)
    missions = Mission.objects.filter(owner_q(), _within("opened_at", opened)).filter(
        opened_at__isnull=False
    )
    entries = ShortlistEntry.objects.filter(
        owner_q("mission__"), _within("mission__opened_at", opened)
    ).filter(mission__opened_at__isnull=False)
    _mission_figures(figures, missions)
    _entry_figures(figures, entries)
    _skill_figures(figures, entries)
    _cause_figures(figures, owner_q, recorded)
    return figures


def _levels(figures):
    """The rows of every level from the recruiter-and-client figures: Counter {(level,
    month, owner, client, metric, key, previous): n}."""
    rows = Counter()
    for (month, owner, client, metric, key), n in figures.items():
        rows[(Level.RECRUITER_CLIENT, month, owner, client, metric, key, 0)] += n
        if owner:
            rows[(Level.RECRUITER, month, owner, 0, metric, key, 0)] += n
        rows[(Level.AGENCY, month, 0, 0, metric, key, 0)] += n
    return rows


def _row(level, month, owner, client, metric, key, previous, value):
    return FigureRollup(
        level=level,
        month=month,
        owner_id=owner,
        client_id=client,
        metric=metric,
        key=key,
        previous=previous,
        value=value,
    )


# --- distinct profiles: sourcing channels and portage companies


def month_index(month):
    """A month as one number (0 stands for "none")."""
    return month.year * 12 + month.month


def _facts(entries):
    """PositionFact rows (unsaved) of the entries of opened missions."""
    done = Interview.objects.filter(entry=OuterRef("pk"), state=DONE)
    rows = (
        entries.filter(mission__opened_at__isnull=False)
        .annotate(interviewed=Exists(done))
        .values_list(
            "pk",
            "mission_id",
            "candidate_id",
            "mission__opened_at",
            "mission__owner_id",
            "mission__client_id",
            "candidate__channel",
            "candidate__portage_company_id",
            "interviewed",
            "state",
        )
    )
    return [
        PositionFact(
            entry_id=pk,
            mission_id=mission,
            candidate_id=candidate,
            month=month_of(opened_at),
            owner_id=owner or 0,
            client_id=client,
            channel=channel,
            portage=str(portage or ""),
            interviewed=interviewed,
            placed=state == EntryState.SELECTED,
        )
        for (
            pk,
            mission,
            candidate,
            opened_at,
            owner,
            client,
            channel,
            portage,
            interviewed,
            state,
        ) in rows
    ]


def _profile_rows(facts):
    """Rows counting each profile once per figure: in the month it counts, with the month it
    counted before (so a period [A, B] of whole months sums the rows of its months whose
    previous month is before A). `facts` may hold several profiles."""
    groups = defaultdict(list)
    for fact in facts:
        groups[(Level.AGENCY, 0, 0, fact.candidate_id)].append(fact)
        if fact.owner_id:
            groups[(Level.RECRUITER, fact.owner_id, 0, fact.candidate_id)].append(fact)
        groups[(Level.CLIENT, 0, fact.client_id, fact.candidate_id)].append(fact)
        groups[(Level.RECRUITER_CLIENT, fact.owner_id, fact.client_id, fact.candidate_id)].append(
            fact
        )
    rows = Counter()
    for (level, owner, client, _candidate), group in groups.items():
        keys = [("channel", group[0].channel)]
        if group[0].portage:
            keys.append(("portage", group[0].portage))
        for flag in ("shortlisted", "interviewed", "placed"):
            months = sorted({f.month for f in group if flag == "shortlisted" or getattr(f, flag)})
            previous = 0
            for month in months:
                for dim, key in keys:
                    rows[
                        (level, month, owner, client, f"profiles.{dim}.{flag}", key, previous)
                    ] += 1
                previous = month_index(month)
    return rows


def _added_rows():
    """Profiles created, by month of creation, recruiter, channel and portage company."""
    rows = Counter()
    for owner, created_at, channel, portage in Candidate.objects.values_list(
        "owner_id", "created_at", "channel", "portage_company_id"
    ):
        month = month_of(created_at)
        for dim, key in _added_keys(channel, portage):
            rows[(Level.AGENCY, month, 0, 0, f"added.{dim}", key, 0)] += 1
            if owner:
                rows[(Level.RECRUITER, month, owner, 0, f"added.{dim}", key, 0)] += 1
    return rows


def _all_rows():
    """Every rollup row, recomputed from the tables."""
    facts = _facts(ShortlistEntry.objects.all())
    rows = _levels(compute()) + _profile_rows(facts) + _added_rows()
    return Counter({k: v for k, v in rows.items() if v}), facts


# --- keeping them


def _months_with_data():
    """Every month from the first dated fact to the last (opening, interview, closing)."""
    dates = [
        Mission.objects.aggregate(first=Min("opened_at"), last=Max("opened_at")),
        Interview.objects.aggregate(first=Min("scheduled_at"), last=Max("scheduled_at")),
        ShortlistEntry.objects.aggregate(first=Min("closed_at"), last=Max("closed_at")),
    ]
    firsts = [d["first"] for d in dates if d["first"]]
    if not firsts:
        return []
    month, last = month_of(min(firsts)), month_of(max(d["last"] for d in dates if d["last"]))
    months = []
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def rebuild():
    """Recompute every rollup from the tables, a month at a time (the memory a month's rows
    take, not the whole history's); returns the number of rows written."""
    written = 0
    with transaction.atomic():
        FigureRollup.objects.all().delete()
        PositionFact.objects.all().delete()
        for month in _months_with_data():
            ranges = month_ranges([month])
            rows = _levels(compute(opened=ranges, recorded=ranges))
            written += _insert(rows)
        facts = _facts(ShortlistEntry.objects.all())
        PositionFact.objects.bulk_create(facts, batch_size=5000)
        written += _insert(_profile_rows(facts) + _added_rows())
    return written


def _insert(rows):
    rows = [_row(*k, v) for k, v in rows.items() if v]
    FigureRollup.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _months_touched(mission):
    """The months whose figures this mission feeds: its opening, its interviews held, the
    closing of its profiles (and, to be safe, the months of its timeline)."""
    months = {month_of(mission.opened_at)} if mission.opened_at else set()
    months |= {
        month_of(at)
        for at in Interview.objects.filter(entry__mission=mission).values_list(
            "scheduled_at", flat=True
        )
    }
    months |= {
        month_of(at) for at in Event.objects.filter(mission=mission).values_list("at", flat=True)
    }
    return months


def refresh(mission):
    """Recompute the rollups of the mission's client for the months the mission touches,
    and those of the profiles positioned on it."""
    mission = Mission.objects.filter(pk=mission.pk).first()
    if mission is None:
        return
    months = _months_touched(mission)
    candidates = set(mission.shortlist.values_list("candidate_id", flat=True))
    candidates |= set(
        PositionFact.objects.filter(mission_id=mission.pk).values_list("candidate_id", flat=True)
    )
    with transaction.atomic():
        locking.lock_client(mission.client)
        if months:
            _refresh_client(mission.client_id, months)
        _refresh_profiles(candidates)


# The figures a client's refresh recomputes (the others are kept per profile).
_PER_CLIENT = ~Q(metric__startswith="profiles.") & ~Q(metric__startswith="added.")


def _refresh_client(client_id, months):
    ranges = month_ranges(months)
    new = compute(opened=ranges, recorded=ranges, client=Client(pk=client_id))
    new = Counter({k: v for k, v in new.items() if k[0] in months})
    stored = FigureRollup.objects.filter(
        _PER_CLIENT, level=Level.RECRUITER_CLIENT, client_id=client_id, month__in=months
    )
    old = Counter(
        {
            (month, owner, client, metric, key): value
            for month, owner, client, metric, key, value in stored.values_list(
                "month", "owner_id", "client_id", "metric", "key", "value"
            )
        }
    )
    if old == new:
        return
    delta = Counter(new)
    delta.subtract(old)
    stored.delete()
    FigureRollup.objects.bulk_create(
        _row(Level.RECRUITER_CLIENT, *k, 0, v) for k, v in new.items() if v
    )
    _add(Counter({k: v for k, v in _levels(delta).items() if v and k[0] != Level.RECRUITER_CLIENT}))


def _refresh_profiles(candidate_ids):
    """Replace the profiles' facts, and add the difference they make to the rollups."""
    if not candidate_ids:
        return
    locking.lock_profiles(candidate_ids)
    old_facts = list(PositionFact.objects.filter(candidate_id__in=candidate_ids))
    new_facts = _facts(ShortlistEntry.objects.filter(candidate_id__in=candidate_ids))
    delta = _profile_rows(new_facts)
    delta.subtract(_profile_rows(old_facts))
    PositionFact.objects.filter(candidate_id__in=candidate_ids).delete()
    PositionFact.objects.bulk_create(new_facts)
    _add(Counter({k: v for k, v in delta.items() if v}))


def _add(rows):
    """Add each value to its row, creating it: one upsert, in a fixed order (no deadlock).
    Rows summed to 0 stay, holding 0."""
    if not rows:
        return
    table = connection.ops.quote_name(FigureRollup._meta.db_table)
    key = connection.ops.quote_name("key")
    items = sorted(rows.items())
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(items))
    params = [p for row, value in items for p in (*row, value)]
    # The names are the model's own; the values are parameters.
    columns = f"level, month, owner_id, client_id, metric, {key}, previous"
    sql = (
        f"INSERT INTO {table} ({columns}, value) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({columns}) DO UPDATE SET value = {table}.value + EXCLUDED.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class _Refresh:
    """A mission's refresh waiting for the commit (one per mission and transaction)."""

    def __init__(self, mission_id):
        self.mission_id = mission_id
        self.done = False

    def __call__(self):
        self.done = True
        refresh(Mission(pk=self.mission_id))


def mission_changed(*, mission):
    """The hook of `missions.services.record_event`: refresh once the change is committed.
    A service writing several steps refreshes once: the refresh reads the tables as they are
    at the commit. A refresh that fails leaves the rows as they were (logged;
    `rebuild_rollups` repairs). A step of a profile's timeline alone (no mission) changes no
    figure."""
    if mission is None:
        return
    connection = transaction.get_connection()
    pending = (func for _sids, func, _robust in connection.run_on_commit)
    if not any(
        isinstance(f, _Refresh) and f.mission_id == mission.pk and not f.done for f in pending
    ):
        transaction.on_commit(_Refresh(mission.pk), robust=True)


def _added_keys(channel, portage):
    return [("channel", channel)] + ([("portage", str(portage))] if portage else [])


def profile_changed(*, candidate, previous=None):
    """The hook of `candidates.services.save_profile`: a new profile counts as added (or
    moves, when its channel or portage company changed); the missions where it was positioned
    count it under its new seniority, channel or portage company."""
    month, owner = month_of(candidate.created_at), candidate.owner_id or 0
    added = Counter()
    if previous is not None:
        for dim, key in _added_keys(previous.get("channel"), previous.get("portage_company")):
            added[(Level.AGENCY, month, 0, 0, f"added.{dim}", key, 0)] -= 1
            if owner:
                added[(Level.RECRUITER, month, owner, 0, f"added.{dim}", key, 0)] -= 1
    for dim, key in _added_keys(candidate.channel, candidate.portage_company_id):
        added[(Level.AGENCY, month, 0, 0, f"added.{dim}", key, 0)] += 1
        if owner:
            added[(Level.RECRUITER, month, owner, 0, f"added.{dim}", key, 0)] += 1

    def run():
        with transaction.atomic():
            _add(Counter({k: v for k, v in added.items() if v}))
        for mission in Mission.objects.filter(shortlist__candidate=candidate).distinct():
            refresh(mission)

    transaction.on_commit(run, robust=True)


# --- reading them


def _whole_months(first_day, last_day, today):
    """(whole months, partial (start, end) datetime ranges) of a period. A month is whole
    when the period covers it from its first day to its last, or to today and beyond."""
    whole, partial = [], []
    month = first_day.replace(day=1)
    while month <= last_day:
        following = next_month(month)
        start, end = max(month, first_day), min(following, last_day + timedelta(days=1))
        if start == month and (end == following or last_day >= today):
            whole.append(month)
        else:
            partial.append((_midnight(start), _midnight(end)))
        month = following
    return whole, partial


def _rollup_rows(whole, owner, client):
    """The stored rows of the whole months for these filters: one query."""
    level, filters = Level.AGENCY, {}
    if owner is not None:
        level, filters = Level.RECRUITER, {"owner_id": owner.pk}
    added = Q(metric__startswith="added.", level=level, **filters)
    if client is not None:
        level = Level.RECRUITER_CLIENT
        filters["client_id"] = client.pk
    figures = Q(level=level, **filters) & ~Q(metric__startswith="added.")
    if client is not None and owner is None:
        # Distinct profiles of a client: counted once whichever recruiter positioned them.
        figures = (figures & ~Q(metric__startswith="profiles.")) | Q(
            metric__startswith="profiles.", level=Level.CLIENT, client_id=client.pk
        )
    # A profile counts in the first month of the period it counts in.
    first = Q(previous=0) | Q(previous__lt=month_index(whole[0]))
    # Portage companies are kept by id, and named as they are called today.
    name = PortageCompany.objects.annotate(key=Cast("pk", CharField())).filter(key=OuterRef("key"))
    return (
        FigureRollup.objects.filter(added | figures, first, month__in=whole)
        .annotate(
            name=Case(
                When(
                    Q(metric__startswith="profiles.portage.") | Q(metric="added.portage"),
                    then=Subquery(name.values("name")[:1]),
                ),
                default=F("key"),
            )
        )
        .values_list("month", "metric", "name", "value")
        .order_by()
    )


def figures(*, first_day, last_day, owner=None, client=None, today=None):
    """The period's figures: (totals, by_month, exact_profiles) — Counter {(metric, key):
    n} over the period, {month: Counter} for the figures read by month (`BY_MONTH`), and
    whether the distinct-profile figures ("profiles.*", "added.*") are in the totals (only
    when the period is made of whole months: the others are asked of the tables)."""
    today = today or timezone.localdate()
    whole, partial = _whole_months(first_day, last_day, today)
    totals, by_month = Counter(), defaultdict(Counter)

    def add(month, metric, key, value):
        totals[(metric, key)] += value
        if metric in BY_MONTH:
            by_month[month][(metric, key)] += value

    if whole:
        for month, metric, key, value in _rollup_rows(whole, owner, client):
            add(month, metric, key, value)
    if partial:
        live = compute(opened=partial, recorded=partial, owner=owner, client=client)
        for (month, _owner, _client, metric, key), value in live.items():
            add(month, metric, key, value)
    return totals, by_month, not partial


def fill_if_empty(*, using="default", **kwargs):
    """After `migrate`: a database with opened missions and no rollups yet (one migrated from
    before the rollups, or loaded in bulk) gets them computed once."""
    if using != "default" or FigureRollup.objects.exists():
        return
    if Mission.objects.filter(opened_at__isnull=False).exists():
        rebuild()


def differences():
    """{row: (stored, recomputed)} for every row (and position fact) where the rollups and
    the tables disagree."""
    expected, facts = _all_rows()
    actual = Counter(
        {
            row[:-1]: row[-1]
            for row in FigureRollup.objects.values_list(
                "level", "month", "owner_id", "client_id", "metric", "key", "previous", "value"
            )
            if row[-1]
        }
    )
    wrong = {
        k: (actual.get(k, 0), expected.get(k, 0))
        for k in set(actual) | set(expected)
        if actual.get(k, 0) != expected.get(k, 0)
    }
    fields = [f.attname for f in PositionFact._meta.fields]
    stored_facts = set(PositionFact.objects.values_list(*fields))
    expected_facts = {tuple(getattr(f, name) for name in fields) for f in facts}
    for fact in stored_facts ^ expected_facts:
        wrong[("fact", *fact)] = (fact in stored_facts, fact in expected_facts)
    return wrong

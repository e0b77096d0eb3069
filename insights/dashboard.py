"""The recruiter's dashboard: what needs attention today, across missions and interviews.

It lives at the project level because it reads every app (interviews depend on missions,
which depend on candidates; nothing below this module imports it)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, Value
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from candidates import compliance
from candidates.models import AVAILABILITY_STALE_WEEKS, Candidate
from insights.context_processors import ScalarCount, nav_count_columns, nav_counts_from
from interviews.models import INTERVIEW_CAP, Interview, InterviewState
from interviews.reminders import FEEDBACK_DUE_AFTER
from missions.models import (
    ENTRY_ACTIVE_STATES,
    RENEWAL_NOTICE_DAYS,
    EntryState,
    Mission,
    MissionState,
    Placement,
    ShortlistEntry,
)
from missions.placements import current_placement
from missions.reminders import overdue_before
from missions.services import FOLLOW_UP_INTERVAL
from staffing import topk
from staffing.decorators import recruiter_required
from staffing.union import read_together

STALE_AVAILABILITY = timedelta(weeks=AVAILABILITY_STALE_WEEKS)
ROWS = 8
NAV_PREFIX = "nav_"


def _state_counts(user, missions, *, overdue, upcoming_interviews):
    """Each mission state with its count and, where the mockup has one, the sub-caption that
    says what needs doing ("2 without any profile"), and the navigation's counts.

    One query for every count, a row of scalar subqueries hung on the user's own row (as the
    navigation's, `insights.context_processors`): each count of a state reads only that
    state's part of `mission_state_created_idx` (index only), where one aggregate over the
    missions would read the whole table."""
    active_entry = ShortlistEntry.objects.filter(
        mission=OuterRef("pk"), state__in=ENTRY_ACTIVE_STATES
    )
    overdue_entry = ShortlistEntry.objects.filter(
        mission=OuterRef("pk"), state=EntryState.SENT, sent_at__lt=overdue
    )
    in_state = {state: missions.filter(state=state) for state in MissionState.values}
    counts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            **{state: ScalarCount(queryset) for state, queryset in in_state.items()},
            from_portal=ScalarCount(
                in_state[MissionState.DRAFT].filter(submitted_by__isnull=False)
            ),
            without_profile=ScalarCount(in_state[MissionState.OPEN].filter(~Exists(active_entry))),
            unanswered=ScalarCount(
                in_state[MissionState.SHORTLIST_SENT].filter(Exists(overdue_entry))
            ),
            upcoming_interviews=ScalarCount(upcoming_interviews),
            **nav_count_columns(NAV_PREFIX),
        )
        .get()
    )
    captions = {
        MissionState.DRAFT: _caption(
            counts["from_portal"],
            ngettext_lazy("%(n)s demand from the portal", "%(n)s demands from the portal", "n"),
        ),
        MissionState.OPEN: _caption(
            counts["without_profile"],
            ngettext_lazy("%(n)s without any profile", "%(n)s without any profile", "n"),
        ),
        MissionState.SHORTLIST_SENT: _caption(
            counts["unanswered"],
            ngettext_lazy(
                "%(n)s waiting past the follow-up date",
                "%(n)s waiting past the follow-up date",
                "n",
            ),
        ),
        MissionState.INTERVIEWING: _caption(
            counts["upcoming_interviews"],
            ngettext_lazy("%(n)s interview planned", "%(n)s interviews planned", "n"),
        ),
    }
    states = [
        (state, label, counts[state], captions.get(state, ""))
        for state, label in MissionState.choices
    ]
    return states, nav_counts_from(counts, NAV_PREFIX)


def _caption(n, text):
    return text % {"n": n} if n else ""


def _waiting_for_client(sent, today, now):
    """Sent entries without an answer (`sent`, oldest first), grouped by mission. A mission
    whose oldest profile is overdue (`missions.reminders`) offers "Follow up" unless its
    client was reminded less than a day ago (read from the mission already loaded: no extra
    query)."""
    waiting = {}
    for entry in sent:
        row = waiting.setdefault(
            entry.mission_id, {"mission": entry.mission, "entries": [], "sent_at": entry.sent_at}
        )
        row["entries"].append(entry)
    rows = list(waiting.values())[:ROWS]
    overdue = overdue_before(today)
    for row in rows:
        row["days"] = (today - timezone.localtime(row["sent_at"]).date()).days
        reminded = row["mission"].client_reminded_at
        row["reminded_at"] = reminded
        row["can_follow_up"] = row["sent_at"] < overdue and (
            reminded is None or now - reminded >= FOLLOW_UP_INTERVAL
        )
    return rows


def _third_interviews():
    """Interviews that make their profile's process a third round (R2's last)."""
    return Interview.objects.counted().filter(
        entry__state__in=ENTRY_ACTIVE_STATES, number=INTERVIEW_CAP
    )


def _at_risk_ranking(stale_before):
    """Profiles in a process, at risk, most urgent first (see `_at_risk`)."""
    active = Q(shortlist_entries__state__in=ENTRY_ACTIVE_STATES)
    return (
        Candidate.objects.filter(active)
        .annotate(
            processes=Count("shortlist_entries", filter=active, distinct=True),
            at_third_interview=Exists(_third_interviews().filter(entry__candidate=OuterRef("pk"))),
        )
        .filter(
            Q(processes__gte=2)
            | Q(at_third_interview=True)
            | Q(availability_confirmed_on__lt=stale_before)
            | Q(availability_confirmed_on__isnull=True)
        )
        .order_by("-at_third_interview", "-processes", "availability_confirmed_on")
    )


def _at_third_interview_ranking():
    """The head of `_at_risk_ranking`: the profiles at their third interview, found from
    those interviews (a few thousand at 100,000 profiles) rather than from every process.
    Same columns, in the same order.

    Each one's processes are counted by a subquery on `entry_candidate_state_idx` (index
    only): no join of every profile row to its entries, no grouping of whole rows."""
    # A third interview counts only on an active entry: each profile here has a process.
    processes = ShortlistEntry.objects.filter(
        candidate=OuterRef("pk"), state__in=ENTRY_ACTIVE_STATES
    )
    return (
        Candidate.objects.filter(pk__in=_third_interviews().values("entry__candidate_id"))
        .annotate(
            processes=ScalarCount(processes),
            at_third_interview=Value(True, output_field=BooleanField()),
        )
        .order_by("-processes", "availability_confirmed_on")
    )


def _at_risk(today, entries):
    """Profiles the agency may lose: in several processes, at their third interview, or with
    an availability not confirmed for weeks while in a process.

    Those at their third interview come first: when there are enough of them to fill the
    panel, only they are ranked, not every profile in a process (see `staffing.topk`)."""
    stale_before = today - STALE_AVAILABILITY
    ranking = _at_risk_ranking(stale_before)
    statement = topk.first_rows(
        [topk.Narrow(_at_third_interview_ranking()[:ROWS], "COUNT(*) = %s", (ROWS,))],
        ranking[:ROWS],
        order_by="at_third_interview DESC, processes DESC, availability_confirmed_on",
    )
    if statement is None:
        return []
    candidates = Candidate.objects.raw(*statement).prefetch_related(
        Prefetch(
            "shortlist_entries",
            queryset=entries.filter(state__in=ENTRY_ACTIVE_STATES).select_related(
                "mission__client", "placement"
            ),
            to_attr="active_entries",
        )
    )
    candidates = list(candidates)
    for candidate in candidates:
        confirmed = candidate.availability_confirmed_on
        candidate.stale_weeks = (today - confirmed).days // 7 if confirmed else None
        candidate.is_stale = confirmed is None or confirmed < stale_before
        # R6: a placed profile still in other processes is flagged (from the prefetch).
        candidate.placement = current_placement(candidate.active_entries, today=today)
    return candidates


def _placements_ending(placements, today):
    """Placements whose last day comes within RENEWAL_NOTICE_DAYS, soonest first."""
    last = today + timedelta(days=RENEWAL_NOTICE_DAYS)
    rows = list(
        placements.ending_between(today, last)
        .select_related("candidate", "mission__client")
        .order_by("end", "pk")[:ROWS]
    )
    for placement in rows:
        placement.remaining = placement.days_left(today)
    return rows


def _compliance_gaps(entries, today):
    """Profiles in an active process lacking a mandatory document (R9), with what they lack:
    three queries whatever the number of profiles."""
    # Walked in the order of `cand_active_name_idx` (active profiles by name), each checked
    # for a process and a gap as it comes, so the query stops at the eighth found instead of
    # sorting every profile in a process. Archived profiles are never in one (archiving is
    # refused while a process is under way): the filter only lets the index serve.
    in_process = Candidate.objects.active().filter(
        Exists(entries.filter(candidate=OuterRef("pk"), state__in=ENTRY_ACTIVE_STATES))
    )
    candidates = list(
        compliance.lacking_documents(in_process, day=today).order_by(
            "last_name", "first_name", "pk"
        )[:ROWS]
    )
    gaps = compliance.missing_documents_of(candidates, day=today)
    for candidate in candidates:
        candidate.missing_documents = gaps.get(candidate.pk, [])
    return candidates


@recruiter_required
def dashboard(request):
    today = timezone.localdate()
    now = timezone.now()
    scope = "mine" if request.GET.get("scope") == "mine" else "team"
    missions = Mission.objects.all()
    entries = ShortlistEntry.objects.all()
    placements = Placement.objects.all()
    interviews = Interview.objects.select_related("entry__candidate", "entry__mission__client")
    if scope == "mine":
        missions = missions.filter(owner=request.user)
        entries = entries.filter(mission__owner=request.user)
        interviews = interviews.filter(entry__mission__owner=request.user)
        placements = placements.filter(mission__owner=request.user)
    scheduled = interviews.filter(state=InterviewState.SCHEDULED)
    upcoming = scheduled.filter(scheduled_at__gte=now)
    state_counts, nav_counts = _state_counts(
        request.user, missions, overdue=overdue_before(today), upcoming_interviews=upcoming
    )
    shown_entries = entries.select_related("mission__client", "candidate")
    entry_panels = read_together(
        sent=shown_entries.filter(state=EntryState.SENT).order_by("sent_at")[:60],
        client_answers=shown_entries.filter(
            state__in=[EntryState.INTERVIEW_REQUESTED, EntryState.DECLINED],
            answered_at__gte=now - timedelta(days=7),
        ).order_by("-answered_at")[:ROWS],
    )
    interview_panels = read_together(
        upcoming=upcoming.order_by("scheduled_at")[:ROWS],
        feedback_due=scheduled.filter(scheduled_at__lt=now - FEEDBACK_DUE_AFTER).order_by(
            "scheduled_at"
        )[:ROWS],
    )
    context = {
        "scope": scope,
        "today": today,
        "state_counts": state_counts,
        # Read with the state counts: the navigation's own query is not run.
        "nav_counts": nav_counts,
        "waiting": _waiting_for_client(entry_panels["sent"], today, now),
        "upcoming": interview_panels["upcoming"],
        "feedback_due": interview_panels["feedback_due"],
        "at_risk": _at_risk(today, entries),
        "placements_ending": _placements_ending(placements, today),
        "renewal_notice_days": RENEWAL_NOTICE_DAYS,
        "compliance_gaps": _compliance_gaps(entries, today),
        "client_answers": entry_panels["client_answers"],
    }
    return render(request, "insights/dashboard.html", context)

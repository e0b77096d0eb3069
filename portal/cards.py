"""What a client contact may see of a shortlisted profile and of its interviews (SPEC §5, R3).

The portal's templates never receive a `Candidate` or a `ShortlistEntry`: they get the cards
built here, which hold only the allowed fields. A new field reaches clients only by being
added to these dataclasses, so this module is the one place to review for leaks.
The portal shows both missions and interviews, so this module reads both apps' models.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, StringAgg, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidates.models import CandidateSkill, Experience, Project
from interviews.models import INTERVIEW_CAP, Interview, InterviewState, counts_towards_cap
from interviews.services import client_feedback_open
from missions.models import EndedBy, EntryState, MissionState
from missions.placements import current_placements, placed_period

# What the client reads as the state of a profile; "sent" is news to them.
CLIENT_STATE_LABELS = {
    EntryState.SENT: _("New"),
    EntryState.INTERVIEW_REQUESTED: _("Interview requested"),
    EntryState.INTERVIEWING: _("Interviewing"),
    EntryState.SELECTED: _("Selected"),
    EntryState.DECLINED: _("Declined"),
    EntryState.WITHDRAWN: _("No longer available"),
    EntryState.NOT_RETAINED: _("Not retained"),
}
CLIENT_ACTIVE_STATES = (
    EntryState.SENT,
    EntryState.INTERVIEW_REQUESTED,
    EntryState.INTERVIEWING,
    EntryState.SELECTED,
)
SELECTABLE_MISSION_STATES = (MissionState.SHORTLIST_SENT, MissionState.INTERVIEWING)


@dataclass(frozen=True)
class SkillLine:
    name: str
    years: Decimal


@dataclass(frozen=True)
class ExperienceLine:
    role: str
    company: str
    start: date
    end: date | None
    months: int
    description: str
    technologies: tuple[str, ...]

    @property
    def duration(self):
        return duration_label(self.months)


@dataclass(frozen=True)
class ProjectLine:
    name: str
    context: str
    duration_months: int
    description: str
    technologies: tuple[str, ...]

    @property
    def duration(self):
        return duration_label(self.duration_months)


# The parts of the recruiter's report as the client reads them, in the order recruiters
# write them (the entry's REPORT_FIELDS).
REPORT_SECTIONS = (
    ("report", _("Why this profile")),
    ("report_hard_skills", _("Hard skills")),
    ("report_soft_skills", _("Soft skills")),
    ("report_risks", _("Points to check")),
    ("report_availability", _("Availability")),
)

# How many experiences a card shows open: the latest ones; the earlier ones are folded.
RECENT_EXPERIENCES = 3


@dataclass(frozen=True)
class ReportSection:
    label: str
    text: str


@dataclass(frozen=True)
class ClientReport:
    """The recruiter's report (compte rendu) as the client reads it: its written parts,
    each under its heading, and who wrote it. Every document for the client (the card,
    the skills dossier) renders it from here."""

    sections: tuple[ReportSection, ...]
    author: str

    def __bool__(self):
        return bool(self.sections)

    def __iter__(self):
        return iter(self.sections)


def client_report(entry, author):
    sections = tuple(
        ReportSection(label=str(label), text=getattr(entry, name).strip())
        for name, label in REPORT_SECTIONS
        if getattr(entry, name).strip()
    )
    return ClientReport(sections=sections, author=author)


@dataclass(frozen=True)
class ClientInterview:
    """An interview as the client sees it: when, where, and the summary shared with them."""

    pk: int
    number: int
    cap: int
    kind: str
    state: str
    state_label: str
    scheduled_at: datetime
    ends_at: datetime
    place: str
    video_link: str
    client_interviewers: str
    summary: str
    client_feedback: str
    client_feedback_at: datetime | None
    feedback_open: bool
    is_upcoming: bool
    entry_pk: int
    candidate_name: str
    mission_pk: int
    mission_title: str
    mission_reference: str


@dataclass(frozen=True)
class ClientProfileCard:
    """A shortlisted profile as the client sees it. Deliberately absent: email, phone,
    address, the freelancer's own rate, the margin, internal notes, CV and full last name."""

    pk: int
    mission_pk: int
    state: str
    state_label: str
    display_name: str
    initials: str
    headline: str
    seniority: str
    years_of_experience: int | None
    location: str
    remote_preference: str
    available_from: date | None
    available_now: bool
    # R6: placed on another mission over this mission's dates; only the end date is told.
    placed: bool
    placed_until: date | None
    skills: tuple[SkillLine, ...]
    experiences: tuple[ExperienceLine, ...]
    projects: tuple[ProjectLine, ...]
    client_rate: int | None
    report: ClientReport
    report_author: str
    sent_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    interview_slots: str
    end_reason: str
    client_note: str
    interviews: tuple[ClientInterview, ...]
    interviews_counted: int
    # A follow-up interview asked for and not scheduled yet (its number), or None.
    follow_up_requested: int | None
    can_request_interview: bool
    can_decline: bool
    can_select: bool

    @property
    def is_active(self):
        return self.state in CLIENT_ACTIVE_STATES

    @property
    def interview_cap(self):
        return INTERVIEW_CAP

    @property
    def recent_experiences(self):
        """The latest experiences, shown open on the card."""
        return self.experiences[:RECENT_EXPERIENCES]

    @property
    def earlier_experiences(self):
        """The earlier ones, folded under the recent ones."""
        return self.experiences[RECENT_EXPERIENCES:]

    @property
    def next_interview_number(self):
        """The number the client's next interview request would have (1 to the cap)."""
        return self.interviews_counted + (1 if self.follow_up_requested else 0) + 1

    @property
    def no_longer_available(self):
        """A profile still in the client's process but placed elsewhere over the mission's
        dates (R6): the card says so, and nothing about where."""
        return (
            self.placed and self.state in CLIENT_ACTIVE_STATES and self.state != EntryState.SELECTED
        )


# Joins the names of an experience's or a project's technologies in the query that loads
# it (a unit separator, which no skill name contains): two queries fewer per page than
# prefetching the technologies.
TECH_SEPARATOR = "\x1f"


def _with_technology_names(rows):
    names = StringAgg("technologies__name", Value(TECH_SEPARATOR), default="")
    return rows.annotate(technology_names=names)


def _technology_names(row):
    """In name order (SQLite before 3.44 cannot order inside an aggregate)."""
    names = row.technology_names.split(TECH_SEPARATOR) if row.technology_names else []
    return tuple(sorted(names, key=str.casefold))


def with_card_data(entries):
    """The entry queryset with everything a card reads, in a constant number of queries."""
    return entries.select_related("candidate", "mission__owner", "added_by").prefetch_related(
        Prefetch("candidate__skills", CandidateSkill.objects.select_related("skill")),
        # Ordered here: an aggregate query ignores the model's default ordering.
        Prefetch(
            "candidate__experiences",
            _with_technology_names(Experience.objects.order_by("-start", "-pk")),
        ),
        Prefetch(
            "candidate__projects", _with_technology_names(Project.objects.order_by("name", "pk"))
        ),
        Prefetch("interviews", Interview.objects.order_by("number", "scheduled_at")),
    )


def with_interview_data(interviews):
    return interviews.select_related("entry__candidate", "entry__mission")


def placements_for(entries, *, mission, today):
    """{profile id: placement} of the entries' profiles on other missions that overlap
    `mission`'s period (R6), in one query."""
    return current_placements(
        [entry.candidate_id for entry in entries],
        today=today,
        during=mission.period,
        excluding_mission=mission,
    )


def client_card(entry, *, now=None, placements=None):
    """The client-safe card of a sent entry (its relations loaded by `with_card_data`).
    `placements` is what `placements_for` gives for a page of cards; without it the
    entry's own placement is looked up."""
    now = now or timezone.now()
    candidate = entry.candidate
    mission = entry.mission
    if placements is None:
        placements = placements_for([entry], mission=mission, today=timezone.localdate(now))
    placement = placements.get(candidate.pk)
    experiences = list(candidate.experiences.all())
    interviews = tuple(client_interview(i, entry=entry, now=now) for i in entry.interviews.all())
    counted = sum(1 for i in interviews if counts_towards_cap(i.state))
    author = entry.added_by or mission.owner
    author_name = (author.get_full_name() or author.get_username()) if author else ""
    follow_up = counted + 1 if entry.follow_up_requested_at else None
    open_for_answers = not placement
    return ClientProfileCard(
        pk=entry.pk,
        mission_pk=mission.pk,
        state=entry.state,
        state_label=CLIENT_STATE_LABELS.get(entry.state, entry.get_state_display()),
        display_name=candidate.client_display_name,
        initials=(candidate.first_name[:1] + candidate.last_name[:1]).upper(),
        headline=candidate.headline,
        seniority=candidate.get_seniority_display(),
        years_of_experience=_years_since(experiences, now.date()),
        location=candidate.location,
        remote_preference=candidate.get_remote_preference_display(),
        available_from=candidate.available_from,
        available_now=not placement
        and bool(candidate.available_from and candidate.available_from <= now.date()),
        placed=bool(placement),
        placed_until=placement and placed_period(placement).end,
        skills=tuple(SkillLine(s.skill.name, s.years) for s in candidate.skills.all()),
        experiences=tuple(_experience_line(e, now.date()) for e in experiences),
        projects=tuple(_project_line(p) for p in candidate.projects.all()),
        client_rate=entry.client_rate,
        report=client_report(entry, author_name),
        report_author=author_name,
        sent_at=entry.sent_at,
        answered_at=entry.answered_at,
        closed_at=entry.closed_at,
        interview_slots=entry.interview_slots,
        end_reason=entry.get_end_reason_display() if entry.end_reason else "",
        # Only the client's own decline note: a withdrawal note may be internal, and the
        # notes on other closures are written by the app, not by the client.
        client_note=entry.end_note
        if entry.ended_by == EndedBy.CLIENT and entry.state == EntryState.DECLINED
        else "",
        interviews=interviews,
        interviews_counted=counted,
        follow_up_requested=follow_up,
        # The first interview of a sent profile, or a follow-up within the cap while
        # interviewing (`interviews.services.request_interview` decides, under its lock).
        can_request_interview=open_for_answers
        and (
            entry.state == EntryState.SENT
            or entry.state == EntryState.INTERVIEWING
            and follow_up is None
            and counted < INTERVIEW_CAP
        ),
        can_decline=entry.state
        in (EntryState.SENT, EntryState.INTERVIEW_REQUESTED, EntryState.INTERVIEWING),
        # As the mockup offers it: once the client has met the profile.
        can_select=open_for_answers
        and entry.state == EntryState.INTERVIEWING
        and counted > 0
        and mission.state in SELECTABLE_MISSION_STATES,
    )


def client_interview(interview, *, entry=None, now=None):
    """The client-safe view of an interview: no ratings, verdict or internal notes."""
    now = now or timezone.now()
    entry = entry or interview.entry
    mission = entry.mission
    return ClientInterview(
        pk=interview.pk,
        number=interview.number,
        cap=INTERVIEW_CAP,
        kind=interview.get_kind_display(),
        state=interview.state,
        state_label=interview.get_state_display(),
        scheduled_at=interview.scheduled_at,
        ends_at=interview.ends_at,
        place=interview.place,
        video_link=interview.video_link,
        client_interviewers=interview.client_interviewers,
        summary=interview.summary if interview.state == InterviewState.DONE else "",
        client_feedback=interview.client_feedback,
        client_feedback_at=interview.client_feedback_at,
        feedback_open=client_feedback_open(interview, now=now),
        is_upcoming=interview.state == InterviewState.SCHEDULED and interview.scheduled_at >= now,
        entry_pk=entry.pk,
        candidate_name=entry.candidate.client_display_name,
        mission_pk=mission.pk,
        mission_title=mission.title,
        mission_reference=mission.reference,
    )


def duration_label(months):
    """“2 years 3 months”, “8 months”: how long an experience or a project lasted."""
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if months or not years:
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    return " ".join(parts)


def _years_since(experiences, today):
    if not experiences:
        return None
    first = min(e.start for e in experiences)
    return max(0, (today - first).days // 365)


def _experience_line(experience, today):
    return ExperienceLine(
        role=experience.role,
        company=experience.company,
        start=experience.start,
        end=experience.end,
        months=experience.months(today),
        description=experience.description,
        technologies=_technology_names(experience),
    )


def _project_line(project):
    # The project's link is left out on purpose: a personal repository or portfolio URL
    # usually carries the full name, which the client does not get before selection.
    return ProjectLine(
        name=project.name,
        context=project.get_context_display(),
        duration_months=project.duration_months,
        description=project.description,
        technologies=_technology_names(project),
    )

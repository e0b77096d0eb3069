"""One shortlist entry's life in the bulk part of the demo: sent, answered, interviewed, closed.

`EntrySim` moves an entry the way the services would (same transitions, same fields, same
timeline wording) while its mission's `MissionBuilder` plans the whole mission in memory.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from candidates import money
from demo.story import SENIORITY_FR
from interviews.models import (
    INTERVIEW_CAP,
    Interview,
    InterviewFailureCause,
    InterviewKind,
    InterviewState,
    Verdict,
)
from missions.models import EndedBy, EntryState, Event, FailureCause

CLIENT_REASONS = [
    FailureCause.TECHNICAL_LEVEL,
    FailureCause.RATE_TOO_HIGH,
    FailureCause.AVAILABILITY,
    FailureCause.LOCATION,
    FailureCause.NEEDS_CHANGED,
]


class EntrySim:
    """One entry's path from sent to its outcome, with its interviews."""

    def __init__(self, builder, entry, outcome):
        self.b = builder
        self.entry = entry
        self.outcome = outcome
        self.at = entry.created_at

    @property
    def is_active(self):
        return self.entry.state in (
            EntryState.PROPOSED,
            EntryState.SENT,
            EntryState.INTERVIEW_REQUESTED,
            EntryState.INTERVIEWING,
        )

    def move(self, to, at, author_id, note="", cause=""):
        entry, from_state = self.entry, self.entry.state
        entry.state = to
        if to == EntryState.SENT:
            entry.sent_at = at
        if from_state == EntryState.SENT and to != EntryState.WITHDRAWN:
            entry.answered_at = entry.answered_at or at
        self.b.event(
            at,
            Event.Subject.ENTRY,
            entry=entry,
            candidate_id=entry.candidate_id,
            from_state=from_state,
            to_state=to,
            code="profile",
            params={"name": entry.name},
            note=note,
            cause=cause,
            author_id=author_id,
        )
        self.at = at

    def close(self, to, at, author_id, *, ended_by=EndedBy.CLIENT, reason="", note=""):
        self.entry.closed_at = at
        self.entry.ended_by, self.entry.end_reason, self.entry.end_note = ended_by, reason, note
        self.move(to, at, author_id, note=note, cause=reason)

    def end_with_mission(self, at, author_id, note):
        """As the services close an entry when its mission ends: the client never saw a
        proposed one, so the agency withdraws it."""
        if self.entry.state == EntryState.PROPOSED:
            self.close(EntryState.WITHDRAWN, at, author_id, ended_by=EndedBy.AGENCY, note=note)
        else:
            self.close(EntryState.NOT_RETAINED, at, author_id, note=note)

    def end_with_selection(self, at, author_id, note):
        """As `select_candidate` closes the others: not retained, by the agency for a draft."""
        ended_by = EndedBy.AGENCY if self.entry.state == EntryState.PROPOSED else EndedBy.CLIENT
        self.close(EntryState.NOT_RETAINED, at, author_id, ended_by=ended_by, note=note)

    def play(self, sent_at, allow_upcoming):
        b, rng = self.b, self.b.rng
        self.move(EntryState.SENT, sent_at, b.owner.pk)
        if self.outcome == "sent":
            return
        answered = b.later(sent_at, 1, 6)
        if self.outcome == "declined":
            reason = rng.choice(CLIENT_REASONS)
            self.close(EntryState.DECLINED, answered, b.contact(), reason=reason, note="")
            return
        if self.outcome == "withdrawn":
            self.close(
                EntryState.WITHDRAWN,
                answered,
                b.owner.pk,
                ended_by=EndedBy.CANDIDATE,
                reason=FailureCause.CANDIDATE_WITHDREW,
                note="A accepté une autre mission.",
            )
            return
        slots = rng.choice(["Mardi ou jeudi matin", "Dès que possible", "Semaine prochaine"])
        self.entry.interview_slots = slots
        self.move(EntryState.INTERVIEW_REQUESTED, answered, b.contact(), note=slots)
        if self.outcome != "requested":
            self.interviews(allow_upcoming)

    def interviews(self, allow_upcoming):
        b, rng = self.b, self.b.rng
        count = rng.randint(1, INTERVIEW_CAP)
        for number in range(1, count + 1):
            created = b.later(self.at, 0.5, 3)
            scheduled = self.office_hours(created.date() + timedelta(days=rng.randint(2, 7)))
            last = number == count
            upcoming = scheduled > b.c.now
            if last and self.outcome == "interviewing" and allow_upcoming and rng.random() < 0.5:
                upcoming = True
            if upcoming and not allow_upcoming:
                return
            if upcoming:
                # From tomorrow on, so it is still to come whenever today the data is read.
                scheduled = self.office_hours(b.c.today + timedelta(days=rng.randint(1, 10)))
            interview = self.schedule(number, created, scheduled)
            if upcoming:
                return
            self.feedback(interview, self.verdict(last))
        if self.outcome == "not_retained":
            at = b.later(self.at, 1, 2)
            self.close(
                EntryState.NOT_RETAINED,
                at,
                b.contact(),
                reason=FailureCause.TECHNICAL_LEVEL,
                note="Retour négatif du client après entretien.",
            )

    def office_hours(self, day):
        hour = self.b.rng.choice([9, 10, 11, 14, 15, 16, 17])
        return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())

    def verdict(self, last):
        if last and self.outcome == "not_retained":
            return Verdict.NO_GO
        if last and self.outcome == "selected":
            return Verdict.GO
        return self.b.rng.choice([Verdict.GO, Verdict.GO, Verdict.UNDECIDED])

    def schedule(self, number, created, scheduled):
        b, rng = self.b, self.b.rng
        kind = InterviewKind.TECHNICAL if number == 1 else rng.choice(list(InterviewKind))
        interview = Interview(
            pk=b.c.keys(Interview),
            entry=self.entry,
            number=number,
            kind=kind,
            scheduled_at=scheduled,
            duration_minutes=90 if kind == InterviewKind.TEST else rng.choice([45, 60]),
            video_link=f"https://visio.example.com/{self.entry.candidate_id}-{number}",
            recruiter_id=b.owner.pk,
            state=InterviewState.SCHEDULED,
            created_at=created,
        )
        b.plan.interviews.append(interview)
        if self.entry.state in (EntryState.SENT, EntryState.INTERVIEW_REQUESTED):
            self.move(EntryState.INTERVIEWING, created, b.owner.pk)
            if b.first_interview_at is None or created < b.first_interview_at:
                b.first_interview_at = created
        b.event(
            created,
            Event.Subject.INTERVIEW,
            entry=self.entry,
            candidate_id=self.entry.candidate_id,
            to_state=InterviewState.SCHEDULED,
            code="interview_scheduled",
            params={"n": number, "cap": INTERVIEW_CAP, "name": self.entry.name},
            author_id=b.owner.pk,
        )
        self.at = max(self.at, created)
        return interview

    def feedback(self, interview, verdict):
        b, rng = self.b, self.b.rng
        done = interview.scheduled_at + timedelta(hours=rng.randint(1, 4))
        good = verdict == Verdict.GO
        interview.state = InterviewState.DONE
        interview.verdict = verdict
        interview.hard_skills_rating = rng.randint(4, 5) if good else rng.randint(2, 4)
        interview.soft_skills_rating = rng.randint(3, 5) if good else rng.randint(2, 4)
        interview.feedback_at = done
        if interview.kind == InterviewKind.TEST:
            interview.test_score = rng.randint(70, 95) if good else rng.randint(35, 65)
            interview.test_passed = good
        if verdict == Verdict.NO_GO:
            causes = rng.sample(
                [
                    FailureCause.TECHNICAL_LEVEL,
                    FailureCause.SOFT_SKILLS,
                    FailureCause.RATE_TOO_HIGH,
                ],
                k=rng.randint(1, 2),
            )
            b.plan.causes += [InterviewFailureCause(interview=interview, cause=c) for c in causes]
        b.event(
            done,
            Event.Subject.INTERVIEW,
            entry=self.entry,
            candidate_id=self.entry.candidate_id,
            from_state=InterviewState.SCHEDULED,
            to_state=InterviewState.DONE,
            code="interview_state",
            params={"n": interview.number, "state": str(InterviewState.DONE)},
            author_id=b.owner.pk,
        )
        self.at = max(self.at, done)


def with_margin(profile):
    return money.suggested_client_rate(None, profile.day_rate)


def short_report(rng, profile, family):
    """The report's parts (field names of the entry) as a bulk recruiter writes them."""
    return {
        "report": f"{family.headline}, niveau {SENIORITY_FR[profile.seniority]}.",
        "report_hard_skills": f"{', '.join(family.core)}.",
        "report_risks": rng.choice(
            ["Aucun identifié.", "Tarif ferme.", "Préavis de deux semaines."]
        ),
    }

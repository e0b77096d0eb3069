"""The bulk part of the demo: missions with shortlists, interviews and timelines by thousands.

Per-row services would take hours for 100,000 profiles, so these rows are planned in memory and
written with multi-row INSERTs. The plans respect what the services guarantee: at most four active
entries holding distinct slots 1–4 (R1), interviews numbered 1–3 (R2), only legal transitions,
each recorded as a timeline event with the services' own wording (R4).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext as _

from candidates.models import RemotePolicy, Seniority
from demo import catalogue
from demo.bulk_entries import EntrySim, short_report, with_margin
from demo.clock import moment
from demo.people import city_of
from demo.profiles import RATE_RANGES
from demo.rows import insert_objects, insert_rows
from demo.story import SENIORITY_FR
from interviews.models import Interview, InterviewFailureCause
from missions.models import (
    EntryState,
    Event,
    Mission,
    MissionSkill,
    MissionState,
    ShortlistEntry,
    TechnicalTest,
    warning_text,
)

CHUNK = 500
STATE_WEIGHTS = {
    MissionState.DRAFT: 7,
    MissionState.OPEN: 16,
    MissionState.SHORTLIST_SENT: 14,
    MissionState.INTERVIEWING: 16,
    MissionState.FILLED: 30,
    MissionState.ON_HOLD: 5,
    MissionState.CANCELLED: 6,
    MissionState.LOST: 6,
}
# How long ago missions in each state were created; long enough for their history to fit.
AGE_DAYS = {
    MissionState.DRAFT: (0, 15),
    MissionState.OPEN: (3, 45),
    MissionState.SHORTLIST_SENT: (12, 60),
    MissionState.INTERVIEWING: (20, 90),
    MissionState.FILLED: (60, 400),
    MissionState.ON_HOLD: (30, 200),
    MissionState.CANCELLED: (60, 400),
    MissionState.LOST: (60, 400),
}
MISSION_SENIORITY_WEIGHTS = {
    Seniority.JUNIOR: 8,
    Seniority.CONFIRMED: 34,
    Seniority.SENIOR: 43,
    Seniority.EXPERT: 15,
}
HOLD_REASONS = ["Gel budgétaire.", "Réorganisation interne du client.", "Arbitrage en cours."]
END_REASONS = {
    MissionState.CANCELLED: ["Projet abandonné par le client.", "Besoin couvert en interne."],
    MissionState.LOST: ["Le client a retenu un autre cabinet.", "Le client a recruté en CDI."],
}


@dataclass
class _Plan:
    mission: Mission
    skills: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    causes: list = field(default_factory=list)
    events: list = field(default_factory=list)


def create_missions(*, count, rng, today, now, clients, contacts, owners, skills, pool, keys):
    """Write `count` missions spread over every state, with their shortlists and history."""
    by_family = {}
    for profile in pool:
        by_family.setdefault(profile.family, []).append(profile)
    context = _Context(
        rng, today, now, clients, contacts, owners, skills, pool, by_family, set(), keys
    )
    for start in range(0, count, CHUNK):
        plans = [MissionBuilder(context).build() for _ in range(min(CHUNK, count - start))]
        _write(plans)


@dataclass
class _Context:
    rng: object
    today: object
    now: object
    clients: list
    contacts: dict
    owners: list
    skills: dict
    pool: list
    by_family: dict
    placed: set
    keys: object


def _write(plans):
    for model, rows in [
        (Mission, [plan.mission for plan in plans]),
        (MissionSkill, [row for plan in plans for row in plan.skills]),
        (ShortlistEntry, [row for plan in plans for row in plan.entries]),
        (Interview, [row for plan in plans for row in plan.interviews]),
        (InterviewFailureCause, [row for plan in plans for row in plan.causes]),
    ]:
        insert_objects(model, rows)
    # The largest table: plain rows, now that missions and entries have their keys.
    insert_rows(
        Event, EVENT_COLUMNS, [_event_row(event) for plan in plans for event in plan.events]
    )


EVENT_COLUMNS = [
    "at",
    "author",
    "subject",
    "mission",
    "entry",
    "candidate",
    "from_state",
    "to_state",
    "message",
    "message_code",
    "message_params",
    "note",
    "cause",
    "note_code",
    "note_params",
]


def _event_row(event):
    entry = event.get("entry")
    return (
        event["at"],
        event.get("author_id"),
        event["subject"],
        event["mission"].pk,
        entry.pk if entry else None,
        event.get("candidate_id"),
        event.get("from_state", ""),
        event.get("to_state", ""),
        Event.render(event["code"], event["params"], subject=event["subject"])[:255],
        event["code"],
        event["params"],
        _event_note(event),
        event.get("cause", ""),
        event.get("note_code", ""),
        event.get("note_params", {}),
    )


def _event_note(event):
    if event.get("note_code"):
        return Event.render(event["note_code"], event["note_params"], subject=event["subject"])
    return event.get("note", "")


class MissionBuilder:
    """Plans one mission's life forward in time, never beyond now."""

    def __init__(self, context):
        self.c = context
        self.rng = context.rng
        self.state = None
        self.first_interview_at = None

    # Timeline -------------------------------------------------------------------------

    def later(self, when, low_days, high_days):
        step = timedelta(days=self.rng.uniform(low_days, high_days))
        return min(when + step, self.c.now - timedelta(minutes=1))

    def event(self, at, subject, **fields):
        """Plan a timeline row (written once the mission and its entries have keys)."""
        self.plan.events.append({"at": at, "mission": self.mission, "subject": subject, **fields})

    def move_mission(self, at, to, author_id, note=""):
        self.event(
            at,
            Event.Subject.MISSION,
            from_state=self.state,
            to_state=to,
            code="mission",
            params={},
            note=note,
            author_id=author_id,
        )
        self.state = to
        self.mission.updated_at = max(self.mission.updated_at, at)

    # Mission --------------------------------------------------------------------------

    def build(self):
        rng, c = self.rng, self.c
        target = rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]
        family = rng.choices(catalogue.FAMILIES, weights=[f.weight for f in catalogue.FAMILIES])[0]
        seniority = rng.choices(
            list(MISSION_SENIORITY_WEIGHTS), weights=list(MISSION_SENIORITY_WEIGHTS.values())
        )[0]
        client = rng.choice(c.clients)
        self.owner = rng.choice(c.owners)
        self.contact_ids = [contact.user_id for contact in c.contacts[client.pk]]
        created = moment(c.today, rng.randint(*AGE_DAYS[target]), rng.randint(8, 11))
        created = min(created, c.now - timedelta(hours=1))
        self.mission = _new_mission(rng, client, family, seniority, self.owner, created)
        self.mission.pk = c.keys(Mission)
        # The reference create_mission gives, from the primary key.
        self.mission.reference = f"M-{c.today:%Y}-{self.mission.pk:05d}"
        self.plan = _Plan(self.mission)
        self.plan.skills = _mission_skills(rng, self.mission, family, seniority, c.skills)
        self.family, self.state = family, MissionState.DRAFT
        self.event(
            created,
            Event.Subject.MISSION,
            to_state=MissionState.DRAFT,
            code="mission_created",
            params={},
            author_id=self.owner.pk,
        )
        if target != MissionState.DRAFT:
            self.live(target, created)
        return self.plan

    def live(self, target, created):
        opened = self.later(created, 0.2, 2)
        self.mission.opened_at = opened
        self.move_mission(opened, MissionState.OPEN, self.owner.pk)
        outcomes = _outcomes(self.rng, target)
        profiles = self.profiles(len(outcomes), selected=target == MissionState.FILLED)
        entries = [self.add_entry(profile, opened) for profile in profiles]
        sims = [
            EntrySim(self, entry, outcome) for entry, outcome in zip(entries, outcomes, strict=True)
        ]
        last = max([opened] + [sim.at for sim in sims])
        to_send = [sim for sim in sims if sim.outcome != "proposed"]
        if to_send:
            sent_at = self.later(last, 0.5, 3)
            self.move_mission(sent_at, MissionState.SHORTLIST_SENT, self.owner.pk)
            for sim in to_send:
                sim.play(sent_at, allow_upcoming=target == MissionState.INTERVIEWING)
            last = max(sim.at for sim in sims)
        if self.first_interview_at:
            self.interviewing_since(self.first_interview_at)
        self.conclude(target, sims, last)
        slot = 0
        for entry in entries:
            if entry.state in (
                EntryState.PROPOSED,
                EntryState.SENT,
                EntryState.INTERVIEW_REQUESTED,
                EntryState.INTERVIEWING,
                EntryState.SELECTED,
            ):
                slot += 1
                entry.slot = slot

    def interviewing_since(self, at):
        """The mission moved on when its first interview was scheduled (start_interviewing);
        its event is inserted in time order among the events already planned."""
        self.event(
            at,
            Event.Subject.MISSION,
            from_state=MissionState.SHORTLIST_SENT,
            to_state=MissionState.INTERVIEWING,
            code="mission",
            params={},
            author_id=self.owner.pk,
        )
        self.state = MissionState.INTERVIEWING

    def conclude(self, target, sims, last):
        if target == MissionState.FILLED:
            chosen = next(sim for sim in sims if sim.outcome == "selected")
            at = self.later(last, 1, 3)
            chosen.move(EntryState.SELECTED, at, self.contact())
            self.move_mission(at, MissionState.FILLED, self.contact())
            for sim in sims:
                if sim.is_active and sim is not chosen:
                    sim.end_with_selection(at, self.contact(), _("Another profile was selected."))
        elif target in (MissionState.ON_HOLD, MissionState.CANCELLED, MissionState.LOST):
            at = self.later(last, 1, 6)
            reasons = HOLD_REASONS if target == MissionState.ON_HOLD else END_REASONS[target]
            note = self.rng.choice(reasons)
            self.mission.state_reason = note
            self.move_mission(at, target, self.owner.pk, note=note)
            if target != MissionState.ON_HOLD:
                ended = _("The mission ended: %(state)s") % {"state": MissionState(target).label}
                for sim in sims:
                    if sim.is_active:
                        sim.end_with_mission(at, self.owner.pk, ended)
        self.mission.state = target
        assert self.state == target, (self.state, target)

    # Shortlist ------------------------------------------------------------------------

    def contact(self):
        return self.rng.choice(self.contact_ids)

    def profiles(self, count, selected):
        """Distinct profiles of the mission's family; the first is the one selected, if any,
        and is not placed elsewhere already (R6)."""
        family_pool = self.c.by_family.get(self.family.key) or self.c.pool
        source = family_pool if len(family_pool) >= count else self.c.pool
        for _attempt in range(5):
            profiles = self.rng.sample(source, count)
            if not (selected and profiles[0].pk in self.c.placed):
                break
        if selected:
            self.c.placed.add(profiles[0].pk)
        return profiles

    def add_entry(self, profile, opened):
        at = self.later(opened, 0.2, 4)
        budget = self.mission.budget
        client_rate = budget if budget and budget > profile.day_rate else with_margin(profile)
        warning_codes = []
        if budget and profile.day_rate > budget:
            params = {"rate": profile.day_rate, "budget": budget}
            warning_codes.append({"code": "over_budget", "params": params})
        warnings = "\n".join(warning_text(w, name=profile.name) for w in warning_codes)
        entry = ShortlistEntry(
            pk=self.c.keys(ShortlistEntry),
            mission=self.mission,
            candidate_id=profile.pk,
            state=EntryState.PROPOSED,
            position=len(self.plan.entries) + 1,
            **short_report(self.rng, profile, self.family),
            candidate_rate=profile.day_rate,
            client_rate=client_rate,
            warnings=warnings,
            warning_codes=warning_codes,
            added_by_id=self.owner.pk,
            created_at=at,
        )
        entry.name = profile.name  # the timeline's wording, without loading the profile
        self.plan.entries.append(entry)
        self.event(
            at,
            Event.Subject.ENTRY,
            entry=entry,
            candidate_id=profile.pk,
            to_state=EntryState.PROPOSED,
            code="shortlist_added",
            params={"name": profile.name},
            note_code="warnings" if warning_codes else "",
            note_params={"warnings": warning_codes, "name": profile.name} if warning_codes else {},
            author_id=self.owner.pk,
        )
        return entry


def _outcomes(rng, target):
    """What becomes of each entry of a mission that ends up in `target`."""
    pick = rng.choice
    if target == MissionState.OPEN:
        return ["proposed"] * rng.randint(0, 3)
    if target == MissionState.SHORTLIST_SENT:
        outcomes = ["sent"] + [
            pick(["sent", "requested", "declined"]) for _ in range(rng.randint(1, 3))
        ]
    elif target == MissionState.INTERVIEWING:
        outcomes = ["interviewing"] + [
            pick(["interviewing", "requested", "sent", "declined", "withdrawn", "not_retained"])
            for _ in range(rng.randint(1, 4))
        ]
    elif target == MissionState.FILLED:
        outcomes = ["selected"] + [
            pick(["not_retained", "declined", "withdrawn", "sent", "interviewing"])
            for _ in range(rng.randint(1, 4))
        ]
    elif target == MissionState.ON_HOLD:
        outcomes = [pick(["proposed", "sent", "declined"]) for _ in range(rng.randint(0, 3))]
    else:
        outcomes = [
            pick(["sent", "requested", "declined", "interviewing"])
            for _ in range(rng.randint(0, 3))
        ]
    if "sent" not in outcomes and target == MissionState.ON_HOLD:
        # Without a sent entry the mission was never sent: the proposed ones stay drafts.
        outcomes = ["proposed"] * len(outcomes)
    # R1: the entries are all added before any leaves, so four at most.
    return outcomes[:4]


def _new_mission(rng, client, family, seniority, owner, created):
    low, high = RATE_RANGES[seniority]
    test = rng.choices(list(TechnicalTest), weights=[60, 25, 15])[0]
    return Mission(
        client=client,
        title=f"{family.headline} {SENIORITY_FR[seniority]} — "
        f"{rng.choice(catalogue.MISSION_CONTEXTS)}",
        description=f"{rng.choice(catalogue.MISSION_CONTEXTS).capitalize()} chez {client.name}.",
        seniority=seniority,
        budget=rng.randrange(low + 20, high + 60, 10),
        start_date=created.date() + timedelta(days=rng.randint(15, 60)),
        duration_months=rng.choice([3, 4, 6, 6, 9, 12]),
        location=city_of(client),
        remote_policy=rng.choices(list(RemotePolicy), weights=[15, 60, 25])[0],
        technical_test=test,
        technical_test_details=(
            f"CodinGame {family.core[0]}, 60 minutes" if test == TechnicalTest.SPECIFIC else ""
        ),
        owner=owner,
        created_at=created,
        updated_at=created,
    )


def _mission_skills(rng, mission, family, seniority, skills):
    minimum = {"junior": 0, "confirmed": 2, "senior": 4, "expert": 6}[seniority]
    rows = [
        MissionSkill(
            mission=mission, skill=skills[name], required=True, min_years=max(0, minimum - i)
        )
        for i, name in enumerate(family.core)
    ]
    for name in rng.sample(family.extras, k=min(2, len(family.extras))):
        rows.append(MissionSkill(mission=mission, skill=skills[name], required=False, min_years=0))
    return rows

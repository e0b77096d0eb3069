"""Write operations on missions and shortlists: the only way the app changes their state.

Each function runs in one transaction, locks the row its rule depends on before checking it,
records the step in the timeline (R4) and refuses an illegal move with a `ValidationError`
whose code the views and tests rely on.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from candidates import compliance, money
from candidates import services as candidate_services
from missions import notifications
from missions.audience import mission_emails
from missions.locking import (
    lock_client,
    lock_entries,
    lock_entry,
    lock_mission,
    lock_placement,
    lock_profile,
)
from missions.models import (
    ENTRY_ACTIVE_STATES,
    ENTRY_TRANSITIONS,
    MISSION_FINAL_STATES,
    MISSION_TRANSITIONS,
    REPORT_FIELDS,
    SHORTLIST_CAP,
    ClientContact,
    ComplianceException,
    EndedBy,
    EntryState,
    Event,
    FailureCause,
    Mission,
    MissionContact,
    MissionContactRole,
    MissionSkill,
    MissionState,
    Placement,
    ShortlistEntry,
    warning_text,
)
from missions.periods import Period, period_text
from missions.placements import overlapping_placement, placement_period
from staffing.dates import short_date

# R8: what else must happen when an entry leaves the active states. Apps above `missions`
# (which this module may not import) register a callback here from their `AppConfig.ready`:
# `interviews` cancels the entry's scheduled interviews. Each callback is called as
# `callback(entry=…, by=…, note=…)` inside the transaction that closes the entry, with the
# entry (and its mission) already locked, so it may lock rows further down the lock order.
_entry_closed_callbacks = []


def on_entry_closed(callback):
    """Register `callback` to run each time an entry leaves the active states."""
    if callback not in _entry_closed_callbacks:
        _entry_closed_callbacks.append(callback)
    return callback


def _entry_closed(entry, *, by):
    note = _("The profile left the process: %(state)s.") % {
        "state": EntryState(entry.state).label.lower()
    }
    for callback in _entry_closed_callbacks:
        callback(entry=entry, by=by, note=note)


# The insights' rollups (kept in `interviews.rollups`, a layer above) must follow every change
# to a mission's figures. Every such change writes a step of the mission's timeline, so
# `record_event` is the one hook: it calls `callback(mission=…)` inside the writer's
# transaction (the callback defers its work to the commit).
_mission_changed_callbacks = []


def on_mission_changed(callback):
    """Register `callback` to run each time a step is written to a mission's timeline."""
    if callback not in _mission_changed_callbacks:
        _mission_changed_callbacks.append(callback)
    return callback


def record_event(
    *,
    mission,
    by,
    subject,
    code="",
    params=None,
    message="",
    entry=None,
    from_state="",
    to_state="",
    note="",
    note_code="",
    note_params=None,
    candidate=None,
    cause="",
):
    """Append one step to the mission's (and the profile's) timeline. What the app says is a
    message `code` of `Event.MESSAGES` with its `params`, put into words when shown; `message`
    is for text that has no code. `cause` is the FailureCause a profile left the process for,
    shown with the step."""
    params, note_params = params or {}, note_params or {}
    if code:
        message = Event.render(code, params, subject=subject)
    if note_code:
        note = Event.render(note_code, note_params, subject=subject)
    event = Event.objects.create(
        mission=mission,
        entry=entry,
        candidate=candidate or (entry.candidate if entry else None),
        author=by if by and by.is_authenticated else None,
        subject=subject,
        from_state=from_state,
        to_state=to_state,
        message=message[:255],
        message_code=code,
        message_params=params,
        note=note,
        cause=cause,
        note_code=note_code,
        note_params=note_params,
    )
    for callback in _mission_changed_callbacks:
        callback(mission=mission)
    return event


# "Leave as it is" for the contacts of a mission an edit does not touch.
KEEP = object()


def _check_contacts(mission, contacts):
    strangers = [c for c in contacts if c.client_id != mission.client_id]
    if strangers:
        raise ValidationError(
            _("Not a contact of %(client)s: %(names)s.")
            % {"client": mission.client.name, "names": ", ".join(str(c) for c in strangers)},
            code="contact_of_another_client",
        )


def _name_contacts(mission, *, requester, followers):
    """Make `requester` (or nobody) and `followers` the mission's contacts; whether anything
    changed. The one who asked is not also listed as following."""
    followers = [c for c in dict.fromkeys(followers) if c != requester]
    _check_contacts(mission, [c for c in [requester, *followers] if c is not None])
    wanted = {c.pk: MissionContactRole.FOLLOWER for c in followers}
    if requester is not None:
        wanted[requester.pk] = MissionContactRole.REQUESTER
    current = dict(mission.contact_links.values_list("contact_id", "role"))
    if wanted == current:
        return False
    mission.contact_links.all().delete()
    MissionContact.objects.bulk_create(
        MissionContact(mission=mission, contact_id=pk, role=role) for pk, role in wanted.items()
    )
    return True


@transaction.atomic
def create_mission(
    *, by, client, submitted_by=None, skills=(), requester=None, followers=(), **fields
):
    """Create a mission with its reference (M-<year>-<id>) and its first timeline step.

    `skills` is an iterable of (skill, required, min_years); `requester` (the contact who
    asked) and `followers` are contacts of `client`, who hear about the mission
    (`missions.audience`). Refused (`client_archived`) for an archived client: its lock
    makes an archive and a new mission queue up; `contact_of_another_client` for a contact
    of another company.
    """
    if not lock_client(client).is_active:
        raise ValidationError(
            _("%(client)s is archived: restore it before creating a mission.")
            % {"client": client.name},
            code="client_archived",
        )
    mission = Mission.objects.create(
        client=client,
        # Unique placeholder that fits the 20-character column until the pk is known.
        reference=f"TMP-{uuid.uuid4().hex[:16]}",
        submitted_by=submitted_by,
        **fields,
    )
    # Derived from the primary key so two missions created at once never collide.
    mission.reference = f"M-{timezone.localdate():%Y}-{mission.pk:05d}"
    mission.save(update_fields=["reference"])
    for skill, required, min_years in skills:
        mission.skills.create(skill=skill, required=required, min_years=min_years)
    _name_contacts(mission, requester=requester, followers=followers)
    record_event(
        mission=mission,
        by=by,
        subject=Event.Subject.MISSION,
        to_state=mission.state,
        code="mission_created",
    )
    return mission


# What an edit of a mission may change. The rest (state, reference, the dates of its steps)
# belongs to the services that move the mission, and an edit never writes it back.
EDITABLE_MISSION_FIELDS = (
    "client",
    "title",
    "description",
    "seniority",
    "budget",
    "start_date",
    "duration_months",
    "location",
    "remote_policy",
    "technical_test",
    "technical_test_details",
    "owner",
    "submitted_by",
)
PERIOD_FIELDS = {"start_date", "duration_months"}


def shortlist_was_sent(mission):
    """Whether the client has seen profiles of this mission (R3: the mission stays theirs)."""
    return mission.shortlist.filter(sent_at__isnull=False).exists()


def _changed_fields(mission, fields):
    """The names of `fields` whose value differs from the (locked) mission's."""
    changed = []
    for name, value in fields.items():
        field = Mission._meta.get_field(name)
        if field.is_relation:
            current, value = getattr(mission, field.attname), getattr(value, "pk", value)
        else:
            current = getattr(mission, name)
        if value != current:
            changed.append(name)
    return changed


def _skill_rows(skills):
    """{skill id: (required, min_years)}: one row per skill, as the database allows."""
    return {skill.pk: (bool(required), min_years or 0) for skill, required, min_years in skills}


def _replace_skills(mission, skills):
    """Give the mission exactly `skills`; whether anything changed."""
    wanted = _skill_rows(skills)
    current = {s.skill_id: (s.required, s.min_years) for s in mission.skills.all()}
    if wanted == current:
        return False
    mission.skills.all().delete()
    MissionSkill.objects.bulk_create(
        MissionSkill(mission=mission, skill_id=skill_id, required=required, min_years=years)
        for skill_id, (required, years) in wanted.items()
    )
    return True


def _refuse_client_change(mission):
    if shortlist_was_sent(mission):
        raise ValidationError(
            _(
                "Profiles of this mission were already sent to %(client)s: the mission stays "
                "theirs. Create a new mission for another client."
            )
            % {"client": mission.client.name},
            code="client_frozen",
        )


@transaction.atomic
def update_mission(*, mission, by, fields, skills=None, requester=KEEP, followers=KEEP):
    """Edit a mission's description of the need: `fields` maps names of
    EDITABLE_MISSION_FIELDS to values, `skills` (when given) is the whole list of
    (skill, required, min_years), `requester` and `followers` (when given) its contacts.
    Only what changed is written, with one timeline step. Contacts of the former client
    leave a mission that changes client.

    Refused once profiles were sent when the client changes (`client_frozen`, R3), and when
    a new period would overlap another placement of the selected profile (`already_placed`,
    R6). The state and the other fields the services own are never written here, so an edit
    made from a page read before a selection cannot undo it.
    """
    unknown = set(fields) - set(EDITABLE_MISSION_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on a mission: {', '.join(sorted(unknown))}")
    mission, placements = lock_placement(mission)
    changed = _changed_fields(mission, fields)
    if "client" in changed:
        _refuse_client_change(mission)
    for name in changed:
        setattr(mission, name, fields[name])
    if PERIOD_FIELDS & set(changed):
        for entry in placements:
            _move_placement_with_mission(entry, mission, by=by)
    if changed:
        mission.save(update_fields=[*changed, "updated_at"])
    names = list(changed)
    if skills is not None and _replace_skills(mission, skills):
        names.append("skills")
    if _update_contacts(mission, requester=requester, followers=followers):
        names.append("contacts")
    if names:
        record_event(
            mission=mission,
            by=by,
            subject=Event.Subject.MISSION,
            code="mission_edited",
            note_code="fields_changed",
            note_params={"fields": names},
        )
    return mission


def _update_contacts(mission, *, requester, followers):
    """`_name_contacts` for an edit: what is not given stays, but for contacts of a former
    client, who leave a mission that changed client."""
    links = mission.contact_links.select_related("contact")
    kept = [x for x in links if x.contact.client_id == mission.client_id]
    if requester is KEEP:
        requester = next((x.contact for x in kept if x.role == MissionContactRole.REQUESTER), None)
    if followers is KEEP:
        followers = [x.contact for x in kept if x.role == MissionContactRole.FOLLOWER]
    return _name_contacts(mission, requester=requester, followers=followers)


@transaction.atomic
def submit_demand(*, client, by, **fields):
    """A client contact's demand from the portal: a draft mission of their company, owned by
    the client's recruiter, asked for by its author, and an email to every recruiter to
    qualify it (queued with it)."""
    mission = create_mission(
        by=by,
        client=client,
        submitted_by=by,
        owner=client.owner,
        requester=ClientContact.objects.filter(user=by, client=client).first(),
        **fields,
    )
    notifications.demand_submitted(mission.pk)
    return mission


def _check_mission_move(mission, to):
    if to not in MISSION_TRANSITIONS[MissionState(mission.state)]:
        raise ValidationError(
            _("A mission cannot go from “%(from)s” to “%(to)s”."),
            code="illegal_transition",
            params={
                "from": MissionState(mission.state).label,
                "to": MissionState(to).label,
            },
        )


def _move_mission(mission, to, *, by, note=""):
    """Move a locked mission to `to` (checked) and record it."""
    _check_mission_move(mission, to)
    from_state = mission.state
    mission.state = to
    fields = ["state", "updated_at"]
    if to == MissionState.OPEN and mission.opened_at is None:
        mission.opened_at = timezone.now()
        fields.append("opened_at")
    if to in MISSION_FINAL_STATES or to == MissionState.ON_HOLD:
        mission.state_reason = note[:255]
        fields.append("state_reason")
    mission.save(update_fields=fields)
    record_event(
        mission=mission,
        by=by,
        subject=Event.Subject.MISSION,
        from_state=from_state,
        to_state=to,
        code="mission",
        note=note,
    )
    return mission


# R8: the states only an action causes — sending the shortlist, scheduling an interview,
# selecting a profile — so the mission's state follows its entries and is never set by hand.
STATES_SET_BY_ACTIONS = {
    MissionState.SHORTLIST_SENT: _lazy("A mission's shortlist is sent with “Send the shortlist”."),
    MissionState.INTERVIEWING: _lazy(
        "A mission moves to interviewing when an interview is scheduled."
    ),
    # Only `select_candidate` fills a mission, so a filled mission always has its profile.
    MissionState.FILLED: _lazy("A mission is filled by selecting one of its profiles."),
}
WORKING_STATES = (
    MissionState.DRAFT,
    MissionState.OPEN,
    MissionState.SHORTLIST_SENT,
    MissionState.INTERVIEWING,
)


def resumed_state(mission):
    """Where a mission on hold goes back to: the state its shortlist implies, as if it had
    never been paused — draft if it was never opened, else interviewing if one of its
    profiles ever had an interview, else shortlist sent if one was ever sent, else open."""
    if mission.opened_at is None:
        return MissionState.DRAFT
    entries = ShortlistEntry.objects.filter(mission=mission)
    if entries.filter(interviews__isnull=False).exists():
        return MissionState.INTERVIEWING
    if entries.filter(sent_at__isnull=False).exists():
        return MissionState.SHORTLIST_SENT
    return MissionState.OPEN


def hand_transitions(mission):
    """The states a recruiter may move this mission to by hand (the desk's state form): the
    legal moves but those only an action causes; from on hold, back to `resumed_state` only."""
    if mission.state == MissionState.ON_HOLD:
        resumed = resumed_state(mission)
        return [s for s in mission.allowed_transitions() if s not in WORKING_STATES or s == resumed]
    return [s for s in mission.allowed_transitions() if s not in STATES_SET_BY_ACTIONS]


def _check_hand_move(mission, to):
    if mission.state == MissionState.ON_HOLD and to in WORKING_STATES:
        resumed = resumed_state(mission)
        if to != resumed:
            raise ValidationError(
                _("A mission on hold resumes where its shortlist stands: %(state)s.")
                % {"state": resumed.label},
                code="illegal_transition",
            )
    elif to in STATES_SET_BY_ACTIONS:
        raise ValidationError(str(STATES_SET_BY_ACTIONS[to]), code="illegal_transition")


@transaction.atomic
def transition_mission(*, mission, to, by, note=""):
    """Move a mission to another state by hand: open a draft, put on hold and resume,
    cancel or lose it.

    A state only an action causes (shortlist sent, interviewing, filled) is refused, and a
    mission on hold resumes only to `resumed_state`. Cancelling or losing a mission needs a
    reason; its active entries are closed (not retained, or withdrawn by the agency if never
    sent).
    """
    mission = lock_mission(mission)
    to = MissionState(to)
    _check_hand_move(mission, to)
    if to in (MissionState.CANCELLED, MissionState.LOST) and not note.strip():
        raise ValidationError(_("Say why the mission ends."), code="reason_required")
    _move_mission(mission, to, by=by, note=note)
    if to in (MissionState.CANCELLED, MissionState.LOST):
        entries = ShortlistEntry.objects.filter(state__in=ENTRY_ACTIVE_STATES)
        for entry in lock_entries(mission, entries):
            _close_entry_with_mission(
                entry, by=by, note_code="mission_ended", note_params={"mission_state": str(to)}
            )
    return mission


def _close_entry_with_mission(entry, *, by, note_code, note_params=None):
    """Close an active entry because its mission ended or another profile was selected.

    The client never saw a proposed entry, so the agency withdraws it; a sent one was not
    retained by the client.
    """
    why = {"note_code": note_code, "note_params": note_params or {}}
    if entry.state == EntryState.PROPOSED:
        return _move_entry(entry, EntryState.WITHDRAWN, by=by, ended_by=EndedBy.AGENCY, **why)
    return _move_entry(entry, EntryState.NOT_RETAINED, by=by, ended_by=EndedBy.CLIENT, **why)


def _close_entry_for_selection(entry, *, by, note_code):
    """Close an active entry because another profile was selected: it is not retained. The
    candidate did not withdraw and, for a profile never sent, the client never saw it: the
    closing is the agency's (the system's), done by the selection."""
    ended_by = EndedBy.AGENCY if entry.state == EntryState.PROPOSED else EndedBy.CLIENT
    return _move_entry(
        entry, EntryState.NOT_RETAINED, by=by, ended_by=ended_by, note_code=note_code
    )


def shortlist_warnings(*, mission, candidate):
    """R7: reasons to think twice before positioning this profile on this mission, as
    {"code", "params"} (`warning_text` puts one into words)."""
    warnings = []
    others = (
        ShortlistEntry.objects.active()
        .filter(candidate=candidate, mission__client_id=mission.client_id)
        .exclude(mission=mission)
        .select_related("mission")
    )
    for entry in others:
        warnings.append({"code": "already_active", "params": {"ref": entry.mission.reference}})
    if mission.budget and candidate.day_rate > mission.budget:
        warnings.append(
            {
                "code": "over_budget",
                "params": {"rate": candidate.day_rate, "budget": mission.budget},
            }
        )
    return warnings


@transaction.atomic
def shortlist_candidate(*, mission, candidate, by, confirm_warnings=False):
    """Position a profile on a mission (R1: at most four active entries, once per mission).

    Raises `ValidationError` with code `shortlist_full`, `already_shortlisted`,
    `mission_closed`, `profile_archived` or `confirmation_required` (R7 warnings not yet
    confirmed).
    """
    mission = lock_mission(mission)
    if mission.state in MISSION_FINAL_STATES or mission.state == MissionState.ON_HOLD:
        raise ValidationError(
            _("The mission is %(state)s: its shortlist cannot change.")
            % {"state": MissionState(mission.state).label.lower()},
            code="mission_closed",
        )
    # The profile as it is now (last in the lock order): an archive or an anonymisation that
    # committed meanwhile is seen, and the rate is the current ask, not the page's.
    candidate = lock_profile(candidate)
    if candidate.archived_at is not None or candidate.anonymised_at is not None:
        raise ValidationError(
            _("This profile is archived: restore it before positioning it."),
            code="profile_archived",
        )
    if mission.shortlist.filter(candidate=candidate).exists():
        raise ValidationError(
            _("%(name)s is already on this mission's shortlist.") % {"name": candidate.full_name},
            code="already_shortlisted",
        )
    taken = set(mission.shortlist.active().values_list("slot", flat=True))
    if len(taken) >= SHORTLIST_CAP:
        raise ValidationError(
            _("The shortlist is full: %(cap)s profiles at most. Remove one to add another.")
            % {"cap": SHORTLIST_CAP},
            code="shortlist_full",
        )
    warning_codes = shortlist_warnings(mission=mission, candidate=candidate)
    warnings = [warning_text(w, name=candidate.full_name) for w in warning_codes]
    if warnings and not confirm_warnings:
        # A list-built ValidationError drops `code`: set it on the whole error (and on each
        # warning) so callers can test `exc.code` and still list `exc.messages` one by one.
        error = ValidationError(
            [ValidationError(warning, code="confirmation_required") for warning in warnings]
        )
        error.code = "confirmation_required"
        raise error
    last_position = mission.shortlist.aggregate(m=Max("position"))["m"] or 0
    entry = ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        slot=min(set(range(1, SHORTLIST_CAP + 1)) - taken),
        position=last_position + 1,
        candidate_rate=candidate.day_rate,
        client_rate=_suggested_client_rate(mission, candidate),
        warnings="\n".join(warnings),
        warning_codes=warning_codes,
        added_by=by,
    )
    record_event(
        mission=mission,
        entry=entry,
        by=by,
        subject=Event.Subject.ENTRY,
        to_state=entry.state,
        code="shortlist_added",
        params={"name": candidate.full_name},
        **(
            {
                "note_code": "warnings",
                "note_params": {"warnings": warning_codes, "name": candidate.full_name},
            }
            if warning_codes
            else {}
        ),
    )
    return entry


def _suggested_client_rate(mission, candidate):
    """A starting price that never sells at a loss (see `money.suggested_client_rate`)."""
    return money.suggested_client_rate(mission.budget, candidate.day_rate)


def _illegal_move(entry, to):
    return ValidationError(
        _("A profile cannot go from “%(from)s” to “%(to)s”."),
        code="illegal_transition",
        params={"from": EntryState(entry.state).label, "to": EntryState(to).label},
    )


def _check_entry_move(entry, to):
    if to not in ENTRY_TRANSITIONS[EntryState(entry.state)]:
        raise _illegal_move(entry, to)


def _move_entry(entry, to, *, by, ended_by="", reason="", note="", note_code="", note_params=None):
    """Move an entry (already locked by the caller) to `to`, freeing its slot if it leaves.
    A note the app writes comes as `note_code` and `note_params` (see `record_event`)."""
    if note_code:
        note = Event.render(note_code, note_params or {}, subject=Event.Subject.ENTRY)
    _check_entry_move(entry, to)
    from_state = entry.state
    now = timezone.now()
    entry.state = to
    if to not in ENTRY_ACTIVE_STATES:
        entry.slot = None
        entry.closed_at = now
        entry.ended_by = ended_by
        entry.end_reason = reason
        entry.end_note = note
        entry.follow_up_requested_at = None  # R8: no interview is arranged any more
    if to == EntryState.SENT:
        entry.sent_at = now
    if from_state == EntryState.SENT and to != EntryState.WITHDRAWN:
        entry.answered_at = entry.answered_at or now
    entry.save()
    record_event(
        mission=entry.mission,
        entry=entry,
        by=by,
        subject=Event.Subject.ENTRY,
        from_state=from_state,
        to_state=to,
        code="profile",
        params={"name": entry.candidate.full_name},
        note=note,
        cause=reason,
        note_code=note_code,
        note_params=note_params,
    )
    if to not in ENTRY_ACTIVE_STATES:
        _entry_closed(entry, by=by)
    return entry


@transaction.atomic
def remove_from_shortlist(*, entry, by):
    """Take a profile off the shortlist. A draft entry the client never saw is deleted;
    a sent one is withdrawn by the agency and stays in the history."""
    entry = lock_entry(entry)
    if entry.state == EntryState.PROPOSED:
        record_event(
            mission=entry.mission,
            by=by,
            subject=Event.Subject.ENTRY,
            candidate=entry.candidate,
            from_state=entry.state,
            code="shortlist_removed",
            params={"name": entry.candidate.full_name},
        )
        entry.delete()
        return None
    return _move_entry(entry, EntryState.WITHDRAWN, by=by, ended_by=EndedBy.AGENCY)


@transaction.atomic
def move_in_shortlist(*, entry, by, up):
    """Swap an active entry with its neighbour in the shortlist's order.

    Refused (code `entry_not_active`) when the entry left the shortlist meanwhile.
    """
    entry = lock_entry(entry)
    if entry.state not in ENTRY_ACTIVE_STATES:
        raise ValidationError(
            _("%(name)s is no longer on the shortlist (now: %(state)s).")
            % {"name": entry.candidate.full_name, "state": EntryState(entry.state).label},
            code="entry_not_active",
        )
    entries = list(entry.mission.shortlist.active().order_by("position", "created_at"))
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    neighbour = index - 1 if up else index + 1
    if not 0 <= neighbour < len(entries):
        return
    entries[index], entries[neighbour] = entries[neighbour], entries[index]
    for position, item in enumerate(entries, start=1):
        if item.position != position:
            ShortlistEntry.objects.filter(pk=item.pk).update(position=position)


# The mission states a shortlist can be sent from (the first send moves an open mission on).
SENDABLE_MISSION_STATES = (
    MissionState.OPEN,
    MissionState.SHORTLIST_SENT,
    MissionState.INTERVIEWING,
)


def send_refusal(*, mission, proposed):
    """Why the `proposed` entries of `mission` cannot be sent now, as the `ValidationError`
    `send_shortlist` raises, or None when they can. The mission page reads it to disable its
    send button with the reason, so the button and the service apply one rule."""
    if mission.state not in SENDABLE_MISSION_STATES:
        return ValidationError(
            _("A shortlist can be sent only on an open mission (now: %(state)s).")
            % {"state": MissionState(mission.state).label},
            code="mission_not_open",
        )
    if not proposed:
        return ValidationError(
            _("Add at least one profile before sending."), code="nothing_to_send"
        )
    missing = [e.candidate.full_name for e in proposed if not e.report.strip() or not e.client_rate]
    if missing:
        return ValidationError(
            _("Write the report and the rate for the client of: %(names)s.")
            % {"names": ", ".join(missing)},
            code="report_missing",
        )
    return None


@transaction.atomic
def send_shortlist(*, mission, by):
    """Send the proposed entries to the client: they become *sent*, the mission
    *shortlist sent*, and the client contacts get an email (queued with the change).

    Refused as `send_refusal` says: on a mission that is not open, with nothing to send, or
    with an entry lacking its report or its rate for the client.
    """
    mission = lock_mission(mission)
    proposed = lock_entries(mission, ShortlistEntry.objects.filter(state=EntryState.PROPOSED))
    refusal = send_refusal(mission=mission, proposed=proposed)
    if refusal is not None:
        raise refusal
    if mission.state == MissionState.OPEN:
        _move_mission(mission, MissionState.SHORTLIST_SENT, by=by)
    for entry in proposed:
        entry.mission = mission
        _move_entry(entry, EntryState.SENT, by=by)
    notifications.shortlist_sent(mission.pk, [e.pk for e in proposed])
    return proposed


@transaction.atomic
def request_interview(*, entry, by, slots=""):
    """The client asks to meet a sent profile (portal)."""
    entry = lock_entry(entry)
    entry.interview_slots = slots
    _move_entry(entry, EntryState.INTERVIEW_REQUESTED, by=by, note=slots)
    notifications.client_answered(entry.pk)
    return entry


def _check_cause(reason, *, required):
    """A cause is one of FailureCause, said explicitly: none is ever assumed, since each one
    feeds the failure statistics."""
    if reason in FailureCause.values or (not reason and not required):
        return
    raise ValidationError(_("Choose a cause."), code="cause_required")


@transaction.atomic
def decline_entry(*, entry, by, reason, note=""):
    """The client declines a sent profile, with a reason."""
    _check_cause(reason, required=True)
    entry = lock_entry(entry)
    _move_entry(
        entry, EntryState.DECLINED, by=by, ended_by=EndedBy.CLIENT, reason=reason, note=note
    )
    notifications.client_answered(entry.pk)
    return entry


@transaction.atomic
def withdraw_entry(*, entry, by, reason, note=""):
    """The candidate is lost (another mission, unavailable…): the slot frees (R1)."""
    _check_cause(reason, required=True)
    entry = lock_entry(entry)
    return _move_entry(
        entry, EntryState.WITHDRAWN, by=by, ended_by=EndedBy.CANDIDATE, reason=reason, note=note
    )


@transaction.atomic
def mark_not_retained(*, entry, by, reason="", note=""):
    """The client does not go on with a profile after interviews; the cause is optional."""
    _check_cause(reason, required=False)
    entry = lock_entry(entry)
    if entry.state == EntryState.PROPOSED:
        # Only a selection closes a draft as not retained; by hand, a draft is removed.
        raise _illegal_move(entry, EntryState.NOT_RETAINED)
    return _move_entry(
        entry, EntryState.NOT_RETAINED, by=by, ended_by=EndedBy.CLIENT, reason=reason, note=note
    )


def start_interviewing(*, entry, by):
    """Called inside `schedule_interview`'s transaction: the entry and mission move on."""
    if entry.state in (EntryState.SENT, EntryState.INTERVIEW_REQUESTED):
        _move_entry(entry, EntryState.INTERVIEWING, by=by)
    mission = entry.mission  # locked with the entry by the caller (`lock_entry`)
    if mission.state == MissionState.SHORTLIST_SENT:
        _move_mission(mission, MissionState.INTERVIEWING, by=by)


def _refuse_overlapping_placement(entry, period):
    """R6: refused (`already_placed`) when the entry's profile has a placement on another
    mission sharing a day with `period`. Called with the profile locked."""
    placement = overlapping_placement(entry.candidate, period, excluding_mission=entry.mission)
    if placement is None:
        return
    raise ValidationError(
        _(
            "%(name)s is already placed on %(ref)s (%(period)s), which overlaps this "
            "mission's period: one placement at a time."
        ),
        code="already_placed",
        params={
            "name": entry.candidate.full_name,
            "ref": placement.mission.reference,
            "period": period_text(placement.period),
            "until": placement.end,
        },
    )


def _check_compliance(entry, *, by, exception_reason, today):
    """R9: a profile lacking a mandatory document is selected only with an exception the
    recruiter records (who, when, why), audited on the timeline; else refused with the
    missing documents (`compliance_missing`)."""
    missing = compliance.missing_documents(entry.candidate, day=today)
    if not missing:
        return
    names = compliance.labels(missing)
    if not exception_reason.strip():
        raise ValidationError(
            _(
                "%(name)s cannot be selected: mandatory compliance documents are missing or "
                "expired (%(documents)s). Upload them, or record an exception with its reason."
            ),
            code="compliance_missing",
            params={"name": entry.candidate.full_name, "documents": names},
        )
    ComplianceException.objects.create(
        entry=entry, missing=names[:255], reason=exception_reason.strip(), author=by
    )
    record_event(
        mission=entry.mission,
        entry=entry,
        by=by,
        subject=Event.Subject.ENTRY,
        code="compliance_exception",
        params={"name": entry.candidate.full_name},
        note_code="compliance_exception_note",
        note_params={"documents": names, "reason": exception_reason.strip()},
    )


def _sync_availability(candidate, *, today):
    """The profile is free again the day after its latest placement (see `Placement`); an
    open-ended placement leaves the date as it is (nobody knows it)."""
    ends = list(Placement.objects.filter(candidate_id=candidate.pk).values_list("end", flat=True))
    if not ends or None in ends:
        return
    candidate_services.follow_placement(
        candidate=candidate, available_from=max(ends) + timedelta(days=1), today=today
    )


@transaction.atomic
def select_candidate(*, entry, by, note="", compliance_exception=""):
    """The client picks this profile: the mission is filled, the profile placed (a
    `Placement` over the mission's period, at the entry's rates), its availability follows the
    placement's end, and the other active entries close (not retained, or withdrawn if never
    sent).

    R6: refused (code "already_placed") when the profile is already placed on another
    mission whose period overlaps this one. R9: refused (code "compliance_missing") while a
    mandatory compliance document is missing or expired, unless `compliance_exception` says
    why the recruiter allows it (recorded, with its author, on the timeline)."""
    today = timezone.localdate()
    entry = lock_entry(entry)
    mission = entry.mission
    _check_entry_move(entry, EntryState.SELECTED)  # before closing the others
    # The other entries (and, through R8, their interviews) are closed before the profile is
    # locked: the profile comes last in the lock order. A refusal below rolls it all back.
    others = ShortlistEntry.objects.filter(state__in=ENTRY_ACTIVE_STATES).exclude(pk=entry.pk)
    for other in lock_entries(mission, others):
        _close_entry_for_selection(other, by=by, note_code="another_selected")
    # Two selections of the same profile on two missions queue on the profile's row, so
    # the second one reads the first one's committed placement below.
    entry.candidate = lock_profile(entry.candidate)
    period = placement_period(mission, today=today)
    _refuse_overlapping_placement(entry, period)
    _check_compliance(entry, by=by, exception_reason=compliance_exception, today=today)
    _move_entry(entry, EntryState.SELECTED, by=by, note=note)
    Placement.objects.create(
        entry=entry,
        mission=mission,
        candidate=entry.candidate,
        start=period.start,
        end=period.end,
        sold_rate=entry.client_rate or entry.candidate_rate,
        bought_rate=entry.candidate_rate,
    )
    _sync_availability(entry.candidate, today=today)
    _move_mission(mission, MissionState.FILLED, by=by)
    notifications.candidate_selected(entry.pk)
    return entry


def _move_placement_with_mission(entry, mission, *, by):
    """A filled mission's new period moves its placement (unless it ended early: its dates
    are the record of what happened), checked against R6 like a selection."""
    entry.mission = mission
    placement = Placement.objects.filter(entry=entry).first()
    if placement is None or placement.ended_early:
        return
    period = Period.of_mission(mission.start_date or placement.start, mission.duration_months)
    _refuse_overlapping_placement(entry, period)
    placement.start, placement.end = period.start, period.end
    placement.save(update_fields=["start", "end"])
    _sync_availability(entry.candidate, today=timezone.localdate())


# ---------------------------------------------------------------- placements


def _locked_placement(placement):
    """The placement re-read once its mission, its entry and its profile are locked, in the
    one order: every writer of a placement takes these locks first, so it needs none of its
    own, and R6 is checked against committed rows."""
    entry = lock_entry(placement.entry)
    entry.candidate = lock_profile(entry.candidate)
    placement = Placement.objects.get(pk=placement.pk)
    placement.entry, placement.mission, placement.candidate = entry, entry.mission, entry.candidate
    return placement


def _refuse_if_ended_early(placement):
    if placement.ended_early:
        raise ValidationError(
            _("This placement already ended on %(date)s.")
            % {"date": short_date(placement.end, year=True)},
            code="placement_ended",
        )


def _placement_event(placement, *, by, code, params, note_code, note_params):
    record_event(
        mission=placement.mission,
        entry=placement.entry,
        by=by,
        subject=Event.Subject.ENTRY,
        code=code,
        params=params,
        note_code=note_code,
        note_params=note_params,
    )


@transaction.atomic
def extend_placement(*, placement, by, end, note=""):
    """Renew a placement until `end` (its new last day), with a timeline step.

    Refused when it ended early (`placement_ended`), when `end` is not after the current end
    (`not_later`), or when the longer placement would overlap another one of the profile
    (`already_placed`, R6). The profile's availability follows the new end."""
    placement = _locked_placement(placement)
    _refuse_if_ended_early(placement)
    if end < placement.start or (placement.end is not None and end <= placement.end):
        raise ValidationError(
            _("The new end must come after the current one (%(date)s).")
            % {"date": short_date(placement.end or placement.start, year=True)},
            code="not_later",
        )
    _refuse_overlapping_placement(placement.entry, Period(placement.start, end))
    previous = placement.end
    placement.end = end
    placement.renewal_reminder_sent_on = None
    placement.save(update_fields=["end", "renewal_reminder_sent_on"])
    _placement_event(
        placement,
        by=by,
        code="placement_extended",
        params={"name": placement.candidate.full_name, "date": end.isoformat()},
        note_code="placement_previous_end",
        note_params={"previous_date": previous.isoformat() if previous else None, "note": note},
    )
    _sync_availability(placement.candidate, today=timezone.localdate())
    return placement


@transaction.atomic
def end_placement_early(*, placement, by, last_day, reason):
    """Stop a placement before its end: `last_day` is the last day worked, `reason` says why
    (required). Recorded on the timeline; the profile is available the day after.

    Refused when it already ended early (`placement_ended`), without a reason
    (`reason_required`), or when `last_day` is not within the placement (`not_earlier`)."""
    if not reason.strip():
        raise ValidationError(_("Say why the placement ends early."), code="reason_required")
    placement = _locked_placement(placement)
    _refuse_if_ended_early(placement)
    if last_day < placement.start or (placement.end is not None and last_day >= placement.end):
        raise ValidationError(
            _("The last day must fall within the placement, before its planned end."),
            code="not_earlier",
        )
    planned = placement.end
    placement.end = last_day
    placement.ended_early_at = timezone.now()
    placement.end_reason = reason.strip()
    placement.save(update_fields=["end", "ended_early_at", "end_reason"])
    _placement_event(
        placement,
        by=by,
        code="placement_ended_early",
        params={"name": placement.candidate.full_name, "date": last_day.isoformat()},
        note_code="placement_planned_end",
        note_params={
            "planned_date": planned.isoformat() if planned else None,
            "reason": placement.end_reason,
        },
    )
    _sync_availability(placement.candidate, today=timezone.localdate())
    return placement


# ---------------------------------------------------------------- archives (R5)


@transaction.atomic
def archive_mission(*, mission, by):
    """Set a finished mission aside (R5: archived, never deleted); its history stays and the
    timeline says who archived it. An unfinished mission must be closed first."""
    mission = lock_mission(mission)
    if mission.archived_at is not None:
        return mission
    if mission.state not in MISSION_FINAL_STATES:
        raise ValidationError(
            _("Only a filled, cancelled or lost mission can be archived (now: %(state)s).")
            % {"state": MissionState(mission.state).label},
            code="mission_not_final",
        )
    mission.archived_at = timezone.now()
    mission.save(update_fields=["archived_at"])
    record_event(mission=mission, by=by, subject=Event.Subject.MISSION, code="mission_archived")
    return mission


@transaction.atomic
def restore_mission(*, mission, by):
    """Bring an archived mission back into the lists; the timeline says who did it."""
    mission = lock_mission(mission)
    if mission.archived_at is None:
        return mission
    mission.archived_at = None
    mission.save(update_fields=["archived_at"])
    record_event(
        mission=mission,
        by=by,
        subject=Event.Subject.MISSION,
        code="mission_restored",
    )
    return mission


@transaction.atomic
def archive_client(*, client, by):
    """Make a client inactive (R5: archived, never deleted): its contacts lose the portal.
    Refused while one of its missions is not finished."""
    client = lock_client(client)
    unfinished = client.missions.exclude(state__in=MISSION_FINAL_STATES).order_by("reference")
    references = [mission.reference for mission in unfinished]
    if references:
        raise ValidationError(
            _("Missions not finished (%(missions)s): close them before archiving the client.")
            % {"missions": ", ".join(references)},
            code="client_has_open_missions",
        )
    if client.is_active:
        client.is_active = False
        client.save(update_fields=["is_active"])
    return client


@transaction.atomic
def restore_client(*, client, by):
    """Make an archived client active again: its contacts get the portal back."""
    client = lock_client(client)
    if not client.is_active:
        client.is_active = True
        client.save(update_fields=["is_active"])
    return client


# ---------------------------------------------------------------- the client's answers


@transaction.atomic
def client_declines(*, entry, by, reason, note=""):
    """The client says no to a profile from the portal, with a reason.

    Decided on the locked row: before any interview it is a decline; once interviews have
    started the entry is not retained (a decline is for a profile not met yet). Either way
    the recruiter hears of it by an email queued with the change.
    """
    _check_cause(reason, required=True)
    entry = lock_entry(entry)
    to = EntryState.NOT_RETAINED if entry.state == EntryState.INTERVIEWING else EntryState.DECLINED
    _move_entry(entry, to, by=by, ended_by=EndedBy.CLIENT, reason=reason, note=note)
    notifications.client_answered(entry.pk)
    return entry


# ---------------------------------------------------------------- the report and the price

# The client has read the report and the price from *sent* on: a change there is a step of
# the timeline. Once selected or closed, they are the record of what was sold: frozen.
ENTRY_EDITABLE_QUIETLY = {EntryState.PROPOSED}
ENTRY_EDITABLE_ON_RECORD = {
    EntryState.SENT,
    EntryState.INTERVIEW_REQUESTED,
    EntryState.INTERVIEWING,
}


@transaction.atomic
def update_entry(*, entry, by, report, client_rate, **parts):
    """Change the recruiter's report and the rate sold to the client. `report` is "why this
    profile"; `parts` the report's other parts by field name (REPORT_FIELDS), each left as
    it is when not given.

    A proposed entry changes freely; a sent one records each change on the timeline (the
    client has seen the old values); a selected or closed one is refused (`entry_closed`).
    """
    unknown = set(parts) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Not a part of the report: {', '.join(sorted(unknown))}")
    entry = lock_entry(entry)
    state = EntryState(entry.state)
    if state not in ENTRY_EDITABLE_QUIETLY | ENTRY_EDITABLE_ON_RECORD:
        raise ValidationError(
            _("%(name)s is %(state)s: the report and the rate can no longer change.")
            % {"name": entry.candidate.full_name, "state": state.label.lower()},
            code="entry_closed",
        )
    wanted = {"report": report, **parts}
    changed = [
        name for name in REPORT_FIELDS if name in wanted and wanted[name] != getattr(entry, name)
    ]
    about = {"about": entry.candidate.full_name}
    changes = []
    if client_rate != entry.client_rate:
        changes.append(
            ("client_rate_changed", {**about, "old": entry.client_rate, "new": client_rate})
        )
    if changed:
        changes.append(("report_changed", {**about, "parts": changed}))
    if not changes:
        return entry
    for name in changed:
        setattr(entry, name, wanted[name])
    entry.client_rate = client_rate
    entry.save(update_fields=[*changed, "client_rate"])
    if state in ENTRY_EDITABLE_ON_RECORD:
        for code, params in changes:
            record_event(
                mission=entry.mission,
                entry=entry,
                by=by,
                subject=Event.Subject.ENTRY,
                code=code,
                params=params,
            )
    return entry


# ---------------------------------------------------------------- chasing the client

# A client is reminded at most once in this span: a second email the same day reads as nagging.
FOLLOW_UP_INTERVAL = timedelta(days=1)


@transaction.atomic
def follow_up_client(*, mission, by, now=None):
    """Email the mission's contacts that profiles sent for it wait for their answer,
    and record it on the timeline.

    Refused (codes `nothing_waiting`, `followed_up_recently`, `no_contact`) when no sent
    profile waits any more, when the client was reminded less than FOLLOW_UP_INTERVAL ago, or
    when no contact of the client has an email address.
    """
    now = now or timezone.now()
    mission = lock_mission(mission)
    waiting = mission.shortlist.filter(state=EntryState.SENT).count()
    if not waiting:
        raise ValidationError(
            _("No profile of this mission is waiting for the client's answer any more."),
            code="nothing_waiting",
        )
    last = mission.client_reminded_at
    if last is not None and now - last < FOLLOW_UP_INTERVAL:
        raise ValidationError(
            _(
                "The client was already reminded at %(time)s: give them a day to answer "
                "before the next reminder."
            )
            % {"time": formats.time_format(timezone.localtime(last), "H:i")},
            code="followed_up_recently",
        )
    if not mission_emails(mission):
        raise ValidationError(
            _("No contact of %(client)s has an email address: add one to remind them.")
            % {"client": mission.client.name},
            code="no_contact",
        )
    mission.client_reminded_at = now
    mission.save(update_fields=["client_reminded_at"])
    record_event(
        mission=mission,
        by=by,
        subject=Event.Subject.MISSION,
        code="client_reminded",
        note_code="profiles_waiting",
        note_params={"n": waiting},
    )
    notifications.client_follow_up(mission.pk)
    return mission


# ---------------------------------------------------------------- the freelancer's availability


def record_availability_update(*, candidate, previous):
    """The freelancer gave their availability (emailed link): each of their active processes
    records it, so the recruiters following them see it on the mission's and the profile's
    timeline. Registered with `candidates.services.on_availability_updated`."""
    confirmed = previous == candidate.available_from
    code = "availability_confirmed" if confirmed else "availability_changed"
    params = {"name": candidate.full_name, "date": candidate.available_from.isoformat()}
    entries = ShortlistEntry.objects.active().filter(candidate=candidate).select_related("mission")
    for entry in entries:
        record_event(
            mission=entry.mission,
            entry=entry,
            candidate=candidate,
            by=None,
            subject=Event.Subject.ENTRY,
            code=code,
            params=params,
            note_code="availability_link",
        )

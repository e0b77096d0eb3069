"""A person's data over time (R5, GDPR): archive a profile instead of deleting it, export all
that is held on a person, anonymise it while keeping the anonymous history, and find the
profiles kept longer than the retention period.

GDPR code reads every app's models about a person (shortlist entries, interviews, the
timeline) directly: it sits beside the views, above the domain layers.
"""

import calendar
import json
import logging
import re

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import (
    Candidate,
    CandidateSkill,
    CvDownload,
    CvSkillSuggestion,
    CvText,
    Experience,
    Project,
)
from interviews.models import Interview, InterviewSkillRating
from missions.locking import lock_profile
from missions.models import REPORT_FIELDS, EntryState, Event, ShortlistEntry
from missions.placements import current_placement
from staffing import access

audit_log = logging.getLogger("staffing.gdpr")

ANONYMISED_FIRST_NAME = "Anonymised"
RETENTION_MONTHS = 24
# The entry states of a process still under way: the person may still be called, so their
# profile stays whole. A selected entry keeps its slot for good, so it counts only while its
# mission has not ended (a current placement).
IN_PROGRESS_STATES = (
    EntryState.PROPOSED,
    EntryState.SENT,
    EntryState.INTERVIEW_REQUESTED,
    EntryState.INTERVIEWING,
)

# Fields wiped by anonymisation; what stays (skills, seniority, rates, channel, dates, the
# shortlist, interviews and timeline) feeds statistics without naming anyone.
WIPED_FIELDS = (
    "email",
    "phone",
    "linkedin_url",
    "address",
    "languages",
    "soft_skill_notes",
    "internal_notes",
)
# Free text kept with the history, where the person's name is replaced.
ENTRY_TEXT_FIELDS = (*REPORT_FIELDS, "end_note", "warnings", "interview_slots")
INTERVIEW_TEXT_FIELDS = (
    "hard_skills_notes",
    "soft_skills_notes",
    "summary",
    "internal_notes",
    "failure_notes",
    "client_feedback",
)
# `message_params` and `note_params` hold the values the app's timeline texts are written
# with (names among them).
EVENT_TEXT_FIELDS = ("message", "message_params", "note", "note_params")


def may_handle_personal_data(user):
    """Whether `user` may export or anonymise a profile from the desk: admins, and the
    recruiters granted the permission in the admin. The one rule the pages and views ask."""
    return access.is_admin(user) or (
        access.is_recruiter(user) and user.has_perm("candidates.handle_personal_data")
    )


# ------------------------------------------------------------------ processes under way


def ongoing_entries(entries, *, today):
    """The entries of `entries` (missions loaded) that keep a profile in use: a process
    under way, or a placement whose mission has not ended."""
    ongoing = [entry for entry in entries if entry.state in IN_PROGRESS_STATES]
    placement = current_placement(entries, today=today)
    return ongoing + ([placement] if placement else [])


def _ongoing_entries_of(candidate, today):
    entries = candidate.shortlist_entries.filter(
        state__in=(*IN_PROGRESS_STATES, EntryState.SELECTED)
    ).select_related("mission", "placement")
    return ongoing_entries(list(entries), today=today)


def _refuse_if_in_use(candidate, today, message):
    ongoing = _ongoing_entries_of(candidate, today)
    if ongoing:
        references = ", ".join(sorted({entry.mission.reference for entry in ongoing}))
        raise ValidationError(
            message % {"name": candidate.full_name, "missions": references},
            code="process_in_progress",
        )


def _log_change(by, candidate, message):
    """Record who did it in the profile's admin history (a profile has no timeline of its
    own: the timeline belongs to missions)."""
    if by is not None and by.is_authenticated:
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=[candidate], action_flag=CHANGE, change_message=message
        )


# ------------------------------------------------------------------ archiving


@transaction.atomic
def archive_candidate(*, candidate, by, today=None):
    """Take a profile out of the list and of matching, keeping all its history. Refused
    while a process is under way (code `process_in_progress`); archiving twice is a no-op."""
    candidate = lock_profile(candidate)
    if candidate.archived_at is not None:
        return candidate
    _refuse_if_in_use(
        candidate,
        today or timezone.localdate(),
        _("%(name)s is in a process under way (%(missions)s): close it before archiving."),
    )
    candidate.archived_at = timezone.now()
    # Only this column: archiving is not an update of the person's data (see retention).
    candidate.save(update_fields=["archived_at"])
    _log_change(by, candidate, _("Archived"))
    return candidate


@transaction.atomic
def restore_candidate(*, candidate, by):
    """Bring an archived profile back into the list and matching (not an anonymised one)."""
    candidate = lock_profile(candidate)
    if candidate.anonymised_at is not None:
        raise ValidationError(
            _("%(name)s is anonymised: the profile cannot come back.")
            % {"name": candidate.full_name},
            code="anonymised",
        )
    if candidate.archived_at is not None:
        candidate.archived_at = None
        candidate.save(update_fields=["archived_at"])
        _log_change(by, candidate, _("Restored from the archive"))
    return candidate


# ------------------------------------------------------------------ export


def _own_fields(obj, *, exclude=()):
    """The row's own columns as JSON-ready values (links are exported by the caller).

    Read from the model, so a field added later is exported without anyone remembering to.
    """
    data = {}
    for field in obj._meta.concrete_fields:
        if field.is_relation or field.primary_key or field.name in exclude:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.name] = value
    return data


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else None


def _names(items):
    return [str(item) for item in items]


def export_queryset():
    """Profiles with everything the export reads, in a fixed number of queries."""
    interviews = Interview.objects.select_related("recruiter").prefetch_related(
        "causes", Prefetch("skill_ratings", InterviewSkillRating.objects.select_related("skill"))
    )
    entries = ShortlistEntry.objects.select_related("mission__client", "added_by").prefetch_related(
        Prefetch("interviews", queryset=interviews)
    )
    return Candidate.objects.select_related("portage_company", "owner").prefetch_related(
        Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill")),
        Prefetch("experiences", queryset=Experience.objects.prefetch_related("technologies")),
        Prefetch("projects", queryset=Project.objects.prefetch_related("technologies")),
        Prefetch("shortlist_entries", queryset=entries),
        Prefetch("events", queryset=Event.objects.select_related("author", "mission")),
        Prefetch("cv_downloads", queryset=CvDownload.objects.select_related("user")),
    )


def _export_entry(entry):
    mission = entry.mission
    return {
        "mission": {
            "reference": mission.reference,
            "title": mission.title,
            "client": mission.client.name,
            "start_date": mission.start_date,
            "duration_months": mission.duration_months,
        },
        **_own_fields(entry),
        "added_by": _person(entry.added_by),
        "interviews": [
            {
                **_own_fields(interview),
                "recruiter": _person(interview.recruiter),
                "failure_causes": [cause.cause for cause in interview.causes.all()],
                "skill_ratings": [
                    {"skill": row.skill.name, "rating": row.rating, "notes": row.notes}
                    for row in interview.skill_ratings.all()
                ],
            }
            for interview in entry.interviews.all()
        ],
    }


def export_candidate(candidate):
    """All that is held on a person, as a JSON-ready dict: identity, contact, skills,
    experiences, projects, shortlist entries with their missions, interviews and feedback,
    timeline events, the CV file's name and who downloaded the CV when. Pass a profile from
    `export_queryset()`."""
    return {
        "id": candidate.pk,
        "profile": {
            **_own_fields(candidate),
            "portage_company": str(candidate.portage_company or "") or None,
            "owner": _person(candidate.owner),
        },
        "skills": [
            {"skill": row.skill.name, "category": row.skill.category, **_own_fields(row)}
            for row in candidate.skills.all()
        ],
        "experiences": [
            {**_own_fields(row), "technologies": _names(row.technologies.all())}
            for row in candidate.experiences.all()
        ],
        "projects": [
            {**_own_fields(row), "technologies": _names(row.technologies.all())}
            for row in candidate.projects.all()
        ],
        "shortlist_entries": [_export_entry(entry) for entry in candidate.shortlist_entries.all()],
        "timeline": [
            {
                **_own_fields(event),
                "mission": event.mission.reference if event.mission else None,
                "author": _person(event.author),
            }
            for event in candidate.events.all()
        ],
        "cv_downloads": [
            {"by": _person(download.user), "at": download.at}
            for download in candidate.cv_downloads.all()
        ],
    }


def export_json(candidates, *, by=None):
    """The export of one profile (an object) or of several (a list), as indented JSON.
    Each export is logged: personal data left the application."""
    exports = [export_candidate(candidate) for candidate in candidates]
    for export in exports:
        audit_log.info(
            "Profile exported: candidate %s, user %s",
            export["id"],
            getattr(by, "pk", None),
            extra={"candidate_id": export["id"], "user_id": getattr(by, "pk", None)},
        )
    document = exports[0] if len(exports) == 1 else exports
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ anonymisation


def _name_pattern(candidate):
    names = {candidate.full_name, candidate.first_name, candidate.last_name}
    names = sorted((name.strip() for name in names if len(name.strip()) > 1), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b", re.I)


def _scrub(queryset, fields, pattern, replacement):
    """Replace the person's name in the free text of history rows that are kept."""
    changed = []
    for row in queryset.only("pk", *fields):
        before = [getattr(row, field) for field in fields]
        for field in fields:
            limit = row._meta.get_field(field).max_length
            value = getattr(row, field)
            if isinstance(value, dict):
                value = {
                    key: pattern.sub(replacement, item) if isinstance(item, str) else item
                    for key, item in value.items()
                }
            else:
                value = pattern.sub(replacement, value)
            setattr(row, field, value[:limit] if limit else value)
        if [getattr(row, field) for field in fields] != before:
            changed.append(row)
    if changed:
        queryset.model.objects.bulk_update(changed, fields)


@transaction.atomic
def anonymise_candidate(*, candidate, by=None, today=None):
    """Wipe what identifies a person and delete their CV, keeping skills, seniority, rates,
    channel and the anonymous history (entries, interviews, events, with the name replaced
    in their text). The profile is archived too. Refused while a process is under way."""
    candidate = lock_profile(candidate)
    if candidate.anonymised_at is not None:
        raise ValidationError(
            _("%(name)s is already anonymised.") % {"name": candidate.full_name},
            code="already_anonymised",
        )
    _refuse_if_in_use(
        candidate,
        today or timezone.localdate(),
        _("%(name)s is in a process under way (%(missions)s): close it before anonymising."),
    )
    pattern = _name_pattern(candidate)
    old_cv = candidate.cv.name if candidate.cv else ""
    now = timezone.now()
    candidate.first_name = ANONYMISED_FIRST_NAME
    candidate.last_name = f"#{candidate.pk}"
    for field in WIPED_FIELDS:
        setattr(candidate, field, "")
    candidate.cv = ""
    candidate.anonymised_at = now
    candidate.archived_at = candidate.archived_at or now
    candidate.save()
    candidate.experiences.update(description="")
    candidate.projects.update(link="")
    if pattern:
        _scrub_history(candidate, pattern)
    if old_cv:
        storage = candidate.cv.storage
        # After commit: a rollback must not leave a profile pointing at a deleted file.
        transaction.on_commit(lambda: storage.delete(old_cv))
    _delete_compliance_documents(candidate)
    # The CV's words are the CV's personal data: they go with the file.
    CvText.objects.filter(candidate=candidate).delete()
    CvSkillSuggestion.objects.filter(candidate=candidate).delete()
    _log_change(by, candidate, _("Anonymised"))
    audit_log.info(
        "Profile anonymised: candidate %s, user %s",
        candidate.pk,
        getattr(by, "pk", None),
        extra={"candidate_id": candidate.pk, "user_id": getattr(by, "pk", None)},
    )
    return candidate


def _delete_compliance_documents(candidate):
    """The freelancer's own compliance documents name them (attestations, registration): rows
    and files go; those of a portage company are the company's and stay."""
    documents = list(candidate.compliance_documents.all())
    names = [document.file.name for document in documents if document.file]
    candidate.compliance_documents.all().delete()
    if names:
        storage = documents[0].file.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _scrub_history(candidate, pattern):
    replacement = candidate.full_name
    _scrub(candidate.shortlist_entries.all(), ENTRY_TEXT_FIELDS, pattern, replacement)
    interviews = Interview.objects.filter(entry__candidate=candidate)
    _scrub(interviews, INTERVIEW_TEXT_FIELDS, pattern, replacement)
    # A feedback draft never finished (its interview was cancelled) is no history: dropped.
    interviews.filter(feedback_draft__isnull=False).update(
        feedback_draft=None, feedback_draft_at=None
    )
    ratings = InterviewSkillRating.objects.filter(interview__entry__candidate=candidate)
    _scrub(ratings, ("notes",), pattern, replacement)
    _scrub(candidate.events.all(), EVENT_TEXT_FIELDS, pattern, replacement)


# ------------------------------------------------------------------ retention


def months_before(moment, months):
    """The same moment `months` calendar months earlier (31 March - 1 month = 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def stale_profiles(*, months=RETENTION_MONTHS, now=None):
    """Profiles not anonymised with no sign of life for `months`: not edited, no
    availability confirmed and nothing on their timeline since then. Oldest first."""
    cutoff = months_before(now or timezone.now(), months)
    recent_event = Event.objects.filter(candidate=OuterRef("pk"), at__gte=cutoff)
    return (
        Candidate.objects.filter(anonymised_at__isnull=True, updated_at__lt=cutoff)
        .exclude(availability_confirmed_on__gte=timezone.localdate(cutoff))
        .exclude(Exists(recent_event))
        .order_by("updated_at", "pk")
    )


def retention_review(*, months=RETENTION_MONTHS, now=None):
    """[(profile, entries that keep it)] for every stale profile; an empty list of entries
    means it may be anonymised."""
    today = timezone.localdate(now) if now else timezone.localdate()
    profiles = list(stale_profiles(months=months, now=now))
    entries = ShortlistEntry.objects.filter(
        Q(state__in=IN_PROGRESS_STATES) | Q(state=EntryState.SELECTED),
        candidate__in=[profile.pk for profile in profiles],
    )
    by_profile = {}
    for entry in entries.select_related("mission"):
        by_profile.setdefault(entry.candidate_id, []).append(entry)
    return [
        (profile, ongoing_entries(by_profile.get(profile.pk, []), today=today))
        for profile in profiles
    ]

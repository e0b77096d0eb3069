"""Merging two profiles of one person (duplicates): one is kept and receives everything of
the other — its processes (shortlist entries, with their interviews), timeline, placements,
CV, CV downloads, compliance documents, skills, experiences, projects, pool memberships.

The absorbed profile is not deleted: it is anonymised and archived, and points to the kept
one (`merged_into`). Deleting it would erase history that cannot move (a closed process on a
mission the kept profile is also on: one profile appears once per mission) and the step on
its own timeline; anonymising it leaves no second copy of the person's data (GDPR) and
nothing the search or the duplicate checks would find again.

Like GDPR code, this module sits beside the views and reads the processes of `missions`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from candidates import gdpr, services
from candidates.models import (
    ComplianceDocument,
    CvDownload,
    CvSkillSuggestion,
    CvText,
    PoolMembership,
)
from missions.locking import lock_entries, lock_mission, lock_profile
from missions.models import ENTRY_ACTIVE_STATES, Event, Mission, Placement, ShortlistEntry
from missions.services import record_event

# Fields of the kept profile filled from the absorbed one when they are empty there.
FILLED_WHEN_EMPTY = (
    "email",
    "phone",
    "address",
    "location",
    "mobility",
    "languages",
    "available_from",
    "availability_confirmed_on",
    "consent_on",
    "portage_company",
)
# Free text of both profiles kept side by side.
JOINED_TEXTS = ("soft_skill_notes", "internal_notes")


def _mission_ids(*profiles):
    return sorted(
        set(
            ShortlistEntry.objects.filter(candidate__in=profiles)
            .order_by()
            .values_list("mission_id", flat=True)
        )
    )


def _lock_all(keep, absorb):
    """Lock, in the one order, the missions of both profiles' entries, those entries, then
    both profiles (by primary key). An entry added between the first read and the profile
    locks would sit on a mission not locked here: the merge is refused, to be tried again,
    rather than take a mission's lock after a profile's."""
    mission_ids = _mission_ids(keep, absorb)
    entries = []
    for mission in Mission.objects.filter(pk__in=mission_ids).order_by("pk"):
        mission = lock_mission(mission)
        entries += lock_entries(
            mission, ShortlistEntry.objects.filter(candidate__in=[keep, absorb])
        )
    first, second = sorted([keep, absorb], key=lambda profile: profile.pk)
    locked = {first.pk: lock_profile(first), second.pk: lock_profile(second)}
    if _mission_ids(keep, absorb) != mission_ids:
        raise ValidationError(
            _("One of the profiles was positioned on a mission meanwhile: merge again."),
            code="changed_meanwhile",
        )
    return locked[keep.pk], locked[absorb.pk], entries


def _refuse_if_not_mergeable(keep, absorb):
    if keep.pk == absorb.pk:
        raise ValidationError(_("A profile cannot be merged with itself."), code="same_profile")
    for profile in (keep, absorb):
        if profile.anonymised_at is not None or profile.merged_into_id is not None:
            raise ValidationError(
                _("%(name)s is anonymised or already merged: it cannot be merged.")
                % {"name": profile.full_name},
                code="profile_anonymised",
            )


def _shared_missions(entries, keep, absorb):
    """{mission id: (kept profile's entry, absorbed profile's entry)} for missions both are on."""
    by_mission = {}
    for entry in entries:
        side = 0 if entry.candidate_id == keep.pk else 1
        by_mission.setdefault(entry.mission_id, [None, None])[side] = entry
    return {pk: pair for pk, pair in by_mission.items() if None not in pair}


def _refuse_shared_active_processes(shared):
    """A profile appears once per mission (R1): two processes on one mission cannot become
    one profile's. A closed process of the absorbed profile there stays with it (history);
    an active one must not, so the merge is refused with the mission named."""
    for keep_entry, absorb_entry in shared.values():
        if absorb_entry.state not in ENTRY_ACTIVE_STATES:
            continue
        reference = absorb_entry.mission.reference
        if keep_entry.state in ENTRY_ACTIVE_STATES:
            message = _(
                "Both profiles are active on %(mission)s: a profile appears once per mission. "
                "Close one of the two processes first."
            )
        else:
            message = _(
                "The profile to absorb is active on %(mission)s, where the kept profile's "
                "process is closed: keep the other profile instead."
            )
        raise ValidationError(message % {"mission": reference}, code="both_on_mission")


def _refuse_overlapping_placements(keep, absorb):
    """R6: one placement at a time, whichever profile held it."""
    kept = list(Placement.objects.filter(candidate=keep).select_related("mission"))
    for placement in Placement.objects.filter(candidate=absorb).select_related("mission"):
        for other in kept:
            if placement.period.overlaps(other.period):
                raise ValidationError(
                    _(
                        "The two profiles are placed over the same days (%(first)s and "
                        "%(second)s): one placement at a time."
                    )
                    % {"first": other.mission.reference, "second": placement.mission.reference},
                    code="placements_overlap",
                )


def _move_skills(keep, absorb):
    """Each technology once, with the higher years (and level) of the two."""
    kept = {row.skill_id: row for row in keep.skills.all()}
    for row in absorb.skills.all():
        mine = kept.get(row.skill_id)
        if mine is None:
            row.candidate = keep
            row.save(update_fields=["candidate"])
            continue
        if row.years > mine.years:
            mine.years, mine.years_override = row.years, row.years_override
        mine.level = max(mine.level, row.level)
        mine.save(update_fields=["years", "years_override", "level"])
        row.delete()


def _fill_profile(keep, absorb):
    for field in FILLED_WHEN_EMPTY:
        if not getattr(keep, field) and getattr(absorb, field):
            setattr(keep, field, getattr(absorb, field))
    for field in JOINED_TEXTS:
        texts = [getattr(keep, field), getattr(absorb, field)]
        setattr(keep, field, "\n\n".join(text for text in texts if text))
    if not keep.cv and absorb.cv:
        # The file moves with its name; the absorbed profile lets go of it, so the
        # anonymisation that follows does not delete it.
        keep.cv, absorb.cv = absorb.cv.name, ""
        absorb.save(update_fields=["cv"])
        _move_cv_reading(keep, absorb)
    if keep.portage_company_id and keep.legal_form != "portage":
        keep.portage_company = None
    keep.save()


def _move_cv_reading(keep, absorb):
    """The CV's text and the skills it suggested go with the file; the anonymisation of the
    absorbed profile deletes whatever stays (the text of a CV that did not move)."""
    CvText.objects.filter(candidate=keep).delete()
    CvText.objects.filter(candidate=absorb).update(candidate=keep)
    suggested = CvSkillSuggestion.objects.filter(candidate=keep).values("skill_id")
    absorb.cv_skill_suggestions.exclude(skill_id__in=suggested).update(candidate=keep)


def _move_history(keep, absorb, shared):
    staying = [absorb_entry.pk for _keep_entry, absorb_entry in shared.values()]
    moving = ShortlistEntry.objects.filter(candidate=absorb).exclude(pk__in=staying)
    Event.objects.filter(candidate=absorb).exclude(entry_id__in=staying).update(candidate=keep)
    Placement.objects.filter(entry__in=moving).update(candidate=keep)
    moving.update(candidate=keep)
    CvDownload.objects.filter(candidate=absorb).update(candidate=keep)
    ComplianceDocument.objects.filter(candidate=absorb).update(candidate=keep)
    kept_pools = PoolMembership.objects.filter(candidate=keep).values("pool_id")
    absorb.pool_memberships.exclude(pool_id__in=kept_pools).update(candidate=keep)
    # Pools both were in keep the kept profile's membership; the duplicate leaves them.
    absorb.pool_memberships.all().delete()
    absorb.experiences.update(candidate=keep)
    absorb.projects.update(candidate=keep)
    _move_skills(keep, absorb)


def _record_step(profile, code, other, by):
    record_event(
        mission=None,
        candidate=profile,
        by=by,
        subject=Event.Subject.PROFILE,
        code=code,
        params={"name": other.full_name, "pk": other.pk},
    )


@transaction.atomic
def merge_profiles(*, keep, absorb, by):
    """Move everything of `absorb` onto `keep`, then anonymise and archive `absorb` (pointing
    to `keep`). Refused with a `ValidationError` (codes `same_profile`, `profile_anonymised`,
    `both_on_mission`, `placements_overlap`, `changed_meanwhile`) when a rule would break."""
    _refuse_if_not_mergeable(keep, absorb)
    keep, absorb, entries = _lock_all(keep, absorb)
    _refuse_if_not_mergeable(keep, absorb)
    shared = _shared_missions(entries, keep, absorb)
    _refuse_shared_active_processes(shared)
    _refuse_overlapping_placements(keep, absorb)
    previous = services.figure_fields(keep)
    _fill_profile(keep, absorb)
    _move_history(keep, absorb, shared)
    # The insights count the moved processes under the kept profile.
    services.profile_figures_changed(candidate=keep, previous=previous)
    _record_step(keep, "profile_merged_in", absorb, by)
    absorb.merged_into = keep
    absorb.save(update_fields=["merged_into"])
    gdpr.anonymise_candidate(candidate=absorb, by=by)
    # After the anonymisation, which would otherwise scrub the kept profile's name (the
    # same person's) from the absorbed profile's step.
    _record_step(absorb, "profile_merged_into", keep, by)
    return keep


def merge_preview(*, keep, absorb):
    """What a merge would move, counted, for the confirmation page: {label: (kept, absorbed)}."""
    rows = {
        _("Processes (shortlist entries)"): "shortlist_entries",
        _("Placements"): "placements",
        _("Timeline steps"): "events",
        _("Skills"): "skills",
        _("Experiences"): "experiences",
        _("Projects"): "projects",
        _("Compliance documents"): "compliance_documents",
        _("CV downloads"): "cv_downloads",
        _("Talent pools"): "pool_memberships",
    }
    return {
        label: (getattr(keep, name).count(), getattr(absorb, name).count())
        for label, name in rows.items()
    }

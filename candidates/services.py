"""Write operations on profiles."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from candidates.cv_text import read_cv_text
from candidates.models import (
    DOCUMENT_VALIDITY_MONTHS,
    Candidate,
    CandidateSkill,
    ComplianceDocument,
    CvDownload,
    CvSkillSuggestion,
    CvText,
    PoolMembership,
    Skill,
    SkillAlias,
    TalentPool,
    add_months,
    skill_key,
)

DAYS_PER_YEAR = Decimal("365.25")
ONE_DAY = timedelta(days=1)


def _merged_days(periods):
    """Days covered by (start, end) periods, both days included, overlaps counted once.

    Counted in days, not calendar months: "1 Jan – 31 Dec" is a full year, not 11 months.
    """
    total = 0
    covered_until = None  # the last day already counted
    for start, end in sorted(periods):
        if covered_until is not None:
            start = max(start, covered_until + ONE_DAY)
        if end < start:  # inside a period already counted, or not started yet
            continue
        total += (end - start).days + 1
        covered_until = end
    return total


def years_of_periods(periods):
    """Years covered by (start, end) periods, overlaps counted once, to one decimal."""
    return (Decimal(_merged_days(periods)) / DAYS_PER_YEAR).quantize(Decimal("0.1"))


def _merged_months(intervals):
    # Kept for callers written against the month-based count (the demo data divides it by
    # 12): returns months, possibly fractional, so that months / 12 == years_of_periods.
    return Decimal(_merged_days(intervals)) * 12 / DAYS_PER_YEAR


def skill_years_from_experiences(candidate, *, today=None):
    """{skill_id: years} from the candidate's experiences, overlapping periods counted once."""
    today = today or date.today()
    periods = {}
    experiences = candidate.experiences.prefetch_related("technologies")
    for experience in experiences:
        end = experience.end or today
        for skill in experience.technologies.all():
            periods.setdefault(skill.pk, []).append((experience.start, end))
    return {skill_id: years_of_periods(spans) for skill_id, spans in periods.items()}


def skill_years_from_projects(candidate):
    """{skill_id: years} from the candidate's projects (training, school, personal, open
    source). A project has a duration but no dates, so durations add up; a month is a twelfth
    of the `DAYS_PER_YEAR` year of the experiences: a 9-month project gives 0.8 year."""
    months = {}
    for project in candidate.projects.prefetch_related("technologies"):
        for skill in project.technologies.all():
            months[skill.pk] = months.get(skill.pk, 0) + project.duration_months
    return {
        skill_id: (Decimal(total) / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        for skill_id, total in months.items()
    }


@transaction.atomic
def refresh_skill_years(*, candidate: Candidate, today=None):
    """Recompute the years of each skill from experiences, and apart from them the years in
    projects; add the skills experiences or projects name.

    Skills whose years were entered by hand (`years_override`) keep them (their years in
    projects are still computed).
    """
    years = skill_years_from_experiences(candidate, today=today)
    project_years = skill_years_from_projects(candidate)
    existing = {cs.skill_id: cs for cs in candidate.skills.all()}
    for skill_id in existing.keys() | years.keys() | project_years.keys():
        candidate_skill = existing.get(skill_id)
        if candidate_skill is None:
            CandidateSkill.objects.create(
                candidate=candidate,
                skill_id=skill_id,
                years=years.get(skill_id, 0),
                project_years=project_years.get(skill_id, 0),
            )
            continue
        changed = []
        if not candidate_skill.years_override and candidate_skill.years != years.get(skill_id, 0):
            candidate_skill.years = years.get(skill_id, 0)
            changed.append("years")
        if candidate_skill.project_years != project_years.get(skill_id, 0):
            candidate_skill.project_years = project_years.get(skill_id, 0)
            changed.append("project_years")
        if changed:
            candidate_skill.save(update_fields=changed)


# The insights' rollups (a layer above) count profiles by the month they were added, and by
# seniority, channel and portage company: a new profile, or an edit of one of these, calls
# `callback(candidate=…, previous=…)` inside the transaction, `previous` holding the fields'
# values before the edit (None for a new profile).
_profile_figures_changed_callbacks = []
FIGURE_FIELDS = ("seniority", "channel", "portage_company")


def on_profile_figures_changed(callback):
    """Register `callback` to run when a profile is added or its figures' fields change."""
    if callback not in _profile_figures_changed_callbacks:
        _profile_figures_changed_callbacks.append(callback)
    return callback


def figure_fields(candidate):
    """The values of the fields the figures count a profile by (`previous` of the hook)."""
    return {
        "seniority": candidate.seniority,
        "channel": candidate.channel,
        "portage_company": candidate.portage_company_id,
    }


def profile_figures_changed(*, candidate, previous):
    """Call the callbacks registered with `on_profile_figures_changed`."""
    for callback in _profile_figures_changed_callbacks:
        callback(candidate=candidate, previous=previous)


@transaction.atomic
def save_profile(*, form, formsets, by, today=None):
    """Save a validated profile form and its skills, experiences and projects formsets, then
    recompute the skill years: one transaction, so a part that fails leaves nothing half-saved.

    A new profile is owned by `by`. A replaced or removed CV file is deleted once the
    transaction commits (personal data nobody can reach any more).
    """
    today = today or date.today()
    candidate = form.save(commit=False)
    if candidate.pk and Candidate.objects.filter(pk=candidate.pk, anonymised_at__isnull=False):
        # A page opened before the profile was anonymised must not write its data back (R5).
        raise ValidationError(
            _("This profile was anonymised: its personal data can no longer be edited."),
            code="profile_anonymised",
        )
    old_cv = _stored_cv_name(candidate)
    counted = candidate.pk is None or bool(set(FIGURE_FIELDS) & set(form.changed_data))
    previous = None if candidate.pk is None else {f: form.initial.get(f) for f in FIGURE_FIELDS}
    if candidate.pk is None:
        candidate.owner = by
    # A new availability date comes from the freelancer: it is confirmed as of today.
    if "available_from" in form.changed_data and candidate.available_from:
        candidate.availability_confirmed_on = today
    candidate.save()
    form.save_m2m()
    for formset in formsets:
        formset.instance = candidate
        formset.save()
    refresh_skill_years(candidate=candidate, today=today)
    if counted:
        profile_figures_changed(candidate=candidate, previous=previous)
    if candidate.cv.name != old_cv:
        queue_cv_reading(candidate=candidate)
    if old_cv and candidate.cv.name != old_cv:
        storage = candidate.cv.storage
        transaction.on_commit(lambda: storage.delete(old_cv))
    return candidate


def _stored_cv_name(candidate):
    # The form has already put the uploaded file on the instance: the old name is the row's.
    if candidate.pk is None:
        return ""
    return Candidate.objects.filter(pk=candidate.pk).values_list("cv", flat=True).first() or ""


@transaction.atomic
def confirm_availability(*, candidate, by, today=None):
    """The freelancer confirmed their availability date today."""
    today = today or date.today()
    # update() writes this one column and nothing else (not even updated_at).
    Candidate.objects.filter(pk=candidate.pk).update(availability_confirmed_on=today)
    candidate.availability_confirmed_on = today
    return candidate


# How far ahead a freelancer may say they become available: further is most likely a typo.
AVAILABILITY_MAX_AHEAD = timedelta(days=2 * 365)

# Apps above `candidates` (which this module may not import) record an availability the
# freelancer gave on their own timelines: `missions` registers a callback here from its
# `AppConfig.ready`, called as `callback(candidate=…, previous=…)` inside the transaction.
_availability_updated_callbacks = []


def on_availability_updated(callback):
    """Register `callback` to run each time a freelancer updates their availability."""
    if callback not in _availability_updated_callbacks:
        _availability_updated_callbacks.append(callback)
    return callback


def _check_available_from(available_from, today):
    if available_from < today:
        raise ValidationError(
            _("This date is in the past: if you are available now, enter today's date."),
            code="date_in_past",
        )
    if available_from > today + AVAILABILITY_MAX_AHEAD:
        raise ValidationError(
            _("Enter a date before %(date)s.")
            % {"date": formats.date_format(today + AVAILABILITY_MAX_AHEAD, "SHORT_DATE_FORMAT")},
            code="date_too_far",
        )


@transaction.atomic
def update_availability(*, candidate, available_from, today=None):
    """The freelancer confirms their availability date or gives a new one (the emailed link):
    the profile's date changes and counts as confirmed today.

    A date in the past (code `date_in_past`) or more than two years ahead (`date_too_far`) is
    refused. The profile has no timeline of its own: each of its active processes records the
    step (see `on_availability_updated`).
    """
    today = today or timezone.localdate()
    _check_available_from(available_from, today)
    previous = candidate.available_from
    # update() writes these two columns only: the rest of the profile is not the freelancer's
    # to change here, and a recruiter's edit of another field at the same moment stays whole.
    Candidate.objects.filter(pk=candidate.pk).update(
        available_from=available_from, availability_confirmed_on=today
    )
    candidate.available_from = available_from
    candidate.availability_confirmed_on = today
    for callback in _availability_updated_callbacks:
        callback(candidate=candidate, previous=previous)
    return candidate


def record_cv_download(*, candidate, by):
    """Note that `by` downloaded `candidate`'s CV (R5: who read a person's CV, and when)."""
    return CvDownload.objects.create(candidate=candidate, user=by)


@transaction.atomic
def follow_placement(*, candidate, available_from, today=None):
    """A placement's dates decide when the freelancer is free again: the profile's
    availability becomes the day after the placement's last day, confirmed today (the
    contract says so). Called by the placement services of `missions`."""
    today = today or timezone.localdate()
    Candidate.objects.filter(pk=candidate.pk).update(
        available_from=available_from, availability_confirmed_on=today
    )
    candidate.available_from = available_from
    candidate.availability_confirmed_on = today
    return candidate


# ---------------------------------------------------------------- compliance documents (R9)


def expiry_of(document_type, issued_on):
    """The first day a document of this type issued on `issued_on` no longer holds: an URSSAF
    attestation issued on 1 May 2026 expires on 1 Nov 2026."""
    return add_months(issued_on, DOCUMENT_VALIDITY_MONTHS[document_type])


@transaction.atomic
def add_compliance_document(
    *,
    by,
    document_type,
    file,
    issued_on,
    expires_on=None,
    candidate=None,
    portage_company=None,
    checked=False,
    today=None,
):
    """Store a compliance document of a profile or of a portage company (one of them).

    Without `expires_on`, the validity of its type applies (`DOCUMENT_VALIDITY_MONTHS`).
    `checked` records that `by` read it and found it in order now: only a checked document
    meets a requirement. Refused: an issue date in the future (`issued_in_future`), an expiry
    not after the issue (`expires_before_issue`).
    """
    today = today or timezone.localdate()
    if (candidate is None) == (portage_company is None):
        raise TypeError("A compliance document belongs to a profile or to a portage company.")
    if issued_on > today:
        raise ValidationError(
            _("The issue date is in the future: enter the date printed on the document."),
            code="issued_in_future",
        )
    expires_on = expires_on or expiry_of(document_type, issued_on)
    if expires_on <= issued_on:
        raise ValidationError(
            _("The document must expire after its issue date."), code="expires_before_issue"
        )
    now = timezone.now()
    document = ComplianceDocument(
        candidate=candidate,
        portage_company=portage_company,
        document_type=document_type,
        issued_on=issued_on,
        expires_on=expires_on,
        uploaded_by=by,
        checked_by=by if checked else None,
        checked_at=now if checked else None,
    )
    # Saving the file field writes the row too, after the checks above.
    document.file.save(file.name, file)
    return document


@transaction.atomic
def check_compliance_document(*, document, by):
    """`by` read the document and found it in order: it now meets its requirement. A document
    checked already keeps its first checker (one conditional UPDATE: two clicks, one check)."""
    now = timezone.now()
    ComplianceDocument.objects.filter(pk=document.pk, checked_at__isnull=True).update(
        checked_by=by, checked_at=now
    )
    document.refresh_from_db(fields=["checked_by", "checked_at"])
    return document


# ---------------------------------------------------------------- talent pools


def _pool_name(name, *, pool=None):
    """A pool's name, trimmed, refused when empty or taken by another pool (any case)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the pool a name."), code="name_required")
    taken = TalentPool.objects.filter(name__iexact=name)
    if pool is not None:
        taken = taken.exclude(pk=pool.pk)
    if taken.exists():
        raise ValidationError(
            _("A pool named %(name)s already exists.") % {"name": name}, code="pool_exists"
        )
    return name


@transaction.atomic
def create_pool(*, name, by):
    """A new pool shared by the recruiters (the unique constraint on the lower-cased name
    backs the check against a simultaneous creation)."""
    return TalentPool.objects.create(name=_pool_name(name), created_by=by)


@transaction.atomic
def rename_pool(*, pool, name, by):
    pool.name = _pool_name(name, pool=pool)
    pool.save(update_fields=["name"])
    return pool


@transaction.atomic
def delete_pool(*, pool, by):
    """The pool and its memberships go; the profiles stay."""
    TalentPool.objects.filter(pk=pool.pk).delete()


@transaction.atomic
def add_to_pool(*, pool, candidates, by):
    """Put profiles in a pool; those already there stay as they are (idempotent: a second
    click, or two recruiters at once, add nothing). Returns how many were added."""
    already = set(
        PoolMembership.objects.filter(pool=pool, candidate__in=candidates).values_list(
            "candidate_id", flat=True
        )
    )
    new = [
        PoolMembership(pool=pool, candidate=candidate, added_by=by)
        for candidate in candidates
        if candidate.pk not in already
    ]
    # ignore_conflicts: a membership added by a simultaneous request is no error.
    PoolMembership.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def remove_from_pool(*, pool, candidate, by):
    """Take a profile out of a pool; nothing happens when it was not in it."""
    PoolMembership.objects.filter(pool=pool, candidate=candidate).delete()


# ---------------------------------------------------------------- the catalogue of technologies


def _names_taken(keys):
    """Which of `keys` (skill_key) already name a technology, as a skill or an alias. The
    catalogue holds a few hundred names: the skills' keys are computed here, in Python,
    since SQLite cannot compare without accents."""
    taken = {skill_key(name) for name in Skill.objects.values_list("name", flat=True)}
    taken |= set(SkillAlias.objects.filter(key__in=keys).values_list("key", flat=True))
    return [key for key in keys if key in taken]


def _clean_names(names):
    """`names` trimmed, without blanks; refused when the first is blank or when two of them
    are one name."""
    if not names[0].strip():
        raise ValidationError(_("Give the technology a name."), code="name_required")
    cleaned = [" ".join(name.split()) for name in names if name.strip()]
    keys = [skill_key(name) for name in cleaned]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("The same name is given twice."), code="duplicate_names")
    return cleaned, keys


@transaction.atomic
def add_skill(*, name, category, aliases=(), by):
    """A new technology with its other names. Refused (code `skill_exists`) when its name or
    an alias already names a technology, whatever the case or accents; the unique
    constraints on the skill's lower-cased name and on the aliases' keys back the check."""
    (name, *aliases), keys = _clean_names([name, *aliases])
    taken = _names_taken(keys)
    if taken:
        raise ValidationError(
            _("Already in the catalogue: %(names)s.")
            % {
                "names": ", ".join(
                    n for n, k in zip([name, *aliases], keys, strict=True) if k in taken
                )
            },
            code="skill_exists",
        )
    skill = Skill.objects.create(name=name, category=category)
    SkillAlias.objects.bulk_create(
        SkillAlias(skill=skill, name=alias, key=skill_key(alias)) for alias in aliases
    )
    return skill


@transaction.atomic
def add_skill_alias(*, skill, name, by):
    """Another name for a technology of the catalogue; refused like a new skill's name."""
    (name,), (key,) = _clean_names([name])
    if _names_taken([key]):
        raise ValidationError(
            _("Already in the catalogue: %(names)s.") % {"names": name}, code="skill_exists"
        )
    return SkillAlias.objects.create(skill=skill, name=name, key=key)


# ---------------------------------------------------------------- CV text and suggestions


def queue_cv_reading(*, candidate):
    """Mark the profile's CV text as being read and enqueue the reading once the transaction
    commits (the task opens the stored file, which exists only then). Without a CV, the text
    and the pending suggestions of the previous one go."""
    if not candidate.cv:
        CvText.objects.filter(candidate=candidate).delete()
        CvSkillSuggestion.objects.filter(candidate=candidate, dismissed_at__isnull=True).delete()
        return
    cv_name = candidate.cv.name
    CvText.objects.update_or_create(
        candidate=candidate,
        defaults={"cv_name": cv_name, "status": CvText.Status.PENDING, "text": "", "read_at": None},
    )
    transaction.on_commit(lambda: read_cv_text.enqueue(candidate.pk, cv_name))


def _pending_suggestion(candidate, skill_id):
    suggestion = CvSkillSuggestion.objects.filter(
        candidate=candidate, skill_id=skill_id, dismissed_at__isnull=True
    ).first()
    if suggestion is None:
        # Confirmed or dismissed from another tab meanwhile: a message, not an error page.
        raise ValidationError(_("This suggestion was already handled."), code="suggestion_gone")
    return suggestion


@transaction.atomic
def confirm_cv_skill(*, candidate, skill_id, by, today=None):
    """The recruiter confirms a skill the CV names: it joins the profile's skills (years from
    experiences and projects, as for any skill) and the suggestion goes."""
    suggestion = _pending_suggestion(candidate, skill_id)
    CandidateSkill.objects.get_or_create(candidate=candidate, skill_id=skill_id)
    suggestion.delete()
    refresh_skill_years(candidate=candidate, today=today)
    return suggestion.skill


@transaction.atomic
def dismiss_cv_skill(*, candidate, skill_id, by):
    """The recruiter dismisses a skill the CV names: remembered, never suggested again for
    this profile."""
    suggestion = _pending_suggestion(candidate, skill_id)
    suggestion.dismissed_at = timezone.now()
    suggestion.save(update_fields=["dismissed_at"])
    return suggestion.skill

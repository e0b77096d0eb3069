"""The recruiter's pages of the pool: search, profile, create/edit, CV download, availability."""

import logging
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import compliance, gdpr, services
from candidates.forms import (
    CandidateFilterForm,
    CandidateForm,
    CvSkillDecisionForm,
    ExperienceFormSet,
    ProjectFormSet,
    SkillFormSet,
    show_pools,
    skill_choices,
)
from candidates.models import Candidate, CandidateSkill, Experience, Project, TalentPool
from interviews.models import Interview
from missions.forms import PositionForm
from missions.models import ShortlistEntry
from missions.placements import current_placement, current_placements, placed_period
from staffing import access
from staffing.decorators import recruiter_required
from staffing.pagination import CappedPaginator

PAGE_SIZE = 25
TIMELINE_LENGTH = 50
CV_DOWNLOADS_SHOWN = 10
cv_access_log = logging.getLogger("staffing.cv_access")


def _skills_prefetch():
    return Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill"))


def _active_processes():
    """Number of active shortlist entries of each profile, as a correlated subquery."""
    entries = (
        ShortlistEntry.objects.active()
        .filter(candidate=OuterRef("pk"))
        .order_by()
        .values("candidate")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(entries, output_field=IntegerField()), Value(0))


@recruiter_required
def candidate_list(request):
    form = CandidateFilterForm(request.GET)
    form.is_valid()  # An invalid filter shows its error and is left out; the others apply.
    candidates = (
        form.filter(Candidate.objects.active())
        .annotate(active_processes=_active_processes())
        .prefetch_related(_skills_prefetch())
    )
    page_obj = CappedPaginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    placed = current_placements([c.pk for c in page_obj.object_list], today=today)
    for candidate in page_obj.object_list:
        candidate.placement = placed.get(candidate.pk)
        candidate.stale = candidate.availability_is_stale(today=today)
    # The pools of the filter and of the "add to pool" form: read once.
    pools = list(TalentPool.objects.only("pk", "name"))
    show_pools(form.fields["pool"], pools)
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "candidates": page_obj.object_list,
            "today": today,
            "pools": pools,
        },
    )


def _processes(candidate, today):
    """The profile's shortlist entries, active first, each flagged when it clashes with a
    placement (R6); and the current placement, if any."""
    entries = sorted(
        candidate.shortlist_entries.all(),
        key=lambda e: (not e.is_active, -e.created_at.timestamp()),
    )
    placement = current_placement(entries, today=today)
    for entry in entries:
        entry.counted_interviews = len(entry.interviews.all())
        entry.clashes_with_placement = bool(
            placement
            and entry.pk != placement.pk
            and entry.is_active
            and placed_period(placement).overlaps(entry.mission.period)
        )
    return entries, placement


def _profile_queryset(user):
    entries = ShortlistEntry.objects.select_related(
        "mission__client", "placement"
    ).prefetch_related(Prefetch("interviews", queryset=Interview.objects.counted()))
    return (
        Candidate.objects.visible_to(user)
        .select_related("portage_company", "owner", "cv_text")
        .prefetch_related(
            _skills_prefetch(),
            Prefetch("experiences", Experience.objects.prefetch_related("technologies")),
            Prefetch("projects", Project.objects.prefetch_related("technologies")),
            Prefetch("shortlist_entries", entries),
        )
    )


@recruiter_required
def candidate_detail(request, pk):
    candidate = get_object_or_404(_profile_queryset(request.user), pk=pk)
    today = timezone.localdate()
    entries, placement = _processes(candidate, today)
    events = candidate.events.select_related("author", "mission")[:TIMELINE_LENGTH]
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "entries": entries,
            "placement": placement,
            "placement_end": placement and placed_period(placement).end,
            "active_count": sum(entry.is_active for entry in entries),
            "clashes": sum(entry.clashes_with_placement for entry in entries),
            "archive_blocked": bool(gdpr.ongoing_entries(entries, today=today)),
            "events": events,
            "cv_downloads": candidate.cv_downloads.select_related("user")[:CV_DOWNLOADS_SHOWN],
            "may_handle_personal_data": gdpr.may_handle_personal_data(request.user),
            "position_form": None if candidate.archived_at else PositionForm(candidate=candidate),
            "placements": candidate.placements.select_related("mission__client")[:12],
            "missing_documents": compliance.missing_documents(candidate, day=today),
            "pools": list(TalentPool.objects.only("pk", "name")),
            "member_of": list(candidate.pools.order_by("name")),
            "cv_text": getattr(candidate, "cv_text", None),
            # A skill typed into the profile since the CV was read is no longer suggested.
            "cv_suggestions": candidate.cv_skill_suggestions.filter(dismissed_at__isnull=True)
            .exclude(skill__candidate_skills__candidate=candidate)
            .select_related("skill"),
            **_availability_context(candidate, today),
        },
    )


def _availability_context(candidate, today):
    return {"today": today, "stale": candidate.availability_is_stale(today=today)}


def _edit_forms(request, candidate):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    choices = skill_choices()
    shared = {"form_kwargs": {"skill_choices": choices}}
    return (
        CandidateForm(data, files, instance=candidate, check_duplicates=True),
        [
            SkillFormSet(data, instance=candidate, prefix="skills", **shared),
            ExperienceFormSet(data, instance=candidate, prefix="experiences", **shared),
            ProjectFormSet(data, instance=candidate, prefix="projects", **shared),
        ],
    )


def _edit(request, candidate):
    creating = candidate.pk is None
    form, formsets = _edit_forms(request, candidate)
    if request.method == "POST":
        # Validate everything before saving anything: nothing half-saved.
        valid = form.is_valid() & all([formset.is_valid() for formset in formsets])
        if valid:
            try:
                candidate = services.save_profile(
                    form=form, formsets=formsets, by=request.user, today=timezone.localdate()
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(candidate)
            messages.success(
                request,
                _("Profile created.") if creating else _("Profile saved."),
            )
            return redirect(candidate)
        if form.duplicates:
            messages.error(request, _("The profile was not saved: check the possible duplicates."))
        else:
            messages.error(
                request, _("The profile was not saved: correct the fields marked below.")
            )
    skills, experiences, projects = formsets
    return render(
        request,
        "candidates/candidate_form.html",
        {
            "form": form,
            "skills_formset": skills,
            "experiences_formset": experiences,
            "projects_formset": projects,
            "candidate": None if creating else candidate,
        },
    )


@recruiter_required
@require_POST
def cv_skill_decide(request, pk):
    """One click on a skill the CV names: add it to the profile, or never suggest it again."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    form = CvSkillDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a suggested skill to add or dismiss."))
        return redirect(candidate)
    confirm = form.cleaned_data["decision"] == CvSkillDecisionForm.CONFIRM
    service = services.confirm_cv_skill if confirm else services.dismiss_cv_skill
    try:
        skill = service(candidate=candidate, skill_id=form.cleaned_data["skill"], by=request.user)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        done = (
            _("%(skill)s added to the skills.")
            if confirm
            else _("%(skill)s will not be suggested again.")
        )
        messages.success(request, done % {"skill": skill.name})
    return redirect(f"{candidate.get_absolute_url()}#h-cv-text")


@recruiter_required
def candidate_create(request):
    return _edit(request, Candidate())


@recruiter_required
def candidate_edit(request, pk):
    return _edit(request, get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk))


def cv_download_name(candidate):
    """ "CV-camille-lefevre.pdf": ASCII only, nothing from the uploaded file's name."""
    extension = PurePosixPath(candidate.cv.name).suffix.lower()
    return f"CV-{slugify(candidate.full_name) or candidate.pk}{extension}"


def candidate_cv(request, pk):
    # Not @recruiter_required: a client gets 404 like for any URL it may not use, even for
    # a profile sent to it, so the answer never tells whether a CV exists (R3, R5).
    if not access.is_recruiter(request.user):
        raise Http404
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    if not candidate.cv:
        raise Http404
    try:
        handle = candidate.cv.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.record_cv_download(candidate=candidate, by=request.user)
    cv_access_log.info(
        "CV downloaded: user %s, candidate %s",
        request.user.pk,
        candidate.pk,
        extra={"user_id": request.user.pk, "candidate_id": candidate.pk},
    )
    response = FileResponse(handle, as_attachment=True, filename=cv_download_name(candidate))
    return response


@recruiter_required
@require_POST
def candidate_archive(request, pk):
    """Archive instead of delete (R5): out of the list and matching, history kept."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    try:
        gdpr.archive_candidate(candidate=candidate, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Profile archived: it no longer shows in the profile list or in matching.")
        )
    return redirect(candidate)


def _personal_data_profile(request, pk, queryset=None):
    """The profile of a GDPR action: 404 if out of sight, 403 without the permission."""
    if queryset is None:
        queryset = Candidate.objects.visible_to(request.user)
    candidate = get_object_or_404(queryset, pk=pk)
    if not gdpr.may_handle_personal_data(request.user):
        raise PermissionDenied
    return candidate


@recruiter_required
@require_POST
def candidate_export(request, pk):
    """Everything held on the person, as a JSON file (GDPR access request)."""
    candidate = _personal_data_profile(request, pk, gdpr.export_queryset())
    response = HttpResponse(
        gdpr.export_json([candidate], by=request.user),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="profile-{candidate.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@recruiter_required
@require_POST
def candidate_anonymise(request, pk):
    """Wipe what identifies the person, keeping the anonymous history (GDPR erasure)."""
    candidate = _personal_data_profile(request, pk)
    try:
        gdpr.anonymise_candidate(candidate=candidate, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Profile anonymised: its history stays, without the name."))
    return redirect(candidate)


@recruiter_required
@require_POST
def confirm_availability(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    services.confirm_availability(candidate=candidate, by=request.user, today=today)
    if request.htmx:
        return render(
            request,
            "candidates/candidate_detail.html#availability",
            {
                "candidate": candidate,
                "confirmed_now": True,
                **_availability_context(candidate, today),
            },
        )
    messages.success(request, _("Availability confirmed today."))
    return redirect(candidate)

"""Django admin for the pool: skills, portage companies, profiles and what they hold."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidates import gdpr
from candidates.models import (
    Candidate,
    CandidateSkill,
    ComplianceDocument,
    ComplianceRequirement,
    Experience,
    PortageCompany,
    Project,
    Skill,
)
from candidates.services import check_compliance_document, refresh_skill_years
from staffing.admin_fields import RecruiterFieldsMixin


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "profile_count"]
    list_filter = ["category"]
    search_fields = ["name"]

    def get_queryset(self, request):
        # One COUNT per row would grow with the page; the annotation keeps it to one query.
        return super().get_queryset(request).annotate(_profiles=Count("candidate_skills"))

    @admin.display(description=_("profiles"), ordering="_profiles")
    def profile_count(self, skill):
        return skill._profiles


class _DownloadLink:
    """What the file widget shows of a stored CV: its name, linked to the download view."""

    def __init__(self, field_file):
        self.url = reverse("candidates:cv", args=[field_file.instance.pk])
        self.name = field_file.name

    def __str__(self):
        return self.name


class PrivateFileWidget(AdminFileWidget):
    # The stock widget links to the storage's own URL: a 404 on disk, a signed URL on a
    # bucket. Either way it would skip the permission check and the access log.
    def is_initial(self, value):
        return isinstance(value, FieldFile) and bool(value)

    def format_value(self, value):
        return _DownloadLink(value) if self.is_initial(value) else None


@admin.register(PortageCompany)
class PortageCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "profile_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_profiles=Count("candidates"))

    @admin.display(description=_("profiles"), ordering="_profiles")
    def profile_count(self, company):
        return company._profiles


class CandidateSkillInline(admin.TabularInline):
    model = CandidateSkill
    autocomplete_fields = ["skill"]
    extra = 0


class ExperienceInline(admin.StackedInline):
    model = Experience
    autocomplete_fields = ["technologies"]
    extra = 0


class ProjectInline(admin.StackedInline):
    model = Project
    autocomplete_fields = ["technologies"]
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(RecruiterFieldsMixin, admin.ModelAdmin):
    formfield_overrides = {models.FileField: {"widget": PrivateFileWidget}}
    list_display = [
        "full_name",
        "headline",
        "seniority",
        "day_rate",
        "available_from",
        "channel",
        "legal_form",
        "portage_company",
        "owner",
        "is_archived",
        "created_at",
    ]
    list_select_related = ["portage_company", "owner"]
    list_filter = [
        "seniority",
        "channel",
        "legal_form",
        "remote_preference",
        ("archived_at", admin.EmptyFieldListFilter),
        "portage_company",
    ]
    search_fields = ["first_name", "last_name", "email", "headline", "location"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["portage_company"]
    recruiter_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at", "archived_at", "anonymised_at", "merged_into"]
    inlines = [CandidateSkillInline, ExperienceInline, ProjectInline]
    actions = [
        "recompute_skill_years",
        "archive_profiles",
        "restore_profiles",
        "export_as_json",
        "anonymise_profiles",
        "merge_two_profiles",
    ]
    fieldsets = [
        (
            _("Identity and contact"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "linkedin_url",
                    "address",
                    "languages",
                ]
            },
        ),
        (
            _("Profile"),
            {"fields": ["headline", "seniority", "day_rate", "soft_skill_notes", "cv"]},
        ),
        (
            _("Availability and location"),
            {
                "fields": [
                    "available_from",
                    "availability_confirmed_on",
                    "location",
                    "mobility",
                    "remote_preference",
                ]
            },
        ),
        (
            _("Legal form and sourcing"),
            {"fields": ["legal_form", "portage_company", "channel", "consent_on", "owner"]},
        ),
        (
            _("Internal"),
            {
                "fields": [
                    "internal_notes",
                    "created_at",
                    "updated_at",
                    "archived_at",
                    "anonymised_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, candidate):
        return candidate.full_name

    @admin.display(description=_("archived"), boolean=True, ordering="archived_at")
    def is_archived(self, candidate):
        return candidate.archived_at is not None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Years of a skill follow the experiences: recompute them when those changed.
        if any(fs.model is Experience and fs.has_changed() for fs in formsets):
            refresh_skill_years(candidate=form.instance)

    @admin.action(description=_("Recompute skill years from experiences"))
    def recompute_skill_years(self, request, queryset):
        count = 0
        for candidate in queryset:
            refresh_skill_years(candidate=candidate)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Skill years recomputed for %(count)d profile.",
                "Skill years recomputed for %(count)d profiles.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    # R5: a profile with history cannot be deleted (PROTECT); it is archived or anonymised.

    def _run_on_each(self, request, queryset, service, success):
        """Apply a service to each selected profile; a refusal is reported, the others go on."""
        done = 0
        for candidate in queryset:
            try:
                service(candidate)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, success(done), messages.SUCCESS)

    @admin.action(description=_("Archive the selected profiles"), permissions=["change"])
    def archive_profiles(self, request, queryset):
        self._run_on_each(
            request,
            queryset,
            lambda candidate: gdpr.archive_candidate(candidate=candidate, by=request.user),
            lambda n: (
                ngettext("%(count)d profile archived.", "%(count)d profiles archived.", n)
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Restore the selected profiles from the archive"), permissions=["change"]
    )
    def restore_profiles(self, request, queryset):
        self._run_on_each(
            request,
            queryset,
            lambda candidate: gdpr.restore_candidate(candidate=candidate, by=request.user),
            lambda n: (
                ngettext("%(count)d profile restored.", "%(count)d profiles restored.", n)
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Merge the two selected profiles (the older one is kept)"),
        permissions=["change"],
    )
    def merge_two_profiles(self, request, queryset):
        # The desk's side-by-side confirmation, then `candidates.merging.merge_profiles`: one
        # way to merge, wherever it starts.
        profiles = list(queryset.order_by("created_at", "pk")[:3])
        if len(profiles) != 2:
            self.message_user(request, _("Select exactly two profiles to merge."), messages.ERROR)
            return None
        keep, other = profiles
        return redirect(f"{reverse('candidates:merge', args=[keep.pk])}?other={other.pk}")

    @admin.action(description=_("Export as JSON (GDPR)"), permissions=["view"])
    def export_as_json(self, request, queryset):
        profiles = list(gdpr.export_queryset().filter(pk__in=queryset.values("pk")))
        name = f"profile-{profiles[0].pk}.json" if len(profiles) == 1 else "profiles.json"
        response = HttpResponse(
            gdpr.export_json(profiles, by=request.user),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description=_("Anonymise the selected profiles (GDPR)"), permissions=["change"])
    def anonymise_profiles(self, request, queryset):
        # Cannot be undone: ask first, like Django's own "delete selected".
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/candidates/candidate/anonymise_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Anonymise these profiles?"),
                    "opts": self.model._meta,
                    "profiles": queryset,
                    "action": "anonymise_profiles",
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._run_on_each(
            request,
            queryset,
            lambda candidate: gdpr.anonymise_candidate(candidate=candidate, by=request.user),
            lambda n: (
                ngettext("%(count)d profile anonymised.", "%(count)d profiles anonymised.", n)
                % {"count": n}
            ),
        )


@admin.register(CandidateSkill)
class CandidateSkillAdmin(admin.ModelAdmin):
    list_display = ["candidate", "skill", "level", "years", "years_override"]
    list_select_related = ["candidate", "skill"]
    list_filter = ["level", "years_override", "skill__category"]
    search_fields = ["candidate__first_name", "candidate__last_name", "skill__name"]
    autocomplete_fields = ["candidate", "skill"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["role", "company", "candidate", "start", "end"]
    list_select_related = ["candidate"]
    search_fields = ["role", "company", "candidate__first_name", "candidate__last_name"]
    date_hierarchy = "start"
    autocomplete_fields = ["candidate", "technologies"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_skill_years(candidate=form.instance.candidate)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "context", "candidate", "duration_months"]
    list_select_related = ["candidate"]
    list_filter = ["context"]
    search_fields = ["name", "candidate__first_name", "candidate__last_name"]
    autocomplete_fields = ["candidate", "technologies"]


@admin.register(ComplianceRequirement)
class ComplianceRequirementAdmin(admin.ModelAdmin):
    """Which documents each legal form owes before a selection (R9): the agency's choice,
    edited here (reference data, no rule of its own)."""

    list_display = ["legal_form", "document_type"]
    list_filter = ["legal_form", "document_type"]


@admin.register(ComplianceDocument)
class ComplianceDocumentAdmin(admin.ModelAdmin):
    """Documents are uploaded and checked from the profile's documents page (the services):
    here they are read, and checked through the same service."""

    list_display = [
        "document_type",
        "candidate",
        "portage_company",
        "issued_on",
        "expires_on",
        "checked_by",
        "checked_at",
    ]
    list_select_related = ["candidate", "portage_company", "checked_by"]
    list_filter = ["document_type", "expires_on"]
    search_fields = ["candidate__first_name", "candidate__last_name", "portage_company__name"]
    date_hierarchy = "expires_on"
    actions = ["mark_checked"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mark as checked"))
    def mark_checked(self, request, queryset):
        for document in queryset:
            check_compliance_document(document=document, by=request.user)
        self.message_user(request, _("Documents marked as checked."), messages.SUCCESS)

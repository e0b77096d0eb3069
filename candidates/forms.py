"""Profile forms: the search filters, the profile with its skills, experiences and projects,
and the CV upload checked by its content."""

import uuid
import zipfile

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from candidates import contact
from candidates.duplicates import find_duplicates
from candidates.models import (
    SENIORITY_RANK,
    Candidate,
    CandidateSkill,
    Channel,
    CvText,
    DocumentType,
    Experience,
    LegalForm,
    PoolMembership,
    Project,
    Seniority,
    Skill,
    SkillAlias,
    SkillCategory,
    TalentPool,
    skill_key,
)
from staffing.forms import ModelMultipleIdsField, within_supported_years

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# ---------- Search ----------


TEXT_SEARCH_FIELDS = ("first_name", "last_name", "headline")


def cv_texts_with(word):
    """The ids of the profiles whose CV holds `word`. On PostgreSQL, French full-text search
    on the stored vector (its GIN index, migration 0015): "développeurs" finds "développeur".
    Elsewhere a plain substring match on the text."""
    if connection.vendor == "postgresql":
        query = SearchQuery(word, config="french", search_type="plain")
        return CvText.objects.filter(search_vector=query).values("candidate_id")
    return CvText.objects.filter(text__icontains=word).values("candidate_id")


def search_text(queryset, text):
    """Profiles whose name, headline, a skill or the CV contains every word of `text`.

    The three text columns are looked up one by one, so that on PostgreSQL each `icontains`
    is answered by its trigram index (migration 0002) and a rare word costs a few index
    pages, not a scan of every profile. The skills named like the word are looked up first
    (a small table, one query per word): a word that names no skill then adds nothing, and
    one that does becomes an EXISTS on the skill rows, served by their indexes.
    """
    for word in text.split():
        mentions = [
            Candidate.objects.filter(**{f"{field}__icontains": word}).order_by().values("pk")
            for field in TEXT_SEARCH_FIELDS
        ]
        # UNION ALL: duplicates do not matter to IN, and removing them costs a sort.
        found = Q(pk__in=mentions[0].union(*mentions[1:], all=True))
        found |= Q(pk__in=cv_texts_with(word))
        named = list(
            Skill.objects.filter(Q(name__icontains=word) | Q(aliases__name__icontains=word))
            .values_list("pk", flat=True)
            .distinct()
        )
        if named:
            skill_rows = CandidateSkill.objects.filter(candidate=OuterRef("pk"), skill__in=named)
            found |= Q(Exists(skill_rows))
        queryset = queryset.filter(found)
    return queryset


def in_pool(queryset, pool):
    """Profiles of a talent pool (one EXISTS, served by the membership's unique index)."""
    return queryset.filter(
        Exists(PoolMembership.objects.filter(pool=pool, candidate=OuterRef("pk")))
    )


def pool_field():
    return forms.ModelChoiceField(
        label=_("Talent pool"),
        required=False,
        queryset=TalentPool.objects.all(),
        empty_label=_("All pools"),
    )


def show_pools(field, pools):
    """Offer `pools` (talent pools already read for the page) as the choices of a
    `pool_field()`, instead of the field reading them again when drawn."""
    field.choices = [("", field.empty_label), *((pool.pk, pool.name) for pool in pools)]


def with_every_skill(queryset, skills):
    """Profiles that have all of `skills` (one EXISTS each, served by the unique index)."""
    for skill in skills:
        has_skill = CandidateSkill.objects.filter(candidate=OuterRef("pk"), skill=skill)
        queryset = queryset.filter(Exists(has_skill))
    return queryset


class SkillNamesField(forms.CharField):
    """Skill names separated by commas ("React, TypeScript"), resolved to Skill records; a
    name may be an alias of the catalogue ("Postgres" finds PostgreSQL)."""

    def clean(self, value):
        value = super().clean(value)
        names = [name.strip() for name in value.split(",") if name.strip()]
        if not names:
            return []
        query = Q()
        for name in names:
            query |= Q(name__iexact=name)
        by_name = {skill.name.lower(): skill for skill in Skill.objects.filter(query)}
        keys = {name: skill_key(name) for name in names}
        by_alias = {
            alias.key: alias.skill
            for alias in SkillAlias.objects.filter(key__in=keys.values()).select_related("skill")
        }
        found, unknown = {}, []
        for name in names:
            skill = by_name.get(name.lower()) or by_alias.get(keys[name])
            if skill is None:
                unknown.append(name)
            else:
                found[skill.pk] = skill
        if unknown:
            raise forms.ValidationError(
                _("No skill named: %(names)s."), params={"names": ", ".join(unknown)}
            )
        return list(found.values())


SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "rate": ("day_rate", "last_name", "pk"),
    "available": ("available_from", "last_name", "pk"),
    "recent": ("-created_at", "-pk"),
}


class CandidateFilterForm(forms.Form):
    """The filters of the profile list. Every field is optional; invalid ones are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    skills = SkillNamesField(
        label=_("Skills (all of)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Python, Django")}),
    )
    seniority = forms.ChoiceField(
        label=_("Seniority"), required=False, choices=[("", _("Any"))] + Seniority.choices
    )
    max_rate = forms.IntegerField(label=_("Max. day rate (€)"), required=False, min_value=1)
    available_before = forms.DateField(
        label=_("Available before"), required=False, widget=DATE_WIDGET
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels"))] + Channel.choices
    )
    pool = pool_field()
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        # Shown above the results, outside the filter form it belongs to.
        widget=forms.Select(attrs={"form": "profile-filters"}),
        choices=[
            ("name", _("Name")),
            ("rate", _("Day rate")),
            ("available", _("Availability")),
            ("recent", _("Recently added")),
        ],
    )

    def filter(self, queryset):
        data = self.cleaned_data if self.is_bound else {}
        if data.get("q"):
            queryset = search_text(queryset, data["q"])
        if data.get("skills"):
            queryset = with_every_skill(queryset, data["skills"])
        if data.get("seniority"):
            queryset = queryset.filter(seniority=data["seniority"])
        if data.get("max_rate"):
            queryset = queryset.filter(day_rate__lte=data["max_rate"])
        if data.get("available_before"):
            queryset = queryset.filter(available_from__lte=data["available_before"])
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("pool"):
            queryset = in_pool(queryset, data["pool"])
        return queryset.order_by(*SORTS[data.get("sort") or "name"])

    @property
    def is_filtered(self):
        return self.is_bound and any(
            value for name, value in self.data.items() if name in self.fields and name != "sort"
        )


class MergeChoiceForm(forms.Form):
    """Finding the duplicate to merge into a profile: a search, then the chosen profile."""

    q = forms.CharField(label=_("Name, headline or skill"), required=False, max_length=100)
    other = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class SkillAddForm(forms.Form):
    """A technology added to the catalogue from the desk, with its other names."""

    name = forms.CharField(label=_("Technology"), max_length=60)
    category = forms.ChoiceField(label=_("Category"), choices=SkillCategory.choices)
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas, e.g. Postgres, PG for PostgreSQL."),
    )

    def clean_aliases(self):
        names = [name.strip() for name in self.cleaned_data["aliases"].split(",")]
        too_long = [name for name in names if len(name) > 60]
        if too_long:
            raise forms.ValidationError(_("A name has at most 60 characters."), code="too_long")
        return [name for name in names if name]


class SkillAliasForm(forms.Form):
    name = forms.CharField(label=_("Other name"), max_length=60)


class PoolNameForm(forms.Form):
    name = forms.CharField(label=_("Pool name"), max_length=80)


class PoolAddForm(forms.Form):
    """Profiles to put in a pool: the ticked rows of a list, or one profile."""

    pool = forms.ModelChoiceField(label=_("Talent pool"), queryset=TalentPool.objects.all())
    candidate = ModelMultipleIdsField(label=_("Profiles"), queryset=Candidate.objects.active())


class PoolMemberForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Profile"), queryset=Candidate.objects.all())


class MatchingFilterForm(forms.Form):
    """Narrows the ranked pool of the matching page (the mockup's filter bar)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    skills = SkillNamesField(
        label=_("Skills (all of)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. React, TypeScript")}),
    )
    seniority = forms.ChoiceField(
        label=_("Minimum seniority"),
        required=False,
        choices=[("", _("Any"))] + Seniority.choices,
    )
    max_rate = forms.IntegerField(label=_("Max. day rate (€)"), required=False, min_value=1)
    available_before = forms.DateField(
        label=_("Available before"), required=False, widget=DATE_WIDGET
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels"))] + Channel.choices
    )
    pool = pool_field()

    def filter(self, queryset):
        data = self.cleaned_data if self.is_bound else {}
        if data.get("q"):
            queryset = search_text(queryset, data["q"])
        if data.get("skills"):
            queryset = with_every_skill(queryset, data["skills"])
        if data.get("seniority"):
            rank = SENIORITY_RANK[data["seniority"]]
            levels = [value for value, r in SENIORITY_RANK.items() if r >= rank]
            queryset = queryset.filter(seniority__in=levels)
        if data.get("max_rate"):
            queryset = queryset.filter(day_rate__lte=data["max_rate"])
        if data.get("available_before"):
            queryset = queryset.filter(available_from__lte=data["available_before"])
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("pool"):
            queryset = in_pool(queryset, data["pool"])
        return queryset


# ---------- CV ----------

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


def cv_kind(upload):
    """ "pdf" or "docx" judged from the bytes, whatever the file's name says; else None."""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(upload) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None


def clean_cv_upload(upload):
    """Check size and content, then give the file a random name (the original may leak)."""
    if upload.size > settings.CV_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s; a CV may be %(limit)s at most."),
            code="cv_too_big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.CV_MAX_BYTES),
            },
        )
    kind = cv_kind(upload)
    if kind is None:
        raise forms.ValidationError(
            _("Upload a PDF or a Word (.docx) document."), code="cv_bad_type"
        )
    upload.name = f"{uuid.uuid4().hex}.{kind}"
    return upload


class CvSkillDecisionForm(forms.Form):
    """The recruiter's answer to a skill the CV suggests."""

    CONFIRM, DISMISS = "confirm", "dismiss"

    skill = forms.IntegerField(label=_("Skill"), min_value=1)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(CONFIRM, _("Add")), (DISMISS, _("Dismiss"))]
    )


# ---------- The profile and its inline rows ----------


class CandidateForm(forms.ModelForm):
    remove_cv = forms.BooleanField(label=_("Remove the current CV"), required=False)
    # Shown once the form found profiles that may be the same person: ticking it saves anyway.
    confirm_duplicates = forms.BooleanField(
        label=_("This is another person: save anyway"), required=False
    )

    class Meta:
        model = Candidate
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "linkedin_url",
            "address",
            "location",
            "mobility",
            "remote_preference",
            "languages",
            "headline",
            "seniority",
            "day_rate",
            "available_from",
            "legal_form",
            "portage_company",
            "channel",
            "consent_on",
            "cv",
            "soft_skill_notes",
            "internal_notes",
        ]
        widgets = {
            "available_from": DATE_WIDGET,
            "consent_on": DATE_WIDGET,
            "cv": forms.FileInput(
                attrs={
                    "accept": ".pdf,.docx,application/pdf,"
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                }
            ),
            "address": forms.TextInput(),
            "soft_skill_notes": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "cv": _("PDF or Word (.docx). Only recruiters can download it."),
            "languages": _("E.g. French (native), English (fluent)."),
            "mobility": _("Where they can work on site, e.g. Lyon and Grenoble."),
            "consent_on": _("When the freelancer agreed to their data being kept (GDPR)."),
            "portage_company": _("Only for portage salarial."),
            "internal_notes": _("Recruiters only: never shown to clients."),
        }

    def __init__(self, *args, check_duplicates=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_duplicates = check_duplicates
        self.duplicates = []
        # The model field allows 0 ("positive integer"); a day rate must be at least 1 €,
        # and saying so beats "greater than or equal to 0".
        rate = self.fields["day_rate"]
        rate.validators = [
            validator
            for validator in rate.validators
            if not isinstance(validator, MinValueValidator)
        ] + [MinValueValidator(1, message=_("A day rate is a positive amount, in euros."))]
        rate.widget.attrs["min"] = 1
        # The upload is stored under a random name (clean_cv_upload): however long the
        # freelancer's own file name, it is no reason to refuse the CV.
        self.fields["cv"].max_length = None
        if not (self.instance.pk and self.instance.cv):
            del self.fields["remove_cv"]

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        # An untouched field hands back the stored file: only new uploads are checked.
        if upload and hasattr(upload, "content_type"):
            return clean_cv_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("legal_form") == LegalForm.PORTAGE:
            if not cleaned.get("portage_company"):
                self.add_error("portage_company", _("Choose the portage company."))
        else:
            cleaned["portage_company"] = None
        if cleaned.get("remove_cv") and not self.files.get(self.add_prefix("cv")):
            cleaned["cv"] = False  # FileField.save_form_data clears on False, not None
        if self.check_duplicates and not self.errors and self._identity_changed():
            self._warn_of_duplicates(cleaned)
        return cleaned

    # What tells who a person is: a new profile, or a change of one of these, is checked
    # against the pool; an edit of anything else does not ask again.
    IDENTITY_FIELDS = {"first_name", "last_name", "email", "phone", "linkedin_url", "location"}

    def _identity_changed(self):
        return self.instance.pk is None or bool(self.IDENTITY_FIELDS & set(self.changed_data))

    def clean_linkedin_url(self):
        return contact.normalise_linkedin_url(self.cleaned_data.get("linkedin_url"))

    def _warn_of_duplicates(self, cleaned):
        """Profiles that may be this person stop the save until the recruiter confirms."""
        self.duplicates = find_duplicates(
            email=cleaned.get("email"),
            phone=cleaned.get("phone"),
            linkedin_url=cleaned.get("linkedin_url"),
            first_name=cleaned.get("first_name"),
            last_name=cleaned.get("last_name"),
            city=cleaned.get("location"),
            exclude=self.instance if self.instance.pk else None,
        )
        if self.duplicates and not cleaned.get("confirm_duplicates"):
            self.add_error(
                None,
                ValidationError(
                    _(
                        "This person may already be in the pool: check the profiles listed, "
                        "then confirm to save anyway."
                    ),
                    code="possible_duplicate",
                ),
            )


class SharedSkillChoicesMixin:
    """Every row of a formset lists the same skills: load them once, not once per row."""

    skill_fields = ()

    def __init__(self, *args, skill_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if skill_choices is not None:
            for name in self.skill_fields:
                field = self.fields[name]
                single = not isinstance(field, forms.ModelMultipleChoiceField)
                blank = [("", field.empty_label)] if single and field.empty_label else []
                field.choices = blank + skill_choices


class TechnologiesWidget(forms.CheckboxSelectMultiple):
    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "tech-picker", **(attrs or {})})


class ExperienceForm(SharedSkillChoicesMixin, forms.ModelForm):
    skill_fields = ("technologies",)

    class Meta:
        model = Experience
        fields = ["company", "role", "start", "end", "technologies", "description"]
        field_classes = {"technologies": ModelMultipleIdsField}
        widgets = {
            "start": DATE_WIDGET,
            "end": DATE_WIDGET,
            "technologies": TechnologiesWidget,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end is before the start."))
        return cleaned


class ProjectForm(SharedSkillChoicesMixin, forms.ModelForm):
    skill_fields = ("technologies",)

    class Meta:
        model = Project
        fields = ["name", "context", "duration_months", "link", "technologies", "description"]
        field_classes = {"technologies": ModelMultipleIdsField}
        widgets = {
            "technologies": TechnologiesWidget,
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class CandidateSkillForm(SharedSkillChoicesMixin, forms.ModelForm):
    skill_fields = ("skill",)

    class Meta:
        model = CandidateSkill
        fields = ["skill", "level", "years", "years_override"]
        widgets = {"years": forms.NumberInput(attrs={"min": 0, "step": "0.5"})}
        help_texts = {"years": ""}


# A tampered TOTAL_FORMS would otherwise build (and render back) up to 2,000 forms per
# formset: over a minute of a worker's time for one request. Far above any real profile.
ROW_LIMITS = {"max_num": 100, "absolute_max": 100, "validate_max": True}
ExperienceFormSet = inlineformset_factory(
    Candidate, Experience, form=ExperienceForm, extra=1, can_delete=True, **ROW_LIMITS
)
ProjectFormSet = inlineformset_factory(
    Candidate, Project, form=ProjectForm, extra=1, can_delete=True, **ROW_LIMITS
)
SkillFormSet = inlineformset_factory(
    Candidate, CandidateSkill, form=CandidateSkillForm, extra=2, can_delete=True, **ROW_LIMITS
)


def skill_choices():
    """The (id, name) pairs every skill picker of a profile form shares."""
    return list(Skill.objects.values_list("pk", "name"))


class AvailabilityForm(forms.Form):
    """The freelancer's availability date, from the emailed link (the service checks it)."""

    available_from = forms.DateField(
        label=_("Available from"),
        widget=DATE_WIDGET,
        help_text=_("The first day you can start a mission. Keep the date shown to confirm it."),
    )


# ---------- Compliance documents (R9) ----------

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PROFILE_HOLDER = "profile"


def document_kind(upload):
    """ "pdf", "jpg" or "png" judged from the bytes (a scan or a PDF); else None."""
    upload.seek(0)
    head = upload.read(len(PNG_MAGIC))
    upload.seek(0)
    for magic, kind in ((PDF_MAGIC, "pdf"), (JPEG_MAGIC, "jpg"), (PNG_MAGIC, "png")):
        if head.startswith(magic):
            return kind
    return None


class ComplianceDocumentForm(forms.Form):
    """Upload a compliance document of a profile or, in portage, of its portage company."""

    holder = forms.ChoiceField(label=_("Held by"))
    document_type = forms.ChoiceField(label=_("Document"), choices=DocumentType.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG or PNG. Only recruiters can download it.")
    )
    issued_on = forms.DateField(
        label=_("Issued on"), widget=DATE_WIDGET, validators=[within_supported_years]
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE_WIDGET,
        validators=[within_supported_years],
        help_text=_(
            "Leave empty to use the usual validity (URSSAF attestation: 6 months from issue)."
        ),
    )
    checked = forms.BooleanField(
        label=_("I have checked this document (authentic, in the freelancer's name, legible)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        holders = [(PROFILE_HOLDER, candidate.full_name)]
        if candidate.portage_company_id:
            company = candidate.portage_company
            holders.append((str(company.pk), _("%(name)s (portage company)") % {"name": company}))
        self.fields["holder"].choices = holders

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CV_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; a document may be %(limit)s at most."),
                code="document_too_big",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.CV_MAX_BYTES),
                },
            )
        kind = document_kind(upload)
        if kind is None:
            raise forms.ValidationError(
                _("Upload a PDF, a JPEG or a PNG file."), code="document_bad_type"
            )
        upload.name = f"{uuid.uuid4().hex}.{kind}"
        return upload

    def service_arguments(self):
        """The cleaned data as `services.add_compliance_document` takes it."""
        data = dict(self.cleaned_data)
        holder = data.pop("holder")
        if holder == PROFILE_HOLDER:
            data["candidate"] = self.candidate
        else:
            data["portage_company"] = self.candidate.portage_company
        return data

"""The agency's pool: freelance profiles with their skills, experiences and projects."""

import calendar
import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from candidates import contact, money
from staffing import access
from staffing.constraints import FieldCheckConstraint
from staffing.limits import LONG_TEXT
from staffing.storage import private_storage


class Seniority(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    CONFIRMED = "confirmed", _("Confirmed")
    SENIOR = "senior", _("Senior")
    EXPERT = "expert", _("Expert")


SENIORITY_RANK = {value: rank for rank, value in enumerate(Seniority.values)}


class RemotePolicy(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Full remote")


class SkillCategory(models.TextChoices):
    LANGUAGE = "language", pgettext_lazy("skill category", "Language")
    FRONTEND = "frontend", _("Front-end")
    BACKEND = "backend", _("Back-end framework")
    DATA = "data", _("Data")
    CLOUD = "cloud", _("Cloud & DevOps")
    MOBILE = "mobile", _("Mobile")
    METHOD = "method", _("Method")
    OTHER = "other", _("Other")


class Skill(models.Model):
    """A technology. One record per technology, names unique whatever their case."""

    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(
        _("category"), max_length=20, choices=SkillCategory.choices, default=SkillCategory.OTHER
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="candidates_skill_name_ci_unique",
                violation_error_message=_("A skill with this name already exists."),
                violation_error_code="skill_exists",
            ),
        ]

    def __str__(self):
        return self.name


def skill_key(name):
    """A technology's name as the catalogue compares names: without case, accents or extra
    spaces ("Postgré SQL " and "postgre sql" are one name)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


class SkillAlias(models.Model):
    """Another name of a technology ("Postgres" for PostgreSQL): searching or matching a
    skill by this name finds the technology."""

    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=60)
    # `skill_key(name)`, unique: one alias names one technology, whatever its case or accents.
    key = models.CharField(_("comparison key"), max_length=60, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill alias")
        verbose_name_plural = _("skill aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="candidates_skillalias_key_unique",
                violation_error_message=_("This alias already names a technology."),
                violation_error_code="alias_exists",
            ),
        ]

    def __str__(self):
        return self.name


class PortageCompany(models.Model):
    """A *société de portage salarial*: both a legal frame and a sourcing channel."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("portage company")
        verbose_name_plural = _("portage companies")

    def __str__(self):
        return self.name


class LegalForm(models.TextChoices):
    MICRO = "micro", _("Micro-entreprise")
    COMPANY = "company", _("Company (SASU, EURL…)")
    PORTAGE = "portage", _("Portage salarial")


class Channel(models.TextChoices):
    LINKEDIN = "linkedin", _("LinkedIn")
    PORTAGE = "portage", _("Portage company")
    PLATFORM = "platform", _("Freelance platform")
    REFERRAL = "referral", _("Referral")
    DIRECT = "direct", _("Direct application")
    JOB_BOARD = "job_board", _("Job board")
    OTHER = "other", _("Other")


# An availability not confirmed for longer than this is stale: the freelancer may have
# found another mission meanwhile.
AVAILABILITY_STALE_WEEKS = 3


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Recruiters see the pool; a client contact only profiles sent to its company (R3)."""
        if access.is_recruiter(user):
            return self
        client = access.client_of(user)
        if client is None:
            return self.none()
        # Through the reverse relation, so this app does not import `missions`.
        return self.filter(
            shortlist_entries__mission__client=client,
            shortlist_entries__sent_at__isnull=False,
        ).distinct()

    def active(self):
        return self.filter(archived_at__isnull=True)

    def availability_stale(self, today):
        """Profiles whose availability was never confirmed or not for AVAILABILITY_STALE_WEEKS
        (the query form of `Candidate.availability_is_stale`)."""
        cutoff = today - timedelta(weeks=AVAILABILITY_STALE_WEEKS)
        return self.filter(
            Q(availability_confirmed_on__isnull=True) | Q(availability_confirmed_on__lt=cutoff)
        )


class Candidate(models.Model):
    """A freelance profile: who they are, what they know, what they ask."""

    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    linkedin_url = models.CharField(
        _("LinkedIn profile"),
        max_length=200,
        blank=True,
        help_text=_("E.g. https://www.linkedin.com/in/camille-lefevre"),
        validators=[contact.validate_linkedin_url],
    )
    # What duplicates are looked up by (`candidates.duplicates`), kept in step with the
    # fields above by save(): the phone in E.164 form, the name without accents or order.
    phone_normalised = models.CharField(
        _("phone (normalised)"), max_length=20, blank=True, editable=False
    )
    name_key = models.CharField(_("name (normalised)"), max_length=170, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    headline = models.CharField(_("headline"), max_length=160)
    seniority = models.CharField(_("seniority"), max_length=12, choices=Seniority.choices)
    day_rate = models.PositiveIntegerField(
        _("day rate (€)"),
        help_text=_("What the freelancer asks per day, excluding VAT."),
        validators=money.DAILY_RATE_VALIDATORS,
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    availability_confirmed_on = models.DateField(
        _("availability confirmed on"), null=True, blank=True
    )
    # The day the freelancer was last asked to confirm (see `candidates.reminders`): asked
    # once per unconfirmed stretch, again only after a new confirmation goes stale.
    availability_reminder_sent_on = models.DateField(
        _("availability reminder sent on"), null=True, blank=True, editable=False
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    mobility = models.CharField(_("mobility"), max_length=160, blank=True)
    remote_preference = models.CharField(
        _("remote preference"),
        max_length=10,
        choices=RemotePolicy.choices,
        default=RemotePolicy.HYBRID,
    )
    legal_form = models.CharField(
        _("legal form"), max_length=10, choices=LegalForm.choices, default=LegalForm.MICRO
    )
    portage_company = models.ForeignKey(
        PortageCompany,
        verbose_name=_("portage company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
    )
    channel = models.CharField(_("sourcing channel"), max_length=12, choices=Channel.choices)
    languages = models.CharField(_("languages"), max_length=160, blank=True)
    cv = models.FileField(_("CV"), upload_to="cv/%Y/%m/", storage=private_storage, blank=True)
    consent_on = models.DateField(_("consent date"), null=True, blank=True)
    soft_skill_notes = models.TextField(_("soft-skill notes"), max_length=LONG_TEXT, blank=True)
    internal_notes = models.TextField(_("internal notes"), max_length=LONG_TEXT, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recruiter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The profile this duplicate was merged into (`candidates.merging`): its old page leads
    # there, and it can be merged no more.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("freelance profile")
        verbose_name_plural = _("freelance profiles")
        constraints = [
            FieldCheckConstraint(
                condition=money.daily_rate_in_bounds("day_rate"),
                name="candidates_candidate_day_rate_in_bounds",
                field="day_rate",
                violation_error_message=money.DAILY_RATE_OUT_OF_BOUNDS,
                violation_error_code="rate_out_of_bounds",
            ),
            FieldCheckConstraint(
                condition=Q(legal_form="portage") | Q(portage_company__isnull=True),
                name="candidates_candidate_portage_company_only_for_portage",
                field="portage_company",
                violation_error_message=_(
                    "A portage company goes with the portage legal form only."
                ),
                violation_error_code="portage_company_without_portage",
            ),
        ]
        indexes = [
            # Profile search and matching narrow the pool by seniority, then by rate.
            models.Index(fields=["seniority", "day_rate"], name="cand_seniority_rate_idx"),
            # "available before <date>" filter.
            models.Index(fields=["available_from"], name="cand_available_idx"),
            # Duplicates (`candidates.duplicates`): one lookup per way to recognise a person.
            models.Index(Lower("email"), name="cand_email_lower_idx"),
            models.Index(fields=["phone_normalised"], name="cand_phone_norm_idx"),
            models.Index(fields=["linkedin_url"], name="cand_linkedin_idx"),
            models.Index(fields=["name_key"], name="cand_name_key_idx"),
            # Insights by sourcing channel.
            models.Index(fields=["channel"], name="cand_channel_idx"),
            # The profile list and search, sorted by name among active profiles: the database
            # reads the index in order and stops at the page's last row instead of sorting
            # every match.
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=Q(archived_at__isnull=True),
                name="cand_active_name_idx",
            ),
            # Matching's narrow pools: each profile holding the required skills is checked
            # for the wanted seniority, rate and start from the index alone, not its row.
            models.Index(
                fields=["id", "seniority", "day_rate", "available_from"],
                condition=Q(archived_at__isnull=True),
                name="cand_match_idx",
            ),
            # Text search (`forms.search_text`) uses trigram GIN indexes on the upper-cased
            # names and headline: PostgreSQL only, so they live in migration 0002, not here.
        ]
        # GDPR requests (export, anonymise) from the desk: granted to chosen recruiters in the
        # admin; admins hold it through their role (`candidates.gdpr.may_handle_personal_data`).
        permissions = [
            ("handle_personal_data", _("Can export and anonymise a profile's personal data")),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # Every path that saves a profile (forms, admin, API, import, anonymisation) keeps
        # the lookup forms in step; update_fields callers that touch none of these skip it.
        self.linkedin_url = contact.normalise_linkedin_url(self.linkedin_url)
        self.phone_normalised = contact.normalise_phone(self.phone)
        self.name_key = contact.name_key(self.first_name, self.last_name)[:170]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"phone", "first_name", "last_name", "linkedin_url"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "phone_normalised", "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("candidates:detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def client_display_name(self):
        """First name and last-name initial: all a client sees of a name (SPEC §5)."""
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}"

    def availability_is_stale(self, today=None, weeks=AVAILABILITY_STALE_WEEKS):
        today = today or date.today()
        confirmed = self.availability_confirmed_on
        return confirmed is None or (today - confirmed).days > weeks * 7


class CandidateSkill(models.Model):
    """A technology a profile knows, with a level and years (computed from experiences)."""

    class Level(models.IntegerChoices):
        NOTIONS = 1, _("Notions")
        PRACTICE = 2, _("Practised")
        AUTONOMOUS = 3, _("Autonomous")
        ADVANCED = 4, _("Advanced")
        EXPERT = 5, _("Expert")

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="skills",
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="candidate_skills"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.AUTONOMOUS
    )
    years = models.DecimalField(
        _("years"),
        max_digits=4,
        decimal_places=1,
        default=0,
        help_text=_("Computed from the experiences where they name this technology."),
    )
    # Training, school, personal and open-source projects naming this technology, kept apart
    # from professional years: they count for junior and confirmed missions only.
    project_years = models.DecimalField(
        _("years in projects"),
        max_digits=4,
        decimal_places=1,
        default=0,
        editable=False,
        help_text=_("Computed from the projects where they name this technology."),
    )
    years_override = models.BooleanField(
        _("years entered by hand"),
        default=False,
        help_text=_("Keep the years typed in instead of computing them from experiences."),
    )

    class Meta:
        ordering = ["-years", "skill__name"]
        verbose_name = _("profile skill")
        verbose_name_plural = _("profile skills")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "skill"], name="candidates_candidateskill_unique"
            ),
            FieldCheckConstraint(
                condition=Q(project_years__gte=0),
                name="candidates_candidateskill_project_years_positive",
                field="project_years",
                violation_error_message=_("The years in projects cannot be negative."),
                violation_error_code="project_years_negative",
            ),
            FieldCheckConstraint(
                condition=Q(years__gte=0),
                name="candidates_candidateskill_years_positive",
                field="years",
                violation_error_message=_("The years of a skill cannot be negative."),
                violation_error_code="years_negative",
            ),
        ]
        indexes = [
            # Matching and skill filters: "which profiles know skill X for at least N years".
            models.Index(fields=["skill", "years"], name="candskill_skill_years_idx"),
            # Matching and the skills filter of the search: the profiles with skill X, read
            # from the index alone (years included for the score) and merged by profile.
            # (Years as a key column rather than INCLUDE: SQLite has no covering indexes.)
            models.Index(fields=["skill", "candidate", "years"], name="candskill_skill_cand_idx"),
            # Matching's score: the demanded skills of each profile of a narrow pool (a few
            # thousand), with their years, read from the index alone.
            models.Index(fields=["candidate", "skill", "years"], name="candskill_cand_skill_idx"),
        ]

    def __str__(self):
        return f"{self.skill} ({self.years} y)"


class Experience(models.Model):
    """A professional experience: where, as what, when, with which technologies."""

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="experiences",
    )
    company = models.CharField(_("client / company"), max_length=120)
    role = models.CharField(_("role"), max_length=120)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty if ongoing."))
    technologies = models.ManyToManyField(
        Skill, verbose_name=_("technologies"), blank=True, related_name="experiences"
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        constraints = [
            FieldCheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="candidates_experience_end_after_start",
                field="end",
                violation_error_message=_("The end cannot come before the start."),
                violation_error_code="end_before_start",
            ),
        ]

    def __str__(self):
        return f"{self.role} — {self.company}"

    def months(self, today=None):
        end = self.end or today or date.today()
        return max(0, (end.year - self.start.year) * 12 + end.month - self.start.month)


class Project(models.Model):
    """A training, school or personal project: how juniors show what they can do."""

    class Context(models.TextChoices):
        TRAINING = "training", _("Training")
        SCHOOL = "school", _("School")
        PERSONAL = "personal", _("Personal")
        OPEN_SOURCE = "open_source", _("Open source")

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    name = models.CharField(_("name"), max_length=120)
    context = models.CharField(_("context"), max_length=12, choices=Context.choices)
    technologies = models.ManyToManyField(
        Skill, verbose_name=_("technologies"), blank=True, related_name="projects"
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), default=1)
    link = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name


class TalentPool(models.Model):
    """A named list of profiles the recruiters share ("Lyon Java seniors", "to call in
    September"): a filter of the profile search and of the matching."""

    name = models.CharField(_("name"), max_length=80)
    profiles = models.ManyToManyField(
        Candidate,
        verbose_name=_("profiles"),
        through="PoolMembership",
        related_name="pools",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("talent pool")
        verbose_name_plural = _("talent pools")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="candidates_talentpool_name_ci_unique",
                violation_error_message=_("A pool with this name already exists."),
                violation_error_code="pool_exists",
            ),
        ]

    def __str__(self):
        return self.name


class PoolMembership(models.Model):
    """A profile in a pool: who added it and when."""

    pool = models.ForeignKey(
        TalentPool, verbose_name=_("pool"), on_delete=models.CASCADE, related_name="memberships"
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="pool_memberships",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name = _("pool membership")
        verbose_name_plural = _("pool memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "candidate"],
                name="candidates_poolmembership_once_per_pool",
                violation_error_message=_("This profile is already in the pool."),
                violation_error_code="already_in_pool",
            ),
        ]
        # The unique constraint's index (pool, candidate) serves the pool filter of the search
        # and the matching (EXISTS on pool = … AND candidate = …) and the pools' counts.

    def __str__(self):
        return f"{self.candidate_id} in {self.pool}"


class CvDownload(models.Model):
    """Who downloaded a profile's CV, and when (R5): shown on the profile, kept with it."""

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="cv_downloads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("downloaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("downloaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("CV download")
        verbose_name_plural = _("CV downloads")
        indexes = [
            # The profile page lists its latest downloads.
            models.Index(fields=["candidate", "-at"], name="cv_download_candidate_at_idx"),
        ]

    def __str__(self):
        return f"{self.candidate_id} {self.at:%Y-%m-%d %H:%M}"


class CvText(models.Model):
    """The words of a profile's current CV, read by a background task (`candidates.cv_text`),
    so that the profile search finds a word that only the CV holds."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being read")
        READ = "read", _("Read")
        EMPTY = "empty", _("No text found")
        FAILED = "failed", _("Unreadable")

    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="cv_text",
    )
    # The stored file this text was read from: a task for an older upload leaves it alone.
    cv_name = models.CharField(_("CV file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    text = models.TextField(_("text"), blank=True)
    # PostgreSQL's French full-text vector of `text`, written by the task (GIN index in the
    # migration); NULL on SQLite, where the search falls back to `text` LIKE '%word%'.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("CV text")
        verbose_name_plural = _("CV texts")

    def __str__(self):
        return f"{self.candidate_id} ({self.status})"


class CvSkillSuggestion(models.Model):
    """A technology of the catalogue named in the CV that the profile does not list yet: the
    recruiter confirms it (the skill is added, the suggestion goes) or dismisses it (kept, so
    that reading the CV again does not suggest it anew)."""

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="cv_skill_suggestions",
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.CASCADE, related_name="+"
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)

    class Meta:
        ordering = ["skill__name"]
        verbose_name = _("skill suggested by the CV")
        verbose_name_plural = _("skills suggested by the CV")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "skill"],
                name="candidates_cvskillsuggestion_unique",
                violation_error_message=_("This skill is already suggested for this profile."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate_id}: {self.skill}"


# ---------------------------------------------------------------- compliance (R9)


class DocumentType(models.TextChoices):
    """What the *obligation de vigilance* asks of a freelancer (or of their portage company)
    before a contract and every six months during it."""

    URSSAF = "urssaf", _("URSSAF attestation de vigilance")
    REGISTRATION = "registration", _("Company registration extract (Kbis / INSEE)")
    INSURANCE = "insurance", _("Professional liability insurance")
    PORTAGE_GUARANTEE = "portage_guarantee", _("Portage company's financial guarantee")


# How long a document is valid from its issue date, in months, when the document itself does
# not say: an URSSAF attestation is valid six months (Code de la sécurité sociale, D. 8222-5),
# and the vigilance check is renewed every six months, registration extract included.
DOCUMENT_VALIDITY_MONTHS = {
    DocumentType.URSSAF: 6,
    DocumentType.REGISTRATION: 6,
    DocumentType.INSURANCE: 12,
    DocumentType.PORTAGE_GUARANTEE: 12,
}

# A reminder goes out this many days before a document expires.
DOCUMENT_REMINDER_DAYS = 30


def add_months(day, months):
    """The same day `months` later; the month's last day when that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ComplianceRequirement(models.Model):
    """One document type that a legal form must provide before a selection (R9). Edited in
    the admin: the agency decides which documents each legal form owes."""

    legal_form = models.CharField(_("legal form"), max_length=10, choices=LegalForm.choices)
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices
    )

    class Meta:
        ordering = ["legal_form", "document_type"]
        verbose_name = _("mandatory compliance document")
        verbose_name_plural = _("mandatory compliance documents")
        constraints = [
            models.UniqueConstraint(
                fields=["legal_form", "document_type"],
                name="candidates_compliancerequirement_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_legal_form_display()}: {self.get_document_type_display()}"


class ComplianceDocumentQuerySet(models.QuerySet):
    def of_profile(self, candidate):
        """The documents that count for a profile: its own and, in portage, its portage
        company's (the company holds the attestations of the freelancers it employs)."""
        holders = Q(candidate_id=candidate.pk)
        if candidate.portage_company_id:
            holders |= Q(portage_company_id=candidate.portage_company_id)
        return self.filter(holders)

    def valid_on(self, day):
        return self.filter(checked_at__isnull=False, issued_on__lte=day, expires_on__gt=day)


class ComplianceDocument(models.Model):
    """A compliance document of a freelancer or of a portage company: its file (private, like
    a CV), when it was issued, until when it holds, and who checked it."""

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="compliance_documents",
    )
    portage_company = models.ForeignKey(
        PortageCompany,
        verbose_name=_("portage company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="compliance_documents",
    )
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices
    )
    file = models.FileField(
        _("file"), upload_to="compliance/%Y/%m/", storage=private_storage, max_length=200
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(
        _("expires on"), help_text=_("The first day the document no longer holds.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    # The day the recruiters were told it expires soon (`candidates.reminders`): once.
    expiry_reminder_sent_on = models.DateField(
        _("expiry reminder sent on"), null=True, blank=True, editable=False
    )

    objects = ComplianceDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["document_type", "-expires_on"]
        verbose_name = _("compliance document")
        verbose_name_plural = _("compliance documents")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(candidate__isnull=False, portage_company__isnull=True)
                    | Q(candidate__isnull=True, portage_company__isnull=False)
                ),
                name="candidates_compliancedocument_one_holder",
                violation_error_message=_(
                    "A document belongs to a profile or to a portage company, not both."
                ),
                violation_error_code="one_holder",
            ),
            FieldCheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="candidates_compliancedocument_expires_after_issue",
                field="expires_on",
                violation_error_message=_("The document must expire after its issue date."),
                violation_error_code="expires_before_issue",
            ),
        ]
        indexes = [
            # The expiry reminders and the dashboard: documents expiring before a date.
            models.Index(fields=["expires_on"], name="compliancedoc_expires_idx"),
        ]

    def __str__(self):
        return f"{self.get_document_type_display()} ({self.issued_on:%Y-%m-%d})"

    @property
    def holder(self):
        return self.candidate or self.portage_company

    @property
    def is_checked(self):
        return self.checked_at is not None

    def is_valid_on(self, day):
        return self.is_checked and self.issued_on <= day < self.expires_on


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for the column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A file of profiles to import (`candidates.imports`), and how far its import went.

    The counters are written as the rows are imported, so a page reload shows the progress.
    """

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # The language of the recruiter who started it: the report's words are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # {field name: column index}, as the recruiter confirmed it on the preview.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("profiles created"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows skipped"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # The rows not imported, each {"row": line number, "kind": "error"|"skipped",
    # "messages": [...], "profile": pk or None}: what the recruiter reads after the import.
    report = models.JSONField(_("report"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("profile import")
        verbose_name_plural = _("profile imports")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        if self.status == ImportStatus.PREVIEW:
            return reverse("candidates:import_preview", args=[self.pk])
        return reverse("candidates:import_progress", args=[self.pk])

    @property
    def is_running(self):
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def has_failed(self):
        return self.status == ImportStatus.FAILED

    @property
    def percent(self):
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, self.rows_done * 100 // self.total_rows)

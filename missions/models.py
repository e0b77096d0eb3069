"""Clients, their contacts, missions and shortlists, and the timeline of every state change."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from candidates import money
from candidates.models import Candidate, RemotePolicy, Seniority, Skill
from missions.periods import Period
from staffing import access
from staffing.constraints import FieldCheckConstraint
from staffing.dates import short_date
from staffing.limits import LONG_TEXT, NOTE_TEXT

SHORTLIST_CAP = 4  # R1
# A part of the recruiter's report is a short text: a few sentences, not a CV.
REPORT_PART_LIMIT = 1000
# The parts of the recruiter's report on a shortlist entry, in the order they are read.
REPORT_FIELDS = (
    "report",
    "report_hard_skills",
    "report_soft_skills",
    "report_risks",
    "report_availability",
)


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user):
        if access.is_recruiter(user):
            return self
        client = access.client_of(user)
        return self.filter(pk=client.pk) if client else self.none()


class Client(models.Model):
    """A client company."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    notes = models.TextField(_("internal notes"), max_length=LONG_TEXT, blank=True)
    brand_colour = models.CharField(
        _("portal colour"),
        max_length=7,
        default="#0d5c6e",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #0d5c6e."))],
        help_text=_("Hex colour of the client's portal, e.g. #0d5c6e."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning recruiter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_clients",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            FieldCheckConstraint(
                condition=Q(brand_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="missions_client_brand_colour_hex",
                field="brand_colour",
                violation_error_message=_("Give the colour as # and six hexadecimal digits."),
                violation_error_code="colour_not_hex",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("missions:client_detail", args=[self.pk])


class ClientContact(models.Model):
    """A person at a client company, with a login to the portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="client_contact",
    )
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    @property
    def email(self):
        return self.user.email


class MissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    SHORTLIST_SENT = "shortlist_sent", _("Shortlist sent")
    INTERVIEWING = "interviewing", _("Interviewing")
    FILLED = "filled", _("Filled")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")
    LOST = "lost", _("Lost")


MISSION_FINAL_STATES = {MissionState.FILLED, MissionState.CANCELLED, MissionState.LOST}
MISSION_OPEN_STATES = {
    MissionState.OPEN,
    MissionState.SHORTLIST_SENT,
    MissionState.INTERVIEWING,
}

# R4: the only moves a mission can make. On hold resumes to any working state.
MISSION_TRANSITIONS = {
    MissionState.DRAFT: {MissionState.OPEN},
    MissionState.OPEN: {MissionState.SHORTLIST_SENT},
    MissionState.SHORTLIST_SENT: {MissionState.INTERVIEWING, MissionState.FILLED},
    MissionState.INTERVIEWING: {MissionState.FILLED},
    MissionState.ON_HOLD: {
        MissionState.DRAFT,
        MissionState.OPEN,
        MissionState.SHORTLIST_SENT,
        MissionState.INTERVIEWING,
    },
}
for _state in MissionState:
    if _state not in MISSION_FINAL_STATES:
        MISSION_TRANSITIONS.setdefault(_state, set())
        MISSION_TRANSITIONS[_state] |= {MissionState.CANCELLED, MissionState.LOST}
        if _state != MissionState.ON_HOLD:
            MISSION_TRANSITIONS[_state].add(MissionState.ON_HOLD)
for _state in MISSION_FINAL_STATES:
    MISSION_TRANSITIONS[_state] = set()
del _state


class TechnicalTest(models.TextChoices):
    NONE = "none", _("None")
    GENERIC = "generic", _("Generic test")
    SPECIFIC = "specific", _("Specific test (e.g. coding game)")


class MissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Recruiters see all; a contact its company's missions, drafts only if it wrote them."""
        if access.is_recruiter(user):
            return self
        client = access.client_of(user)
        if client is None:
            return self.none()
        return self.filter(client=client).filter(
            ~Q(state=MissionState.DRAFT) | Q(submitted_by__client_contact__client=client)
        )

    def open(self):
        return self.filter(state__in=MISSION_OPEN_STATES)


class Mission(models.Model):
    """A client's demand: what it needs, at what price, from when."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="missions"
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    seniority = models.CharField(
        _("seniority wanted"), max_length=12, choices=Seniority.choices, default=Seniority.SENIOR
    )
    budget = models.PositiveIntegerField(
        _("daily budget (€)"),
        null=True,
        blank=True,
        help_text=_("The client's maximum day rate, excluding VAT."),
        validators=money.DAILY_RATE_VALIDATORS,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    remote_policy = models.CharField(
        _("remote policy"), max_length=10, choices=RemotePolicy.choices, default=RemotePolicy.HYBRID
    )
    technical_test = models.CharField(
        _("technical test"),
        max_length=10,
        choices=TechnicalTest.choices,
        default=TechnicalTest.NONE,
    )
    technical_test_details = models.CharField(_("which test"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning recruiter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_missions",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_missions",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=MissionState.choices, default=MissionState.DRAFT
    )
    state_reason = models.CharField(_("reason"), max_length=255, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    # The last "follow up" email to the client's contacts (`services.follow_up_client`).
    client_reminded_at = models.DateTimeField(
        _("client reminded at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The client contacts the mission is for: who asked, who follows (`MissionContact`).
    contacts = models.ManyToManyField(
        ClientContact,
        verbose_name=_("client contacts"),
        through="MissionContact",
        related_name="missions",
        blank=True,
    )

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            FieldCheckConstraint(
                condition=money.daily_rate_in_bounds("budget", nullable=True),
                name="missions_mission_budget_in_bounds",
                field="budget",
                violation_error_message=money.DAILY_RATE_OUT_OF_BOUNDS,
                violation_error_code="rate_out_of_bounds",
            ),
            models.CheckConstraint(
                condition=Q(state__in=MissionState.values),
                name="missions_mission_state_valid",
                violation_error_message=_("Choose one of the mission states."),
                violation_error_code="invalid_state",
            ),
        ]
        indexes = [
            # Mission list filtered by state, newest first; dashboard counters.
            models.Index(fields=["state", "-created_at"], name="mission_state_created_idx"),
            # Portal: a client's missions.
            models.Index(fields=["client", "state"], name="mission_client_state_idx"),
            # The mission list, newest first among missions not archived: a page is the
            # first 25 entries of this index, whatever the number of missions.
            models.Index(
                fields=["-created_at"],
                condition=Q(archived_at__isnull=True),
                name="mission_active_created_idx",
            ),
            # The navigation's count of missions in progress (on every desk page): read
            # from this index alone, only the missions it counts.
            models.Index(
                fields=["state"],
                condition=Q(archived_at__isnull=True) & ~Q(state__in=sorted(MISSION_FINAL_STATES)),
                name="mission_in_progress_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self):
        return reverse("missions:detail", args=[self.pk])

    @property
    def is_final(self):
        return self.state in MISSION_FINAL_STATES

    @property
    def period(self):
        """The mission's period, its end day included (see `missions.periods`)."""
        return Period.of_mission(self.start_date, self.duration_months)

    @property
    def end_date(self):
        """The last day of the mission; None when the start or the duration is unknown."""
        return self.period.end

    def overlaps(self, other):
        """Whether two missions' periods overlap (R6); unknown dates count as overlapping."""
        return self.period.overlaps(other.period)

    def allowed_transitions(self):
        return sorted(MISSION_TRANSITIONS[MissionState(self.state)], key=MissionState.values.index)


class MissionContactRole(models.TextChoices):
    REQUESTER = "requester", _("Asked for it")
    FOLLOWER = "follower", _("Follows it")


class MissionContact(models.Model):
    """A client contact named on a mission: the one who asked for it, or one who follows it.
    They are who hears about the mission (`missions.audience.mission_audience`)."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="contact_links"
    )
    contact = models.ForeignKey(
        ClientContact,
        verbose_name=_("client contact"),
        on_delete=models.CASCADE,
        related_name="mission_links",
    )
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=MissionContactRole.choices,
        default=MissionContactRole.FOLLOWER,
    )

    class Meta:
        ordering = ["role", "contact__user__last_name", "contact__user__first_name"]
        verbose_name = _("mission contact")
        verbose_name_plural = _("mission contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "contact"], name="missions_missioncontact_once_per_mission"
            ),
            # One person asked for the mission; the others follow it.
            models.UniqueConstraint(
                fields=["mission"],
                condition=Q(role="requester"),
                name="missions_missioncontact_one_requester",
                violation_error_message=_("A mission has one contact who asked for it."),
                violation_error_code="one_requester",
            ),
            FieldCheckConstraint(
                condition=Q(role__in=["requester", "follower"]),
                name="missions_missioncontact_role_valid",
                field="role",
                violation_error_message=_("Choose whether the contact asked for it or follows it."),
                violation_error_code="role_invalid",
            ),
        ]

    def __str__(self):
        return f"{self.contact} ({self.get_role_display()})"


class MissionSkill(models.Model):
    """A skill the mission asks for: required or nice to have, with a minimum of years."""

    mission = models.ForeignKey(
        Mission,
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="skills",
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="mission_skills"
    )
    required = models.BooleanField(_("required"), default=True)
    min_years = models.DecimalField(_("minimum years"), max_digits=3, decimal_places=1, default=0)

    class Meta:
        ordering = ["-required", "skill__name"]
        verbose_name = _("mission skill")
        verbose_name_plural = _("mission skills")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "skill"], name="missions_missionskill_unique"
            ),
            FieldCheckConstraint(
                condition=Q(min_years__gte=0),
                name="missions_missionskill_min_years_positive",
                field="min_years",
                violation_error_message=_("The minimum years cannot be negative."),
                violation_error_code="min_years_negative",
            ),
        ]

    def __str__(self):
        return str(self.skill)


class EntryState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent")
    INTERVIEW_REQUESTED = "interview_requested", _("Interview requested")
    INTERVIEWING = "interviewing", _("Interviewing")
    SELECTED = "selected", _("Selected")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_RETAINED = "not_retained", _("Not retained")


# R1: these states hold one of the mission's four slots.
ENTRY_ACTIVE_STATES = (
    EntryState.PROPOSED,
    EntryState.SENT,
    EntryState.INTERVIEW_REQUESTED,
    EntryState.INTERVIEWING,
    EntryState.SELECTED,
)
ENTRY_CLOSED_STATES = (EntryState.DECLINED, EntryState.WITHDRAWN, EntryState.NOT_RETAINED)

# R4: the only moves an entry can make.
ENTRY_TRANSITIONS = {
    # A draft entry closes as not retained when another profile is selected.
    EntryState.PROPOSED: {EntryState.SENT, EntryState.WITHDRAWN, EntryState.NOT_RETAINED},
    EntryState.SENT: {
        EntryState.INTERVIEW_REQUESTED,
        EntryState.INTERVIEWING,
        EntryState.SELECTED,
        EntryState.DECLINED,
        EntryState.WITHDRAWN,
        EntryState.NOT_RETAINED,
    },
    EntryState.INTERVIEW_REQUESTED: {
        EntryState.INTERVIEWING,
        EntryState.SELECTED,
        EntryState.DECLINED,
        EntryState.WITHDRAWN,
        EntryState.NOT_RETAINED,
    },
    EntryState.INTERVIEWING: {
        EntryState.SELECTED,
        EntryState.WITHDRAWN,
        EntryState.NOT_RETAINED,
    },
    EntryState.SELECTED: set(),
    EntryState.DECLINED: set(),
    EntryState.WITHDRAWN: set(),
    EntryState.NOT_RETAINED: set(),
}


class EndedBy(models.TextChoices):
    CLIENT = "client", _("Client")
    CANDIDATE = "candidate", _("Candidate")
    AGENCY = "agency", _("Agency")


class FailureCause(models.TextChoices):
    """Why a profile left a process: a client's decline, a withdrawal, a not-retained entry, and
    the causes observed in an interview share this one list."""

    TECHNICAL_LEVEL = "technical_level", _("Technical level")
    RATE_TOO_HIGH = "rate_too_high", _("Day rate too high")
    SOFT_SKILLS = "soft_skills", _("Soft skills / communication")
    AVAILABILITY = "availability", _("Availability or start date")
    LOCATION = "location", _("Location / remote")
    NEEDS_CHANGED = "needs_changed", _("Client changed its needs")
    CANDIDATE_WITHDREW = "candidate_withdrew", _("Candidate withdrew or took another mission")
    OTHER = "other", _("Other")


class ShortlistEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Recruiters see all; a contact only entries sent to its own company (R3)."""
        if access.is_recruiter(user):
            return self
        client = access.client_of(user)
        if client is None:
            return self.none()
        return self.filter(mission__client=client, sent_at__isnull=False)

    def active(self):
        return self.filter(state__in=ENTRY_ACTIVE_STATES)


# R7: the warnings shown before positioning a profile, by code; their values are stored
# without the profile's name, which is read from the profile when shown.
SHORTLIST_WARNINGS = {
    "already_active": _("%(name)s is already active on %(ref)s for the same client."),
    "over_budget": _("Day rate %(rate)s € is above the client's budget of %(budget)s €."),
}


def warning_text(warning, *, name):
    """One warning ({"code", "params"}) in the active language."""
    return str(SHORTLIST_WARNINGS[warning["code"]]) % {"name": name, **warning["params"]}


class ShortlistEntry(models.Model):
    """A profile positioned on a mission, with the recruiter's report and the rates."""

    mission = models.ForeignKey(
        Mission,
        verbose_name=_("mission"),
        on_delete=models.PROTECT,
        related_name="shortlist",
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.PROTECT,
        related_name="shortlist_entries",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EntryState.choices, default=EntryState.PROPOSED
    )
    # The slot (1–4) an active entry holds; NULL once it leaves. The constraints below make
    # a fifth active entry impossible even for writes that bypass `shortlist_candidate`.
    slot = models.PositiveSmallIntegerField(_("slot"), null=True, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # The recruiter's report (compte rendu), in the parts recruiters write it in.
    # `report` is "why this profile": it held the whole report before the parts existed.
    report = models.TextField(
        _("why this profile"),
        blank=True,
        help_text=_("What makes this profile fit the mission, in a few sentences."),
    )
    report_hard_skills = models.TextField(
        _("hard skills"),
        blank=True,
        max_length=REPORT_PART_LIMIT,
        help_text=_("Technologies, level, what they built with them."),
    )
    report_soft_skills = models.TextField(
        _("soft skills"),
        blank=True,
        max_length=REPORT_PART_LIMIT,
        help_text=_("How they work with a team and speak to a client."),
    )
    report_risks = models.TextField(
        _("risks"),
        blank=True,
        max_length=REPORT_PART_LIMIT,
        help_text=_("What could go wrong and how it is covered."),
    )
    report_availability = models.TextField(
        _("availability"),
        blank=True,
        max_length=REPORT_PART_LIMIT,
        help_text=_("When they can start, notice, part-time or full-time."),
    )
    client_rate = models.PositiveIntegerField(
        _("rate sold to the client (€/day)"),
        null=True,
        blank=True,
        validators=money.DAILY_RATE_VALIDATORS,
    )
    candidate_rate = models.PositiveIntegerField(
        _("freelancer's rate (€/day)"),
        help_text=_("The freelancer's ask when positioned (purchase price)."),
        validators=money.DAILY_RATE_VALIDATORS,
    )
    warnings = models.TextField(
        _("confirmed warnings"), blank=True, help_text=_("R7 warnings the recruiter confirmed.")
    )
    # The same warnings as codes and values ({"code": …, "params": …}), put into words in the
    # reader's language when shown (`warning_texts`); `warnings` keeps the writer's wording.
    warning_codes = models.JSONField(_("warning codes"), default=list, blank=True)
    ended_by = models.CharField(_("ended by"), max_length=10, choices=EndedBy.choices, blank=True)
    end_reason = models.CharField(
        _("reason"), max_length=20, choices=FailureCause.choices, blank=True
    )
    end_note = models.TextField(_("reason details"), max_length=NOTE_TEXT, blank=True)
    interview_slots = models.TextField(
        _("preferred interview slots"), blank=True, help_text=_("As written by the client.")
    )
    # A follow-up interview (2nd, 3rd) the client asked for in the portal and no recruiter
    # has scheduled yet: it holds one of the R2 places until then
    # (`interviews.services.request_interview`).
    follow_up_requested_at = models.DateTimeField(
        _("follow-up interview requested at"), null=True, blank=True, editable=False
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When the recruiter was told the client has not answered (`missions.reminders`).
    unanswered_reminder_sent_at = models.DateTimeField(
        _("unanswered reminder sent at"), null=True, blank=True, editable=False
    )

    objects = ShortlistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "candidate"], name="missions_shortlistentry_once_per_mission"
            ),
            # R1 backstop: each active entry holds one of four distinct slots.
            models.UniqueConstraint(
                fields=["mission", "slot"],
                condition=Q(slot__isnull=False),
                name="missions_shortlistentry_unique_slot",
                violation_error_message=_(
                    "The shortlist is full: 4 profiles at most. Remove one to add another."
                ),
                violation_error_code="shortlist_full",
            ),
            models.CheckConstraint(
                condition=(
                    # NULL >= 1 is unknown and a CHECK passes on unknown: say "not null".
                    Q(
                        state__in=ENTRY_ACTIVE_STATES,
                        slot__isnull=False,
                        slot__gte=1,
                        slot__lte=SHORTLIST_CAP,
                    )
                    | (~Q(state__in=ENTRY_ACTIVE_STATES) & Q(slot__isnull=True))
                ),
                name="missions_shortlistentry_active_holds_slot",
                violation_error_message=_(
                    "An active profile holds one of the shortlist's four places; one that left "
                    "holds none."
                ),
                violation_error_code="slot_mismatch",
            ),
            FieldCheckConstraint(
                condition=money.daily_rate_in_bounds("client_rate", nullable=True),
                name="missions_shortlistentry_client_rate_in_bounds",
                field="client_rate",
                violation_error_message=money.DAILY_RATE_OUT_OF_BOUNDS,
                violation_error_code="rate_out_of_bounds",
            ),
            models.CheckConstraint(
                condition=money.daily_rate_in_bounds("candidate_rate"),
                name="missions_shortlistentry_candidate_rate_in_bounds",
                violation_error_message=money.DAILY_RATE_OUT_OF_BOUNDS,
                violation_error_code="rate_out_of_bounds",
            ),
        ]
        indexes = [
            # Dashboard "waiting for the client" and per-state counts.
            models.Index(fields=["state", "sent_at"], name="entry_state_sent_idx"),
            # A profile's processes (profile detail, R6/R7 checks).
            models.Index(fields=["candidate", "state"], name="entry_candidate_state_idx"),
            # A mission's entries in a state: the dashboard's "open, without any profile"
            # (NOT EXISTS an active entry) and "shortlist sent, waiting past the follow-up
            # date" (EXISTS a sent entry sent before it), read from the index alone for each
            # mission instead of hashing every active entry.
            models.Index(fields=["mission", "state", "sent_at"], name="entry_mission_state_idx"),
            # The active entries alone, with their profile: the dashboard's "profiles at
            # risk" joins the third interviews to them from this index, not the table.
            models.Index(
                fields=["id", "candidate"],
                condition=Q(state__in=ENTRY_ACTIVE_STATES),
                name="entry_active_idx",
            ),
            # Dashboard "client answers of the week": the latest answers first, read from the
            # index until eight match instead of sorting every answered entry.
            models.Index(fields=["-answered_at"], name="entry_answered_idx"),
        ]

    def __str__(self):
        return f"{self.candidate} → {self.mission.reference}"

    @property
    def warning_texts(self):
        """The confirmed R7 warnings in the reader's language (the stored text for old ones)."""
        if self.warning_codes:
            return [warning_text(w, name=self.candidate.full_name) for w in self.warning_codes]
        return [line for line in self.warnings.splitlines() if line]

    @property
    def is_active(self):
        return self.state in ENTRY_ACTIVE_STATES

    @property
    def margin(self):
        return money.margin(self.client_rate, self.candidate_rate)

    @property
    def margin_rate(self):
        """Margin as a share of the price sold, in percent (one decimal)."""
        return money.margin_rate(self.client_rate, self.candidate_rate)

    @property
    def margin_below_target(self):
        return money.below_target(self.margin_rate)


# A placement ending within this many days is up for renewal: the dashboard lists it and
# the mission's recruiter gets one email (`missions.reminders`).
RENEWAL_NOTICE_DAYS = 30


class PlacementQuerySet(models.QuerySet):
    def overlapping(self, period):
        """Placements whose dates share a day with `period` (R6); an open bound (unknown
        end) reaches every day, as in `missions.periods`."""
        placements = self
        if period.end is not None:
            placements = placements.filter(start__lte=period.end)
        if period.start is not None:
            placements = placements.filter(Q(end__isnull=True) | Q(end__gte=period.start))
        return placements

    def running_or_coming(self, today):
        """Placements running on `today` or later: the current and the coming ones."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=today))

    def ending_between(self, first, last):
        """Placements not ended early whose last day falls between `first` and `last`."""
        return self.filter(ended_early_at__isnull=True, end__gte=first, end__lte=last)


class Placement(models.Model):
    """A freelancer placed on a mission by its selection: the dates of the contract, the rate
    sold to the client and the freelancer's rate. R6 holds on these rows: one profile, one
    placement over any day (PostgreSQL refuses an overlap itself, see migration 0008)."""

    entry = models.OneToOneField(
        ShortlistEntry,
        verbose_name=_("selection"),
        on_delete=models.PROTECT,
        related_name="placement",
    )
    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.PROTECT, related_name="placements"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("profile"), on_delete=models.PROTECT, related_name="placements"
    )
    start = models.DateField(_("start"))
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("The last day worked; empty if unknown.")
    )
    sold_rate = models.PositiveIntegerField(
        _("rate sold to the client (€/day)"), validators=money.DAILY_RATE_VALIDATORS
    )
    bought_rate = models.PositiveIntegerField(
        _("freelancer's rate (€/day)"), validators=money.DAILY_RATE_VALIDATORS
    )
    ended_early_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended early"), blank=True, max_length=NOTE_TEXT)
    # The day the recruiter was told the end is near (`missions.reminders`); an extension
    # clears it so the new end gets its own notice.
    renewal_reminder_sent_on = models.DateField(
        _("renewal reminder sent on"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            FieldCheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="missions_placement_end_after_start",
                field="end",
                violation_error_message=_("The placement cannot end before it starts."),
                violation_error_code="end_before_start",
            ),
            FieldCheckConstraint(
                condition=money.daily_rate_in_bounds("sold_rate"),
                name="missions_placement_sold_rate_in_bounds",
                field="sold_rate",
                violation_error_message=money.DAILY_RATE_OUT_OF_BOUNDS,
                violation_error_code="rate_out_of_bounds",
            ),
            FieldCheckConstraint(
                condition=money.daily_rate_in_bounds("bought_rate"),
                name="missions_placement_bought_rate_in_bounds",
                field="bought_rate",
                violation_error_message=money.DAILY_RATE_OUT_OF_BOUNDS,
                violation_error_code="rate_out_of_bounds",
            ),
            FieldCheckConstraint(
                condition=Q(ended_early_at__isnull=True) | ~Q(end_reason=""),
                name="missions_placement_early_end_has_reason",
                field="end_reason",
                violation_error_message=_("Say why the placement ends early."),
                violation_error_code="reason_required",
            ),
            # R6's backstop on PostgreSQL (no two overlapping placements of one profile) is an
            # exclusion constraint that needs btree_gist: migration 0008 adds it there only.
        ]
        indexes = [
            # R6: a profile's placements, checked at each selection.
            models.Index(fields=["candidate", "start"], name="placement_candidate_idx"),
            # Dashboard "ending soon" and the renewal reminders: placements by their end.
            models.Index(fields=["end"], name="placement_end_idx"),
        ]

    def __str__(self):
        return f"{self.candidate} → {self.mission.reference}"

    def get_absolute_url(self):
        return reverse("missions:placement", args=[self.pk])

    @property
    def period(self):
        return Period(self.start, self.end)

    @property
    def margin(self):
        return money.margin(self.sold_rate, self.bought_rate)

    @property
    def margin_rate(self):
        return money.margin_rate(self.sold_rate, self.bought_rate)

    @property
    def ended_early(self):
        return self.ended_early_at is not None

    @property
    def available_from(self):
        """The freelancer's first free day: the day after the last one worked."""
        return self.end and self.end + timedelta(days=1)

    def days_left(self, today):
        return None if self.end is None else (self.end - today).days

    def in_renewal_notice(self, today):
        """Whether the end is near enough to discuss a renewal (RENEWAL_NOTICE_DAYS)."""
        left = self.days_left(today)
        return not self.ended_early and left is not None and 0 <= left <= RENEWAL_NOTICE_DAYS


class ComplianceException(models.Model):
    """A selection allowed although mandatory compliance documents were missing or expired
    (R9): who decided it, when, why, and what was missing then."""

    entry = models.ForeignKey(
        ShortlistEntry,
        verbose_name=_("selection"),
        on_delete=models.PROTECT,
        related_name="compliance_exceptions",
    )
    missing = models.CharField(_("missing documents"), max_length=255)
    reason = models.TextField(_("reason"), max_length=NOTE_TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("compliance exception")
        verbose_name_plural = _("compliance exceptions")
        constraints = [
            FieldCheckConstraint(
                condition=~Q(reason=""),
                name="missions_complianceexception_has_reason",
                field="reason",
                violation_error_message=_("Say why the profile may be selected without it."),
                violation_error_code="reason_required",
            ),
        ]

    def __str__(self):
        return f"{self.entry}: {self.missing}"


class Event(models.Model):
    """One step of the timeline (R4): who moved what, from which state to which, and why."""

    class Subject(models.TextChoices):
        MISSION = "mission", _("Mission")
        ENTRY = "entry", _("Shortlist entry")
        INTERVIEW = "interview", _("Interview")
        # A step about the profile itself (a merge of two duplicates), on no mission.
        PROFILE = "profile", _("Profile")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    # Empty only for a profile's own steps (subject "profile").
    mission = models.ForeignKey(
        Mission,
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    entry = models.ForeignKey(
        ShortlistEntry,
        verbose_name=_("shortlist entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    message = models.CharField(_("what"), max_length=255, blank=True)
    # What the app itself wrote is stored as a code and its values (names, numbers, states,
    # ISO dates) and put into words when shown, in the reader's language; `message` keeps a
    # copy in the writer's language, and the text of steps that have no code.
    message_code = models.CharField(_("message code"), max_length=40, blank=True)
    message_params = models.JSONField(_("message values"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Why a profile left a process (declined, withdrawn, not retained), shown on the timeline.
    cause = models.CharField(_("cause"), max_length=20, choices=FailureCause.choices, blank=True)
    # A note the app wrote (not a person), stored and shown the same way as the message.
    note_code = models.CharField(_("note code"), max_length=40, blank=True)
    note_params = models.JSONField(_("note values"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        constraints = [
            models.CheckConstraint(
                condition=Q(subject="profile") | Q(mission__isnull=False),
                name="missions_event_mission_unless_profile_step",
                violation_error_message=_("A timeline step belongs to a mission."),
                violation_error_code="mission_required",
            ),
        ]
        indexes = [
            # Timelines of a mission and of a profile, newest first.
            models.Index(fields=["mission", "-at"], name="event_mission_at_idx"),
            models.Index(fields=["candidate", "-at"], name="event_candidate_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.message or self.to_state}"

    # The states of each subject, to show their labels. Interviews belong to the app above
    # this one: `interviews` adds its states here when it loads (InterviewsConfig.ready),
    # so this module never imports it.
    STATES = {}
    # The words of each message code (a lazy translation with %(name)s placeholders); the
    # interviews app adds its own the same way.
    MESSAGES = {}

    @classmethod
    def register_states(cls, subject, choices):
        cls.STATES[subject] = choices

    @classmethod
    def register_messages(cls, messages):
        cls.MESSAGES.update(messages)

    @classmethod
    def render(cls, code, params, *, subject=""):
        """The words of a message code with its values, in the active language. A message
        whose words depend on its values (a plural, a list) is a function of them."""
        shown = {name: cls._shown(name, value, subject) for name, value in params.items()}
        words = cls.MESSAGES[code]
        text = words(**shown) if callable(words) else str(words) % shown
        # A step about one profile among several (its report, its rate) names it first.
        return f"{shown['about']}: {text}" if "about" in shown else text

    @classmethod
    def _shown(cls, name, value, subject):
        if name in ("state", "mission_state"):
            choices = cls.STATES.get(subject if name == "state" else cls.Subject.MISSION)
            return choices(value).label if choices and value in choices.values else value
        if name == "date" or name.endswith("_date"):
            if value is None:
                return gettext("unknown")
            return short_date(date.fromisoformat(value), year=True)
        return value

    @property
    def text(self):
        """What happened, in the reader's language (the stored copy for steps without code)."""
        if self.message_code in self.MESSAGES:
            return self.render(self.message_code, self.message_params, subject=self.subject)
        return self.message

    @property
    def note_text(self):
        """The note in the reader's language when the app wrote it, else as the person did."""
        if self.note_code in self.MESSAGES:
            return self.render(self.note_code, self.note_params, subject=self.subject)
        return self.note

    def _label(self, value):
        choices = self.STATES.get(self.subject)
        if not value or choices is None:
            return value
        try:
            return choices(value).label
        except ValueError:
            return value

    @property
    def from_label(self):
        return self._label(self.from_state)

    @property
    def to_label(self):
        return self._label(self.to_state)

    @property
    def is_state_change(self):
        return bool(self.from_state and self.to_state)


def _field_label(name):
    """A mission field's name as the edit form shows it ("skills" is not a model field)."""
    if name == "skills":
        return gettext("skills")
    if name == "contacts":
        return gettext("client contacts")
    return str(Mission._meta.get_field(name).verbose_name)


def _report_changed(about, parts=()):
    """A change of the report for the client, naming the parts changed (REPORT_FIELDS)."""
    if not parts:
        return gettext("Report for the client changed")
    labels = [str(ShortlistEntry._meta.get_field(name).verbose_name) for name in parts]
    return gettext("Report for the client changed: %(parts)s") % {"parts": ", ".join(labels)}


Event.register_states(Event.Subject.MISSION, MissionState)
Event.register_states(Event.Subject.ENTRY, EntryState)
Event.register_messages(
    {
        "mission": _("Mission"),
        "mission_created": _("Mission created"),
        "mission_edited": _("Mission edited"),
        "mission_archived": _("Mission archived"),
        "mission_restored": _("Mission restored from the archive"),
        "client_reminded": _("Reminder sent to the client"),
        "profile": "%(name)s",
        "shortlist_added": _("%(name)s added to the shortlist"),
        "shortlist_removed": _("%(name)s removed from the shortlist"),
        "client_rate_changed": _("Rate for the client changed: %(old)s € → %(new)s €"),
        "report_changed": _report_changed,
        "availability_confirmed": _("%(name)s confirmed their availability: from %(date)s"),
        "availability_changed": _("%(name)s changed their availability: from %(date)s"),
        "compliance_exception": _("Compliance exception for %(name)s"),
        "placement_extended": _("%(name)s's placement extended to %(date)s"),
        "placement_ended_early": _("%(name)s's placement ended early on %(date)s"),
        # Notes the app writes.
        "another_selected": _("Another profile was selected."),
        "compliance_exception_note": _("Missing or expired: %(documents)s. Reason: %(reason)s"),
        "placement_previous_end": _("Previous end: %(previous_date)s. %(note)s"),
        "placement_planned_end": _("Planned end: %(planned_date)s. Reason: %(reason)s"),
        "mission_ended": lambda mission_state: (
            gettext("The mission ended: %(state)s") % {"state": mission_state}
        ),
        "availability_link": _("Given by the freelancer through the emailed link."),
        # A merge of duplicate profiles (`candidates.merging`), on both profiles' timelines.
        "profile_merged_in": _("%(name)s (profile #%(pk)s) merged into this profile"),
        "profile_merged_into": _("Merged into %(name)s (profile #%(pk)s)"),
        "profiles_waiting": lambda n: (
            ngettext(
                "%(n)s profile waiting for an answer.", "%(n)s profiles waiting for an answer.", n
            )
            % {"n": n}
        ),
        "fields_changed": lambda fields: (
            gettext("Changed: %(fields)s")
            % {"fields": ", ".join(_field_label(name) for name in fields)}
        ),
        "warnings": lambda warnings, name: "\n".join(warning_text(w, name=name) for w in warnings),
    }
)

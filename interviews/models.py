"""Interviews of a shortlisted profile (at most three per mission, R2) and their feedback."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from candidates.models import Skill
from missions.models import FailureCause, ShortlistEntry
from staffing import access
from staffing.constraints import FieldCheckConstraint
from staffing.limits import LONG_TEXT, NOTE_TEXT

INTERVIEW_CAP = 3  # R2


class InterviewKind(models.TextChoices):
    CLIENT = "client", _("Client interview")
    TECHNICAL = "technical", _("Technical interview")
    TEST = "test", _("Technical test / coding game")
    FINAL = "final", _("Final interview")


class InterviewState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("interview", "Cancelled")
    NO_SHOW = "no_show", _("No-show")


INTERVIEW_TRANSITIONS = {
    InterviewState.SCHEDULED: {
        InterviewState.DONE,
        InterviewState.CANCELLED,
        InterviewState.NO_SHOW,
    },
    InterviewState.DONE: set(),
    InterviewState.CANCELLED: set(),
    InterviewState.NO_SHOW: set(),
}

# R2: an interview takes one of the entry's places unless it is cancelled (a no-show counts:
# the candidate's time and the client's patience were spent).
NOT_COUNTED_STATES = frozenset({InterviewState.CANCELLED})


def counts_towards_cap(state):
    """Whether an interview in this state takes one of the entry's INTERVIEW_CAP places."""
    return state not in NOT_COUNTED_STATES


class Verdict(models.TextChoices):
    GO = "go", _("Go")
    NO_GO = "no_go", _("No go")
    UNDECIDED = "undecided", _("Undecided")


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Recruiters see all; a contact only interviews of entries sent to its company."""
        if access.is_recruiter(user):
            return self
        client = access.client_of(user)
        if client is None:
            return self.none()
        return self.filter(entry__mission__client=client, entry__sent_at__isnull=False)

    def counted(self):
        """Interviews that count towards INTERVIEW_CAP (see `counts_towards_cap`)."""
        return self.exclude(state__in=NOT_COUNTED_STATES)


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Interview(models.Model):
    """One interview step of a profile for a mission, attended by the recruiter."""

    entry = models.ForeignKey(
        ShortlistEntry,
        verbose_name=_("shortlist entry"),
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=InterviewKind.choices, default=InterviewKind.CLIENT
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    client_interviewers = models.CharField(
        _("client-side interviewers"), max_length=255, blank=True
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attending recruiter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attended_interviews",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=InterviewState.choices,
        default=InterviewState.SCHEDULED,
    )
    # The calendar invitation's SEQUENCE (RFC 5545): raised on every reschedule and on the
    # cancellation, so the attendees' calendars replace the event instead of keeping the old slot.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    # Feedback, in the order the recruiter judges: hard skills first, then soft skills.
    hard_skills_rating = models.PositiveSmallIntegerField(
        _("hard skills (1–5)"), null=True, blank=True, validators=RATING_VALIDATORS
    )
    hard_skills_notes = models.TextField(_("hard-skill notes"), max_length=LONG_TEXT, blank=True)
    soft_skills_rating = models.PositiveSmallIntegerField(
        _("soft skills (1–5)"), null=True, blank=True, validators=RATING_VALIDATORS
    )
    soft_skills_notes = models.TextField(_("soft-skill notes"), max_length=LONG_TEXT, blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    summary = models.TextField(
        _("summary shared with the client"), max_length=LONG_TEXT, blank=True
    )
    internal_notes = models.TextField(_("internal notes"), max_length=LONG_TEXT, blank=True)
    failure_notes = models.TextField(_("notes on the causes"), max_length=NOTE_TEXT, blank=True)
    test_score = models.PositiveSmallIntegerField(
        _("test score (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    test_passed = models.BooleanField(_("test passed"), null=True, blank=True)
    test_link = models.URLField(_("test report link"), blank=True)
    client_feedback = models.TextField(_("client's feedback"), max_length=LONG_TEXT, blank=True)
    client_feedback_at = models.DateTimeField(_("client's feedback at"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("feedback recorded at"), null=True, blank=True)
    # The feedback as typed so far, saved to be finished later: the form's values, kept apart
    # from the fields above so that nothing reads a draft as a verdict, a rating or a cause
    # (the interview stays scheduled, statistics and pages see no feedback yet).
    feedback_draft = models.JSONField(_("feedback draft"), null=True, blank=True, editable=False)
    feedback_draft_at = models.DateTimeField(
        _("feedback draft saved at"), null=True, blank=True, editable=False
    )
    # When the recruiter was reminded to record the feedback (`interviews.reminders`). Earlier
    # than `scheduled_at` means it was for a slot the interview has since been moved from.
    feedback_reminder_sent_at = models.DateTimeField(
        _("feedback reminder sent at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            # R2 backstop: three numbered places per entry, shared by the interviews that are
            # not cancelled, so a fourth one cannot exist whatever writes it.
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=INTERVIEW_CAP),
                name="interviews_interview_number_1_to_3",
                violation_error_message=_(
                    "A profile has at most 3 interviews for a mission (cancelled ones aside)."
                ),
                violation_error_code="interview_cap",
            ),
            models.UniqueConstraint(
                fields=["entry", "number"],
                condition=~Q(state=InterviewState.CANCELLED),
                name="interviews_interview_unique_number",
                violation_error_message=_(
                    "This profile already has an interview with this number."
                ),
                violation_error_code="interview_number_taken",
            ),
            FieldCheckConstraint(
                condition=Q(hard_skills_rating__isnull=True)
                | Q(hard_skills_rating__gte=1, hard_skills_rating__lte=5),
                name="interviews_interview_hard_rating_1_5",
                field="hard_skills_rating",
                violation_error_message=_("Rate from 1 to 5."),
                violation_error_code="rating_out_of_range",
            ),
            FieldCheckConstraint(
                condition=Q(soft_skills_rating__isnull=True)
                | Q(soft_skills_rating__gte=1, soft_skills_rating__lte=5),
                name="interviews_interview_soft_rating_1_5",
                field="soft_skills_rating",
                violation_error_message=_("Rate from 1 to 5."),
                violation_error_code="rating_out_of_range",
            ),
            FieldCheckConstraint(
                condition=Q(verdict="") | Q(state="done"),
                name="interviews_interview_verdict_only_when_done",
                field="verdict",
                violation_error_message=_("A verdict is given once the interview took place."),
                violation_error_code="verdict_before_done",
            ),
            FieldCheckConstraint(
                condition=Q(duration_minutes__gt=0),
                name="interviews_interview_duration_positive",
                field="duration_minutes",
                violation_error_message=_("The duration must be at least one minute."),
                violation_error_code="duration_not_positive",
            ),
        ]
        indexes = [
            # Dashboard and portal: upcoming interviews.
            models.Index(fields=["state", "scheduled_at"], name="interview_state_at_idx"),
            # Dashboard "profiles at risk": the third interviews that count, a few thousand
            # entries read whole (the unique (entry, number) index would be read entirely
            # to find them).
            models.Index(
                fields=["entry"],
                condition=Q(number=INTERVIEW_CAP) & ~Q(state__in=sorted(NOT_COUNTED_STATES)),
                name="interview_third_idx",
            ),
        ]

    def __str__(self):
        return f"{self.entry} — #{self.number}"

    def get_absolute_url(self):
        return reverse("interviews:detail", args=[self.pk])

    @property
    def counts_towards_cap(self):
        return counts_towards_cap(self.state)

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.scheduled_at + timedelta(minutes=self.duration_minutes)


class InterviewFailureCause(models.Model):
    """A failure cause observed in an interview (several allowed), kept as rows so they can
    be counted by the database."""

    interview = models.ForeignKey(
        Interview,
        verbose_name=_("interview"),
        on_delete=models.CASCADE,
        related_name="causes",
    )
    cause = models.CharField(_("cause"), max_length=20, choices=FailureCause.choices)

    class Meta:
        verbose_name = _("failure cause")
        verbose_name_plural = _("failure causes")
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "cause"], name="interviews_failurecause_unique"
            ),
        ]

    def __str__(self):
        return self.get_cause_display()


class InterviewSkillRating(models.Model):
    """The attending recruiter's rating of one skill of the mission's demand in an interview:
    hard skills are judged skill by skill, then as a whole (`Interview.hard_skills_rating`)."""

    interview = models.ForeignKey(
        Interview,
        verbose_name=_("interview"),
        on_delete=models.CASCADE,
        related_name="skill_ratings",
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"), null=True, blank=True, validators=RATING_VALIDATORS
    )
    notes = models.TextField(_("notes"), blank=True, max_length=NOTE_TEXT)

    class Meta:
        ordering = ["skill__name"]
        verbose_name = _("skill rating")
        verbose_name_plural = _("skill ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "skill"], name="interviews_interviewskillrating_unique_skill"
            ),
            FieldCheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="interviews_interviewskillrating_rating_1_5",
                field="rating",
                violation_error_message=_("Rate from 1 to 5."),
                violation_error_code="rating_out_of_range",
            ),
        ]

    def __str__(self):
        return f"{self.skill}: {self.rating or '—'}"


class FigureRollup(models.Model):
    """One figure of the insights page for one month, summed over the missions of a recruiter
    and a client, of a recruiter, or of the whole agency (`interviews.rollups` keeps them)."""

    class Level(models.IntegerChoices):
        AGENCY = 0, _("whole agency")
        RECRUITER = 1, _("one recruiter")
        RECRUITER_CLIENT = 2, _("one recruiter and one client")
        CLIENT = 3, _("one client (distinct profiles only)")

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    month = models.DateField(_("month"))
    # Plain ids, not foreign keys: a sum over many missions has no row to protect, and 0 stands
    # for "every recruiter" / "every client" (or a mission without a recruiter).
    owner_id = models.PositiveIntegerField(_("recruiter id"), default=0)
    client_id = models.PositiveIntegerField(_("client id"), default=0)
    metric = models.CharField(_("figure"), max_length=40)
    key = models.CharField(_("key"), max_length=80, blank=True)
    # For distinct profiles: the month (year × 12 + month) of the profile's previous count in
    # the same figure, 0 for none (see `interviews.rollups`).
    previous = models.PositiveIntegerField(_("previous month"), default=0)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("figure rollup")
        verbose_name_plural = _("figure rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "owner_id", "client_id", "month", "metric", "key", "previous"],
                name="interviews_figurerollup_unique",
                violation_error_code="figure_rollup_exists",
                violation_error_message=_("This figure is already summed for that month."),
            ),
        ]
        indexes = [
            # The insights page filtered on a client alone: its rows of every recruiter.
            models.Index(fields=["level", "client_id", "month"], name="interviews_rollup_client"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.metric} {self.key}: {self.value}"


class PositionFact(models.Model):
    """A shortlist entry as the insights' distinct-profile figures count it (kept by
    `interviews.rollups` with the rollups; not a foreign key: the entry is the truth)."""

    entry_id = models.PositiveIntegerField(_("shortlist entry id"), primary_key=True)
    mission_id = models.PositiveIntegerField(_("mission id"), db_index=True)
    candidate_id = models.PositiveIntegerField(_("profile id"), db_index=True)
    month = models.DateField(_("month the mission opened"))
    owner_id = models.PositiveIntegerField(_("recruiter id"), default=0)
    client_id = models.PositiveIntegerField(_("client id"))
    channel = models.CharField(_("sourcing channel"), max_length=12)
    portage = models.CharField(_("portage company id"), max_length=20, blank=True)
    interviewed = models.BooleanField(_("interviewed"), default=False)
    placed = models.BooleanField(_("placed"), default=False)

    class Meta:
        verbose_name = _("position fact")
        verbose_name_plural = _("position facts")

    def __str__(self):
        return f"{self.entry_id}: {self.month:%Y-%m}"

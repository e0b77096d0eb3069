"""What the API answers, and the request bodies it documents.

Recruiters get the records as the desk shows them. Client contacts get the portal's
client-safe cards (`portal.cards`), serialised field by field from the card dataclasses, so
what a client may see has one definition: a field reaches clients through the API only by
being added to those dataclasses.

Input is validated by the same forms as the pages (see `api.inputs`); the request
serializers below describe it for the schema and check the JSON types first.
"""

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal

from rest_framework import serializers

from candidates.models import (
    Candidate,
    CandidateSkill,
    Channel,
    Experience,
    LegalForm,
    Project,
    RemotePolicy,
    Seniority,
    Skill,
)
from interviews.models import Interview, InterviewKind, Verdict
from missions.models import (
    Client,
    Event,
    FailureCause,
    Mission,
    MissionSkill,
    MissionState,
    ShortlistEntry,
    TechnicalTest,
)
from portal.cards import ClientInterview, ClientProfileCard
from portal.forms import CLIENT_DECLINE_REASONS

# ---------------------------------------------------------------- recruiters: reading


class RecordSerializer(serializers.ModelSerializer):
    """A record as the API answers it (never used to read input). A text or choice column
    that may be blank says so in the schema: "" is a valid answer, not a malformed email,
    URL or choice."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if getattr(model_field, "blank", False) and not getattr(model_field, "null", False):
            if field_class in (serializers.URLField, serializers.EmailField):
                field_class = serializers.CharField
            if issubclass(field_class, serializers.CharField | serializers.ChoiceField):
                kwargs["allow_blank"] = True
        kwargs.pop("validators", None)
        return field_class, kwargs


class SkillSerializer(RecordSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name", "category"]


class ClientSerializer(RecordSerializer):
    class Meta:
        model = Client
        fields = ["id", "name", "sector", "address", "owner", "is_active", "created_at"]


class MissionSkillSerializer(RecordSerializer):
    name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = MissionSkill
        fields = ["skill", "name", "required", "min_years"]


class MissionSerializer(RecordSerializer):
    skills = MissionSkillSerializer(many=True, read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    active_entries = serializers.IntegerField(read_only=True)

    class Meta:
        model = Mission
        fields = [
            "id",
            "reference",
            "client",
            "client_name",
            "title",
            "description",
            "seniority",
            "budget",
            "start_date",
            "duration_months",
            "end_date",
            "location",
            "remote_policy",
            "technical_test",
            "technical_test_details",
            "owner",
            "submitted_by",
            "state",
            "state_reason",
            "active_entries",
            "skills",
            "opened_at",
            "created_at",
            "updated_at",
            "archived_at",
        ]


class ProfileSkillSerializer(RecordSerializer):
    name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = CandidateSkill
        fields = ["skill", "name", "level", "years", "years_override"]


class ExperienceSerializer(RecordSerializer):
    technologies = serializers.SerializerMethodField()

    class Meta:
        model = Experience
        fields = ["id", "company", "role", "start", "end", "technologies", "description"]

    def get_technologies(self, experience) -> list[int]:
        return [skill.pk for skill in experience.technologies.all()]


class ProjectSerializer(RecordSerializer):
    technologies = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "context", "duration_months", "link", "technologies", "description"]

    def get_technologies(self, project) -> list[int]:
        return [skill.pk for skill in project.technologies.all()]


PROFILE_FIELDS = [
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
    "soft_skill_notes",
    "internal_notes",
]


class ProfileSerializer(RecordSerializer):
    skills = ProfileSkillSerializer(many=True, read_only=True)
    experiences = ExperienceSerializer(many=True, read_only=True)
    projects = ProjectSerializer(many=True, read_only=True)
    has_cv = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            *PROFILE_FIELDS,
            "availability_confirmed_on",
            "owner",
            "has_cv",
            "skills",
            "experiences",
            "projects",
            "archived_at",
            "anonymised_at",
            "created_at",
            "updated_at",
        ]

    def get_has_cv(self, candidate) -> bool:
        return bool(candidate.cv)


class EntrySerializer(RecordSerializer):
    profile = serializers.IntegerField(source="candidate_id", read_only=True)
    profile_name = serializers.CharField(source="candidate.full_name", read_only=True)
    margin = serializers.IntegerField(read_only=True, allow_null=True)
    margin_rate = serializers.DecimalField(
        max_digits=6, decimal_places=1, read_only=True, allow_null=True, coerce_to_string=False
    )

    class Meta:
        model = ShortlistEntry
        fields = [
            "id",
            "mission",
            "profile",
            "profile_name",
            "state",
            "slot",
            "position",
            "report",
            "client_rate",
            "candidate_rate",
            "margin",
            "margin_rate",
            "warnings",
            "ended_by",
            "end_reason",
            "end_note",
            "interview_slots",
            "added_by",
            "created_at",
            "sent_at",
            "answered_at",
            "closed_at",
        ]


class InterviewSerializer(RecordSerializer):
    causes = serializers.SerializerMethodField()
    mission = serializers.IntegerField(source="entry.mission_id", read_only=True)
    profile = serializers.IntegerField(source="entry.candidate_id", read_only=True)

    class Meta:
        model = Interview
        fields = [
            "id",
            "entry",
            "mission",
            "profile",
            "number",
            "kind",
            "scheduled_at",
            "duration_minutes",
            "place",
            "video_link",
            "client_interviewers",
            "recruiter",
            "state",
            "hard_skills_rating",
            "hard_skills_notes",
            "soft_skills_rating",
            "soft_skills_notes",
            "verdict",
            "causes",
            "failure_notes",
            "summary",
            "internal_notes",
            "test_score",
            "test_passed",
            "test_link",
            "client_feedback",
            "client_feedback_at",
            "feedback_at",
            "created_at",
        ]

    def get_causes(self, interview) -> list[str]:
        return sorted(cause.cause for cause in interview.causes.all())


class EventSerializer(RecordSerializer):
    profile = serializers.IntegerField(source="candidate_id", read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "at",
            "author",
            "subject",
            "mission",
            "entry",
            "profile",
            "from_state",
            "to_state",
            "message",
            "note",
        ]


# ---------------------------------------------------------------- recruiters: request bodies


class MissionSkillInput(serializers.Serializer):
    skill = serializers.IntegerField()
    required = serializers.BooleanField(default=True)
    min_years = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=Decimal(0), max_value=Decimal(40), default=0
    )


class MissionInput(serializers.Serializer):
    """A mission as the intake form takes it; `skills`, when given, replaces the list."""

    client = serializers.IntegerField()
    title = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True)
    seniority = serializers.ChoiceField(Seniority.choices, required=False)
    budget = serializers.IntegerField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    duration_months = serializers.IntegerField(required=False, allow_null=True)
    location = serializers.CharField(required=False, allow_blank=True, max_length=120)
    remote_policy = serializers.ChoiceField(RemotePolicy.choices, required=False)
    technical_test = serializers.ChoiceField(TechnicalTest.choices, required=False)
    technical_test_details = serializers.CharField(required=False, allow_blank=True, max_length=200)
    owner = serializers.IntegerField(required=False, allow_null=True)
    skills = MissionSkillInput(many=True, required=False)
    requester = serializers.IntegerField(
        required=False, allow_null=True, help_text="The client contact who asked for it."
    )
    followers = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Client contacts who follow it."
    )
    confirm_past = serializers.BooleanField(
        required=False, help_text="A start date in the past is refused unless confirmed."
    )


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(MissionState.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class EntryCreateInput(serializers.Serializer):
    """Position a profile; the report and the rate may come with it (one transaction)."""

    mission = serializers.IntegerField()
    profile = serializers.IntegerField()
    confirm_warnings = serializers.BooleanField(
        default=False,
        help_text="Position the profile despite R7's warnings (already active for the same "
        "client, rate above the budget); without it they come back as `confirmation_required`.",
    )
    report = serializers.CharField(required=False, allow_blank=True)
    client_rate = serializers.IntegerField(required=False, allow_null=True)


class EntryUpdateInput(serializers.Serializer):
    report = serializers.CharField(required=False, allow_blank=True)
    client_rate = serializers.IntegerField(required=False, allow_null=True)


class EntryEndInput(serializers.Serializer):
    reason = serializers.ChoiceField(FailureCause.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class InterviewInput(serializers.Serializer):
    kind = serializers.ChoiceField(InterviewKind.choices, required=False)
    scheduled_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(required=False, min_value=15, max_value=480)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    video_link = serializers.CharField(required=False, allow_blank=True, max_length=200)
    client_interviewers = serializers.CharField(required=False, allow_blank=True, max_length=255)
    recruiter = serializers.IntegerField(required=False, allow_null=True)


class InterviewCreateInput(InterviewInput):
    entry = serializers.IntegerField()


class FeedbackInput(serializers.Serializer):
    hard_skills_rating = serializers.IntegerField(min_value=1, max_value=5)
    hard_skills_notes = serializers.CharField(required=False, allow_blank=True)
    soft_skills_rating = serializers.IntegerField(min_value=1, max_value=5)
    soft_skills_notes = serializers.CharField(required=False, allow_blank=True)
    verdict = serializers.ChoiceField(Verdict.choices)
    summary = serializers.CharField(required=False, allow_blank=True)
    internal_notes = serializers.CharField(required=False, allow_blank=True)
    causes = serializers.ListField(
        child=serializers.ChoiceField(FailureCause.choices), required=False
    )
    failure_notes = serializers.CharField(required=False, allow_blank=True)
    test_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    test_passed = serializers.BooleanField(required=False, allow_null=True)
    test_link = serializers.CharField(required=False, allow_blank=True)


class ProfileSkillInput(serializers.Serializer):
    skill = serializers.IntegerField()
    level = serializers.ChoiceField(CandidateSkill.Level.choices, required=False)
    years = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal(0), required=False
    )
    years_override = serializers.BooleanField(required=False)


class ExperienceInput(serializers.Serializer):
    company = serializers.CharField(max_length=120)
    role = serializers.CharField(max_length=120)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)
    technologies = serializers.ListField(child=serializers.IntegerField(), required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class ProjectInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    context = serializers.ChoiceField(Project.Context.choices)
    duration_months = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    link = serializers.CharField(required=False, allow_blank=True, max_length=200)
    technologies = serializers.ListField(child=serializers.IntegerField(), required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class ProfileInput(serializers.Serializer):
    """A profile as the desk's form takes it (no CV: upload it on the desk). `skills`,
    `experiences` and `projects`, when given, replace the profile's lists."""

    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    linkedin_url = serializers.CharField(required=False, allow_blank=True, max_length=200)
    confirm_duplicates = serializers.BooleanField(
        required=False,
        help_text="A profile that may already be in the pool (same email, phone, LinkedIn "
        "profile, or same name in the same city) is refused with `possible_duplicates` unless "
        "confirmed.",
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    location = serializers.CharField(required=False, allow_blank=True, max_length=120)
    mobility = serializers.CharField(required=False, allow_blank=True, max_length=160)
    remote_preference = serializers.ChoiceField(RemotePolicy.choices, required=False)
    languages = serializers.CharField(required=False, allow_blank=True, max_length=160)
    headline = serializers.CharField(max_length=160)
    seniority = serializers.ChoiceField(Seniority.choices)
    day_rate = serializers.IntegerField()
    available_from = serializers.DateField(required=False, allow_null=True)
    legal_form = serializers.ChoiceField(LegalForm.choices, required=False)
    portage_company = serializers.IntegerField(required=False, allow_null=True)
    channel = serializers.ChoiceField(Channel.choices)
    consent_on = serializers.DateField(required=False, allow_null=True)
    soft_skill_notes = serializers.CharField(required=False, allow_blank=True)
    internal_notes = serializers.CharField(required=False, allow_blank=True)
    skills = ProfileSkillInput(many=True, required=False)
    experiences = ExperienceInput(many=True, required=False)
    projects = ProjectInput(many=True, required=False)


# ---------------------------------------------------------------- client contacts


class ClientMissionSkillSerializer(serializers.Serializer):
    name = serializers.CharField(source="skill.name")
    required = serializers.BooleanField()
    min_years = serializers.DecimalField(max_digits=3, decimal_places=1, coerce_to_string=False)


class ClientMissionSerializer(RecordSerializer):
    """A mission as its client reads it in the portal: their demand, its state and their
    recruiter's name. Not the recruiters' reasons or reminders."""

    skills = ClientMissionSkillSerializer(many=True, read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    recruiter = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "seniority",
            "budget",
            "start_date",
            "duration_months",
            "end_date",
            "location",
            "remote_policy",
            "technical_test",
            "technical_test_details",
            "state",
            "recruiter",
            "skills",
            "created_at",
            "updated_at",
        ]

    def get_recruiter(self, mission) -> str:
        owner = mission.owner
        return (owner.get_full_name() or owner.get_username()) if owner else ""


# A card's field names in the API: its primary keys say what they point at.
RENAMED = {"pk": "id", "mission_pk": "mission", "entry_pk": "profile"}
SIMPLE_FIELDS = {
    int: serializers.IntegerField,
    str: serializers.CharField,
    bool: serializers.BooleanField,
    date: serializers.DateField,
    datetime: serializers.DateTimeField,
}


def _field_for(annotation, source):
    nullable = False
    if isinstance(annotation, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable, annotation = True, members[0]
    if typing.get_origin(annotation) is tuple:
        item = typing.get_args(annotation)[0]
        if dataclasses.is_dataclass(item):
            return card_serializer(item)(many=True, source=source, read_only=True)
        return serializers.ListField(child=_field_for(item, None), source=source, read_only=True)
    if dataclasses.is_dataclass(annotation):
        # A part of the card made of parts (the recruiter's report and its sections).
        return card_serializer(annotation)(source=source, read_only=True)
    if annotation is Decimal:
        return serializers.DecimalField(
            max_digits=5, decimal_places=1, coerce_to_string=False, source=source, read_only=True
        )
    field = SIMPLE_FIELDS[annotation]
    kwargs = {"read_only": True, "allow_null": nullable}
    if source is not None:
        kwargs["source"] = source
    return field(**kwargs)


_card_serializers = {}


def card_serializer(card_class):
    """A read-only serializer with exactly the fields of a client-safe card dataclass."""
    if card_class not in _card_serializers:
        hints = typing.get_type_hints(card_class)
        attrs = {}
        for field in dataclasses.fields(card_class):
            name = RENAMED.get(field.name, field.name)
            source = field.name if name != field.name else None
            attrs[name] = _field_for(hints[field.name], source)
        name = f"Client{card_class.__name__.removeprefix('Client')}Serializer"
        _card_serializers[card_class] = type(name, (serializers.Serializer,), attrs)
    return _card_serializers[card_class]


ClientProfileSerializer = card_serializer(ClientProfileCard)
ClientInterviewSerializer = card_serializer(ClientInterview)


class InterviewRequestInput(serializers.Serializer):
    slots = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Preferred interview slots."
    )


class DeclineInput(serializers.Serializer):
    reason = serializers.ChoiceField(CLIENT_DECLINE_REASONS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ClientFeedbackInput(serializers.Serializer):
    feedback = serializers.CharField(max_length=2000)


class ErrorSerializer(serializers.Serializer):
    """Every error of the API."""

    code = serializers.CharField(help_text="Machine-readable, e.g. `shortlist_full`.")
    detail = serializers.CharField(help_text="A readable message, in the user's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For `invalid`: the messages of each field.",
    )

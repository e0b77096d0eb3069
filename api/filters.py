"""The filters of the API's lists (django-filter), each one answered by the database."""

from datetime import UTC

import django_filters as filters
from django.db.models import Exists, OuterRef

from candidates.forms import with_every_skill
from candidates.models import Candidate, Channel, Seniority
from interviews.models import Interview, InterviewState
from missions.models import EntryState, Event, Mission, MissionSkill, MissionState, ShortlistEntry
from staffing.forms import within_supported_years

# The largest id a database column holds (a bigint): beyond, no row can match.
MAX_ID = 2**63


class MomentFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 moment, within the years the app supports, compared in UTC: any offset
    Python reads is one the database accepts (PostgreSQL refuses offsets beyond ±15:59)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [within_supported_years])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, value.astimezone(UTC) if value is not None else value)


UPDATED_SINCE_HELP = "Only what changed at or after this time (ISO 8601), to sync."


class SkillIdsFilter(filters.BaseInFilter, filters.NumberFilter):
    """`?skills=3,7`: the rows that have every one of these skills. An id that names no
    skill (or is no id at all, e.g. negative or huge) matches nothing."""

    def __init__(self, *args, has_every, **kwargs):
        self.has_every = has_every
        kwargs.setdefault("help_text", "Skill ids, comma-separated: rows with every one of them.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if any(number != int(number) or not 0 < number < MAX_ID for number in value):
            return qs.none()
        return self.has_every(qs, [int(number) for number in value])


def missions_with_every_skill(queryset, skills):
    for skill in skills:
        queryset = queryset.filter(
            Exists(MissionSkill.objects.filter(mission=OuterRef("pk"), skill=skill))
        )
    return queryset


class MissionFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=MissionState.choices)
    seniority = filters.MultipleChoiceFilter(choices=Seniority.choices)
    skills = SkillIdsFilter(has_every=missions_with_every_skill)
    budget_min = filters.NumberFilter(field_name="budget", lookup_expr="gte")
    budget_max = filters.NumberFilter(field_name="budget", lookup_expr="lte")
    starts_before = filters.DateFilter(field_name="start_date", lookup_expr="lte")
    updated_since = MomentFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP
    )
    archived = filters.BooleanFilter(field_name="archived_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Mission
        fields = ["client", "owner"]


class ClientMissionFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=MissionState.choices)
    updated_since = MomentFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP
    )

    class Meta:
        model = Mission
        fields = []


class ProfileFilter(filters.FilterSet):
    seniority = filters.MultipleChoiceFilter(choices=Seniority.choices)
    channel = filters.MultipleChoiceFilter(choices=Channel.choices)
    skills = SkillIdsFilter(has_every=with_every_skill)
    rate_min = filters.NumberFilter(field_name="day_rate", lookup_expr="gte")
    rate_max = filters.NumberFilter(field_name="day_rate", lookup_expr="lte")
    available_before = filters.DateFilter(
        field_name="available_from",
        lookup_expr="lte",
        help_text="Available on or before this date.",
    )
    updated_since = MomentFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP
    )
    archived = filters.BooleanFilter(field_name="archived_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Candidate
        fields = []


class EntryFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=EntryState.choices)
    client = filters.NumberFilter(field_name="mission__client")
    profile = filters.NumberFilter(field_name="candidate")

    class Meta:
        model = ShortlistEntry
        fields = ["mission"]


class ClientProfileFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=EntryState.choices)
    # A number, not a choice among missions: a choice filter would tell a valid id of
    # another company (400) from an unknown one.
    mission = filters.NumberFilter(field_name="mission")

    class Meta:
        model = ShortlistEntry
        fields = []


class InterviewFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=InterviewState.choices)
    mission = filters.NumberFilter(field_name="entry__mission")
    client = filters.NumberFilter(field_name="entry__mission__client")
    scheduled_after = MomentFilter(field_name="scheduled_at", lookup_expr="gte")
    scheduled_before = MomentFilter(field_name="scheduled_at", lookup_expr="lt")

    class Meta:
        model = Interview
        fields = ["entry"]


class ClientInterviewFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=InterviewState.choices)
    mission = filters.NumberFilter(field_name="entry__mission")
    scheduled_after = MomentFilter(field_name="scheduled_at", lookup_expr="gte")

    class Meta:
        model = Interview
        fields = []


class EventFilter(filters.FilterSet):
    since = MomentFilter(field_name="at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)
    profile = filters.NumberFilter(field_name="candidate")

    class Meta:
        model = Event
        fields = ["mission", "subject"]

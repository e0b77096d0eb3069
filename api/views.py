"""The REST API, version 1: recruiters' endpoints, then client contacts' (`portal/`).

Every queryset starts from `visible_to(request.user)`, so an object another company owns is
a 404; every write goes through the services of the apps, inside the request's checks of
the same forms as the pages (`api.inputs`). A service's refusal comes back as
`{"code", "detail"}` (see `api.errors`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api import filters, serializers
from api.errors import InvalidInput, ServiceRefusal
from api.inputs import current_values, model_defaults, profile_forms, typed, valid_form
from api.pagination import EventCursorPagination, ProfileCursorPagination
from api.permissions import IsClientContact, IsRecruiter
from candidates import services as candidate_services
from candidates.models import Candidate, CandidateSkill, Experience, Project, Skill
from interviews import services as interview_services
from interviews.forms import FeedbackForm, ScheduleForm
from interviews.models import Interview, InterviewState
from missions import notifications
from missions import services as mission_services
from missions.forms import EntryEndForm, EntryForm, MissionForm, NotRetainedForm
from missions.models import (
    ENTRY_ACTIVE_STATES,
    Client,
    EntryState,
    Event,
    Mission,
    MissionSkill,
    ShortlistEntry,
)
from missions.placements import current_placement
from portal.cards import client_card, client_interview, with_card_data, with_interview_data
from portal.forms import ClientFeedbackForm, DeclineForm, InterviewRequestForm, SelectForm
from portal.views import client_safe_refusal

ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="Invalid input"),
    401: OpenApiResponse(serializers.ErrorSerializer, description="No valid credentials"),
    403: OpenApiResponse(serializers.ErrorSerializer, description="Not for this role"),
    404: OpenApiResponse(serializers.ErrorSerializer, description="Not found (or not yours)"),
    409: OpenApiResponse(serializers.ErrorSerializer, description="Refused by a rule"),
}
READ_ERRORS = {code: ERRORS[code] for code in (401, 403, 404)}
LIST_ERRORS = {code: ERRORS[code] for code in (400, 401, 403, 404)}  # 404: a page past the end


def answers(serializer, *, created=False):
    """The responses of a write: the object, or an error."""
    return {201 if created else 200: serializer, **ERRORS}


def pk_of(queryset, pk, field):
    """An object named in a request body, among those the user may see: an unknown one is
    an error of that field (the same answer for another company's)."""
    found = queryset.filter(pk=pk).first() if isinstance(pk, int) and 0 < pk < 2**63 else None
    if found is None:
        raise InvalidInput({field: [_("Unknown id: %(id)s.") % {"id": pk}]})
    return found


class RecruiterViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsRecruiter]


class ClientViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsClientContact]


# ================================================================ recruiters


@extend_schema_view(
    list=extend_schema(
        tags=["reference"], responses={200: serializers.SkillSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["reference"], responses={200: serializers.SkillSerializer, **READ_ERRORS}
    ),
)
class SkillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecruiterViewSet):
    """The technologies: their ids are what missions and profiles refer to."""

    serializer_class = serializers.SkillSerializer
    queryset = Skill.objects.order_by("name", "id")


@extend_schema_view(
    list=extend_schema(
        tags=["reference"], responses={200: serializers.ClientSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["reference"], responses={200: serializers.ClientSerializer, **READ_ERRORS}
    ),
)
class ClientCompanyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecruiterViewSet):
    """The client companies (read only: they are managed on the desk)."""

    serializer_class = serializers.ClientSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self):
        return Client.objects.visible_to(self.request.user).order_by("name", "id")


@extend_schema_view(
    list=extend_schema(
        tags=["missions"], responses={200: serializers.MissionSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["missions"], responses={200: serializers.MissionSerializer, **READ_ERRORS}
    ),
    create=extend_schema(
        tags=["missions"],
        request=serializers.MissionInput,
        responses=answers(serializers.MissionSerializer, created=True),
    ),
    partial_update=extend_schema(
        tags=["missions"],
        request=serializers.MissionInput,
        responses=answers(serializers.MissionSerializer),
    ),
)
class MissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecruiterViewSet):
    """Missions: the clients' demands. A new mission is a draft; open it with `transition`."""

    serializer_class = serializers.MissionSerializer
    filterset_class = filters.MissionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Mission.objects.visible_to(self.request.user)
            .select_related("client")
            .prefetch_related(
                Prefetch(
                    "skills",
                    MissionSkill.objects.select_related("skill").order_by(
                        "-required", "skill__name"
                    ),
                )
            )
            .annotate(
                active_entries=Count(
                    "shortlist", filter=Q(shortlist__state__in=ENTRY_ACTIVE_STATES)
                )
            )
            .order_by("-created_at", "-id")
        )

    def _answer(self, mission, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.get_queryset().get(pk=mission.pk)).data, status=code
        )

    def _skills(self, rows):
        ids = [row["skill"] for row in rows]
        known = Skill.objects.in_bulk([i for i in ids if 0 < i < 2**63])
        unknown = [str(i) for i in ids if i not in known]
        if unknown:
            raise InvalidInput(
                {"skills": [_("Unknown skill ids: %(ids)s.") % {"ids": ", ".join(unknown)}]}
            )
        if len(set(ids)) != len(ids):
            raise InvalidInput({"skills": [_("A skill appears twice.")]})
        return [(known[row["skill"]], row["required"], row["min_years"]) for row in rows]

    def create(self, request):
        body = typed(serializers.MissionInput, request)
        skills = self._skills(body.pop("skills", []))
        defaults = model_defaults(Mission, MissionForm._meta.fields)
        form = valid_form(MissionForm({**defaults, "owner": request.user.pk, **body}))
        fields = {k: v for k, v in form.mission_fields().items() if k != "client"}
        mission = mission_services.create_mission(
            by=request.user,
            client=form.cleaned_data["client"],
            skills=skills,
            **form.contacts(),
            **fields,
        )
        return self._answer(mission, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        mission = self.get_object()
        body = typed(serializers.MissionInput, request, partial=True)
        skills = self._skills(body.pop("skills")) if "skills" in body else None
        current = current_values(mission, MissionForm._meta.fields)
        form = valid_form(MissionForm({**current, **body}, instance=mission))
        fields = form.mission_fields()
        # Contacts left out of a PATCH stay as they are (the service's KEEP).
        contacts = {name: value for name, value in form.contacts().items() if name in body}
        if "client" in body and form.fields["client"].disabled:
            # The page greys the field out; over the API the service says why (client_frozen).
            fields["client"] = pk_of(Client.objects.all(), body["client"], "client")
        mission_services.update_mission(
            mission=mission, by=request.user, fields=fields, skills=skills, **contacts
        )
        return self._answer(mission)

    @extend_schema(
        tags=["missions"],
        request=serializers.TransitionInput,
        responses=answers(serializers.MissionSerializer),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the mission by hand: open a draft, put on hold or resume, cancel or lose it
        (a reason is required). Sending, interviewing and filling follow from actions."""
        mission = self.get_object()
        body = typed(serializers.TransitionInput, request)
        mission_services.transition_mission(
            mission=mission, to=body["to"], by=request.user, note=body.get("note", "")
        )
        return self._answer(mission)

    @extend_schema(
        tags=["missions"], request=None, responses=answers(serializers.MissionSerializer)
    )
    @action(detail=True, methods=["post"], url_path="send-shortlist")
    def send_shortlist(self, request, pk=None):
        """Send the proposed profiles to the client (each needs a report and a rate)."""
        mission = self.get_object()
        mission_services.send_shortlist(mission=mission, by=request.user)
        return self._answer(mission)


@extend_schema_view(
    list=extend_schema(
        tags=["shortlists"], responses={200: serializers.EntrySerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["shortlists"], responses={200: serializers.EntrySerializer, **READ_ERRORS}
    ),
)
class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecruiterViewSet):
    """Shortlist entries: a profile positioned on a mission (at most four active, R1)."""

    serializer_class = serializers.EntrySerializer
    filterset_class = filters.EntryFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            ShortlistEntry.objects.visible_to(self.request.user)
            .select_related("candidate")
            .order_by("mission_id", "position", "id")
        )

    def _answer(self, entry, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data, status=code)

    @staticmethod
    def _checked_report(entry, body):
        data = {
            "report": body.get("report", entry.report),
            "client_rate": body.get("client_rate", entry.client_rate),
        }
        return valid_form(EntryForm(data, instance=entry)).cleaned_data

    @extend_schema(
        tags=["shortlists"],
        request=serializers.EntryCreateInput,
        responses=answers(serializers.EntrySerializer, created=True),
    )
    def create(self, request):
        """Shortlist a profile. Refused with `shortlist_full` (a fifth active profile),
        `already_shortlisted`, `mission_closed`, `profile_archived`, or
        `confirmation_required` (R7: resend with `confirm_warnings: true`)."""
        body = typed(serializers.EntryCreateInput, request)
        mission = pk_of(Mission.objects.visible_to(request.user), body["mission"], "mission")
        candidate = pk_of(Candidate.objects.visible_to(request.user), body["profile"], "profile")
        with transaction.atomic():
            entry = mission_services.shortlist_candidate(
                mission=mission,
                candidate=candidate,
                by=request.user,
                confirm_warnings=body["confirm_warnings"],
            )
            if "report" in body or "client_rate" in body:
                mission_services.update_entry(
                    entry=entry, by=request.user, **self._checked_report(entry, body)
                )
        return self._answer(entry, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["shortlists"],
        request=serializers.EntryUpdateInput,
        responses=answers(serializers.EntrySerializer),
    )
    def partial_update(self, request, pk=None):
        """The recruiter's report and the rate sold to the client (give both)."""
        entry = self.get_object()
        body = typed(serializers.EntryUpdateInput, request, partial=True)
        mission_services.update_entry(
            entry=entry, by=request.user, **self._checked_report(entry, body)
        )
        return self._answer(entry)

    @extend_schema(tags=["shortlists"], responses={204: None, **ERRORS})
    def destroy(self, request, pk=None):
        """Take the profile off the shortlist: a proposed entry is deleted, a sent one is
        withdrawn by the agency and stays in the history."""
        entry = self.get_object()
        mission_services.remove_from_shortlist(entry=entry, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["shortlists"],
        request=serializers.EntryEndInput,
        responses=answers(serializers.EntrySerializer),
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The candidate is lost (another mission, unavailable…): a cause is required."""
        entry = self.get_object()
        form = valid_form(EntryEndForm(typed(serializers.EntryEndInput, request)))
        mission_services.withdraw_entry(entry=entry, by=request.user, **form.cleaned_data)
        return self._answer(entry)

    @extend_schema(
        tags=["shortlists"],
        request=serializers.EntryEndInput,
        responses=answers(serializers.EntrySerializer),
    )
    @action(detail=True, methods=["post"], url_path="not-retained")
    def not_retained(self, request, pk=None):
        """The client does not go on after interviews (the cause is optional)."""
        entry = self.get_object()
        form = valid_form(NotRetainedForm(typed(serializers.EntryEndInput, request)))
        mission_services.mark_not_retained(entry=entry, by=request.user, **form.cleaned_data)
        return self._answer(entry)

    @extend_schema(
        tags=["shortlists"],
        request=serializers.NoteInput,
        responses=answers(serializers.EntrySerializer),
    )
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None):
        """The client picks this profile: the mission is filled (R6 holds)."""
        entry = self.get_object()
        body = typed(serializers.NoteInput, request)
        mission_services.select_candidate(entry=entry, by=request.user, note=body.get("note", ""))
        return self._answer(entry)


def with_profile_parts(queryset):
    return queryset.prefetch_related(
        Prefetch("skills", CandidateSkill.objects.select_related("skill")),
        Prefetch("experiences", Experience.objects.prefetch_related("technologies")),
        Prefetch("projects", Project.objects.prefetch_related("technologies")),
    )


@extend_schema_view(
    list=extend_schema(
        tags=["profiles"], responses={200: serializers.ProfileSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["profiles"], responses={200: serializers.ProfileSerializer, **READ_ERRORS}
    ),
)
class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecruiterViewSet):
    """Freelance profiles with their skills, experiences and projects. Paged by cursor,
    oldest change first: `?updated_since=` and `next` read every change once."""

    serializer_class = serializers.ProfileSerializer
    filterset_class = filters.ProfileFilter
    pagination_class = ProfileCursorPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return with_profile_parts(Candidate.objects.visible_to(self.request.user))

    def _save(self, candidate, body):
        creating = candidate.pk is None
        form, formsets = profile_forms(candidate, body)
        saved = candidate_services.save_profile(
            form=form, formsets=formsets, by=self.request.user, today=timezone.localdate()
        )
        data = self.get_serializer(self.get_queryset().get(pk=saved.pk)).data
        return Response(data, status=status.HTTP_201_CREATED if creating else status.HTTP_200_OK)

    @extend_schema(
        tags=["profiles"],
        request=serializers.ProfileInput,
        responses=answers(serializers.ProfileSerializer, created=True),
    )
    def create(self, request):
        return self._save(Candidate(), typed(serializers.ProfileInput, request))

    @extend_schema(
        tags=["profiles"],
        request=serializers.ProfileInput,
        responses=answers(serializers.ProfileSerializer),
    )
    def partial_update(self, request, pk=None):
        """Change the fields given; `skills`, `experiences` or `projects` replace the list."""
        candidate = self.get_object()
        return self._save(candidate, typed(serializers.ProfileInput, request, partial=True))


@extend_schema_view(
    list=extend_schema(
        tags=["interviews"], responses={200: serializers.InterviewSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["interviews"], responses={200: serializers.InterviewSerializer, **READ_ERRORS}
    ),
)
class InterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecruiterViewSet):
    """Interviews: at most three per profile and mission that are not cancelled (R2)."""

    serializer_class = serializers.InterviewSerializer
    filterset_class = filters.InterviewFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Interview.objects.visible_to(self.request.user)
            .select_related("entry")
            .prefetch_related("causes")
            .order_by("scheduled_at", "id")
        )

    def _answer(self, interview, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.get_queryset().get(pk=interview.pk)).data, status=code
        )

    @extend_schema(
        tags=["interviews"],
        request=serializers.InterviewCreateInput,
        responses=answers(serializers.InterviewSerializer, created=True),
    )
    def create(self, request):
        """Schedule interview n of 3 for a sent profile (`interviews_full` for a fourth)."""
        body = typed(serializers.InterviewCreateInput, request)
        entry = pk_of(ShortlistEntry.objects.visible_to(request.user), body.pop("entry"), "entry")
        form = valid_form(ScheduleForm({"kind": "client", "duration_minutes": 60, **body}))
        interview = interview_services.schedule_interview(
            entry=entry, by=request.user, **form.service_fields()
        )
        return self._answer(interview, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["interviews"],
        request=serializers.InterviewInput,
        responses=answers(serializers.InterviewSerializer),
    )
    def partial_update(self, request, pk=None):
        """Move a scheduled interview; the updated invitation is sent."""
        interview = self.get_object()
        body = typed(serializers.InterviewInput, request, partial=True)
        current = current_values(interview, ScheduleForm._meta.fields)
        form = valid_form(ScheduleForm({**current, **body}, instance=interview))
        fields = form.service_fields()
        interview_services.reschedule_interview(
            interview=interview, by=request.user, scheduled_at=fields.pop("scheduled_at"), **fields
        )
        return self._answer(interview)

    @extend_schema(
        tags=["interviews"],
        request=serializers.NoteInput,
        responses=answers(serializers.InterviewSerializer),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        interview = self.get_object()
        body = typed(serializers.NoteInput, request)
        interview_services.cancel_interview(
            interview=interview, by=request.user, note=body.get("note", "")
        )
        return self._answer(interview)

    @extend_schema(
        tags=["interviews"],
        request=serializers.NoteInput,
        responses=answers(serializers.InterviewSerializer),
    )
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        interview = self.get_object()
        body = typed(serializers.NoteInput, request)
        interview_services.mark_no_show(
            interview=interview, by=request.user, note=body.get("note", "")
        )
        return self._answer(interview)

    @extend_schema(
        tags=["interviews"],
        request=serializers.FeedbackInput,
        responses=answers(serializers.InterviewSerializer),
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """The attending recruiter's feedback: hard skills first, then soft skills, a
        verdict and the causes observed. Only once the interview has taken place."""
        interview = self.get_object()
        body = typed(serializers.FeedbackInput, request)
        if interview.state == InterviewState.SCHEDULED and interview.scheduled_at > timezone.now():
            raise ServiceRefusal(
                code="too_early",
                message=_("This interview has not taken place yet: come back after it."),
            )
        data = {k: ("" if v is None else v) for k, v in body.items()}
        form = valid_form(FeedbackForm(data, interview=interview))
        interview_services.record_feedback(
            interview=interview, by=request.user, **form.service_fields()
        )
        return self._answer(interview)


@extend_schema_view(
    list=extend_schema(
        tags=["timeline"], responses={200: serializers.EventSerializer, **LIST_ERRORS}
    ),
)
class EventViewSet(mixins.ListModelMixin, RecruiterViewSet):
    """The timeline (R4): every change with who, when, from and to. Oldest first by cursor:
    `?since=` and `next` let a tool follow it."""

    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    pagination_class = EventCursorPagination

    def get_queryset(self):
        return Event.objects.all()


# ================================================================ client contacts


@extend_schema_view(
    list=extend_schema(
        tags=["portal"], responses={200: serializers.ClientMissionSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["portal"], responses={200: serializers.ClientMissionSerializer, **READ_ERRORS}
    ),
)
class ClientMissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClientViewSet):
    """Your company's missions."""

    serializer_class = serializers.ClientMissionSerializer
    filterset_class = filters.ClientMissionFilter

    def get_queryset(self):
        return (
            Mission.objects.visible_to(self.request.user)
            .select_related("owner")
            .prefetch_related(
                Prefetch(
                    "skills",
                    MissionSkill.objects.select_related("skill").order_by(
                        "-required", "skill__name"
                    ),
                )
            )
            .order_by("-created_at", "-id")
        )


def cards(entries, *, now):
    """The client-safe cards of entries of any missions, in a constant number of queries:
    the placements (R6) of their profiles are read at once, then judged per mission."""
    entries = list(entries)
    selected = ShortlistEntry.objects.filter(
        candidate_id__in={entry.candidate_id for entry in entries}, state=EntryState.SELECTED
    ).select_related("mission")
    by_candidate = {}
    for placed in selected:
        by_candidate.setdefault(placed.candidate_id, []).append(placed)
    today = timezone.localdate(now)
    result = []
    for entry in entries:
        placement = current_placement(
            by_candidate.get(entry.candidate_id, []),
            today=today,
            during=entry.mission.period,
            excluding_mission=entry.mission,
        )
        placements = {entry.candidate_id: placement} if placement else {}
        result.append(client_card(entry, now=now, placements=placements))
    return result


@extend_schema_view(
    list=extend_schema(
        tags=["portal"], responses={200: serializers.ClientProfileSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["portal"], responses={200: serializers.ClientProfileSerializer, **READ_ERRORS}
    ),
)
class ClientProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClientViewSet):
    """The profiles sent to your company, as the portal shows them: no contact details, no
    freelancer's rate, no margin. The id is the profile's place on the mission's shortlist."""

    serializer_class = serializers.ClientProfileSerializer
    filterset_class = filters.ClientProfileFilter

    def get_queryset(self):
        return with_card_data(ShortlistEntry.objects.visible_to(self.request.user)).order_by(
            "mission_id", "position", "id"
        )

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            self.get_serializer(cards(page, now=timezone.now()), many=True).data
        )

    def retrieve(self, request, pk=None):
        entry = self.get_object()
        return Response(self.get_serializer(cards([entry], now=timezone.now())[0]).data)

    def _answer(self, entry):
        return self.retrieve(self.request, pk=entry.pk)

    @extend_schema(
        tags=["portal"],
        request=serializers.InterviewRequestInput,
        responses=answers(serializers.ClientProfileSerializer),
    )
    @action(detail=True, methods=["post"], url_path="request-interview")
    def request_interview(self, request, pk=None):
        """Ask to meet this profile; your recruiter proposes a slot."""
        entry = self.get_object()
        form = valid_form(InterviewRequestForm(typed(serializers.InterviewRequestInput, request)))
        mission_services.request_interview(
            entry=entry, by=request.user, slots=form.cleaned_data["slots"]
        )
        return self._answer(entry)

    @extend_schema(
        tags=["portal"],
        request=serializers.DeclineInput,
        responses=answers(serializers.ClientProfileSerializer),
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Say no to this profile, with a reason."""
        entry = self.get_object()
        form = valid_form(DeclineForm(typed(serializers.DeclineInput, request)))
        mission_services.client_declines(entry=entry, by=request.user, **form.cleaned_data)
        return self._answer(entry)

    @extend_schema(
        tags=["portal"],
        request=serializers.NoteInput,
        responses=answers(serializers.ClientProfileSerializer),
    )
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None):
        """Select this profile: the mission is filled and the other profiles close."""
        entry = self.get_object()
        form = valid_form(SelectForm(typed(serializers.NoteInput, request)))
        try:
            with transaction.atomic():
                mission_services.select_candidate(
                    entry=entry, by=request.user, note=form.cleaned_data["note"]
                )
                # The mission's recruiter learns it like any other answer of the client.
                notifications.client_answered(entry.pk)
        except ValidationError as exc:
            # R6's refusal names the other mission, maybe another client's: told safely.
            safe = client_safe_refusal(exc)
            raise ServiceRefusal(exc, message=None if safe is exc else safe) from exc
        return self._answer(entry)


@extend_schema_view(
    list=extend_schema(
        tags=["portal"], responses={200: serializers.ClientInterviewSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["portal"], responses={200: serializers.ClientInterviewSerializer, **READ_ERRORS}
    ),
)
class ClientInterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClientViewSet):
    """Interviews of the profiles sent to your company: when, where, the summary shared."""

    serializer_class = serializers.ClientInterviewSerializer
    filterset_class = filters.ClientInterviewFilter

    def get_queryset(self):
        return with_interview_data(Interview.objects.visible_to(self.request.user)).order_by(
            "scheduled_at", "id"
        )

    def list(self, request):
        now = timezone.now()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = [client_interview(interview, now=now) for interview in page]
        return self.get_paginated_response(self.get_serializer(data, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(client_interview(self.get_object())).data)

    @extend_schema(
        tags=["portal"],
        request=serializers.ClientFeedbackInput,
        responses=answers(serializers.ClientInterviewSerializer),
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """Your feedback on an interview that has taken place."""
        interview = self.get_object()
        form = valid_form(ClientFeedbackForm(typed(serializers.ClientFeedbackInput, request)))
        interview_services.record_client_feedback(
            interview=interview, by=request.user, text=form.cleaned_data["feedback"]
        )
        return self.retrieve(request, pk=pk)

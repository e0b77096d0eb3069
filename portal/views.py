"""Client portal: a contact's missions, the sent shortlists, interviews and new demands.

Every lookup goes through `visible_to(request.user)`, so another company's objects and the
entries not sent yet are a 404 whatever the URL (R3). Profiles reach the templates only as
`client_view` cards, never as model instances.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Min, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from interviews import services as interview_services
from interviews.models import INTERVIEW_CAP, Interview, InterviewState
from missions import notifications, services
from missions.models import (
    MISSION_FINAL_STATES,
    EntryState,
    Mission,
    MissionState,
    ShortlistEntry,
)
from portal.cards import (
    client_card,
    client_feedback_open,
    client_interview,
    placements_for,
    with_card_data,
    with_interview_data,
)
from portal.forms import (
    CLIENT_DECLINE_REASONS,
    ClientFeedbackForm,
    DeclineForm,
    DemandForm,
    InterviewRequestForm,
    SelectForm,
)
from staffing import access
from staffing.decorators import client_required

PAGE_SIZE = 25


def _missions_with_progress(user, now):
    """The contact's missions with their shortlist progress, counted by the database."""
    sent = Q(shortlist__sent_at__isnull=False)
    return (
        Mission.objects.visible_to(user)
        .select_related("owner")
        .annotate(
            sent_count=Count("shortlist", filter=sent, distinct=True),
            to_review=Count(
                "shortlist", filter=sent & Q(shortlist__state=EntryState.SENT), distinct=True
            ),
            interviewing=Count(
                "shortlist",
                filter=sent
                & Q(shortlist__state__in=[EntryState.INTERVIEW_REQUESTED, EntryState.INTERVIEWING]),
                distinct=True,
            ),
            next_interview=Min(
                "shortlist__interviews__scheduled_at",
                filter=sent
                & Q(
                    shortlist__interviews__state=InterviewState.SCHEDULED,
                    shortlist__interviews__scheduled_at__gte=now,
                ),
            ),
            # Finished missions go last.
            finished=Case(
                When(state__in=MISSION_FINAL_STATES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("finished", "-created_at")
    )


@client_required
def home(request):
    now = timezone.now()
    page = Paginator(_missions_with_progress(request.user, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    upcoming = with_interview_data(
        Interview.objects.visible_to(request.user).filter(
            state=InterviewState.SCHEDULED, scheduled_at__gte=now
        )
    ).order_by("scheduled_at")[:5]
    return render(
        request,
        "portal/home.html",
        {
            "page_obj": page,
            "missions": page.object_list,
            "upcoming": [client_interview(i, now=now) for i in upcoming],
        },
    )


@client_required
def mission(request, pk):
    mission = get_object_or_404(
        Mission.objects.visible_to(request.user).select_related("owner", "client"), pk=pk
    )
    entries = with_card_data(
        ShortlistEntry.objects.visible_to(request.user).filter(mission=mission)
    )
    now = timezone.now()
    entries = list(entries.order_by("position", "sent_at"))
    placements = placements_for(entries, mission=mission, today=timezone.localdate(now))
    cards = []
    for entry in entries:
        entry.mission = mission  # already loaded: saves a join per card
        cards.append(client_card(entry, now=now, placements=placements))
    return render(
        request,
        "portal/mission.html",
        {
            "mission": mission,
            "mission_skills": mission.skills.select_related("skill"),
            "is_draft": mission.state == MissionState.DRAFT,
            "active_cards": [c for c in cards if c.is_active],
            "closed_cards": [c for c in cards if not c.is_active],
            "proposed_count": len(cards),
            "decline_reasons": CLIENT_DECLINE_REASONS,
        },
    )


def _visible_entry(request, pk):
    return get_object_or_404(
        with_card_data(ShortlistEntry.objects.visible_to(request.user)).select_related(
            "mission__client"
        ),
        pk=pk,
    )


@client_required
def entry(request, pk):
    entry = _visible_entry(request, pk)
    return render(
        request,
        "portal/entry.html",
        {
            "mission": entry.mission,
            "card": client_card(entry),
            "decline_reasons": CLIENT_DECLINE_REASONS,
        },
    )


def _answer_page(request, entry, template, form, **context):
    return render(
        request,
        template,
        {"mission": entry.mission, "card": client_card(entry), "form": form, **context},
    )


@client_required
@require_http_methods(["GET", "POST"])
def request_interview(request, pk):
    entry = _visible_entry(request, pk)
    form = InterviewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            number = interview_services.request_interview(
                entry=entry, by=request.user, slots=form.cleaned_data["slots"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Request for interview %(n)s of %(cap)s with %(name)s sent; your "
                    "recruiter will propose a slot."
                )
                % {
                    "n": number,
                    "cap": INTERVIEW_CAP,
                    "name": entry.candidate.client_display_name,
                },
            )
            return redirect("portal:mission", entry.mission_id)
    return _answer_page(request, entry, "portal/entry_request_interview.html", form)


@client_required
@require_http_methods(["GET", "POST"])
def decline(request, pk):
    entry = _visible_entry(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_declines(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s declined. Thank you: your reason helps us target the next profiles.")
                % {"name": entry.candidate.client_display_name},
            )
            return redirect("portal:mission", entry.mission_id)
    return _answer_page(request, entry, "portal/entry_decline.html", form)


def client_safe_refusal(exc):
    """A refusal as a client may read it. R6's refusal names the other mission, which may
    be another client's: the client is told the freelancer's end date only. R9's refusal
    speaks to the recruiter (upload, exception): the client is told who acts next."""
    code = getattr(exc, "code", None)
    if code == "compliance_missing":
        return _(
            "The agency is still collecting this freelancer's contract documents: please "
            "tell your recruiter you choose this profile; they will confirm the selection."
        )
    if code != "already_placed":
        return exc
    until = exc.params["until"]
    if until is None:
        return _("This freelancer is no longer available for this mission's dates.")
    return _(
        "This freelancer is no longer available for this mission's dates: placed until %(date)s."
    ) % {"date": date_format(until, "j F Y")}


@client_required
@require_http_methods(["GET", "POST"])
def select(request, pk):
    """A confirmation page first: selecting fills the mission and closes the other profiles."""
    entry = _visible_entry(request, pk)
    form = SelectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.select_candidate(
                    entry=entry, by=request.user, note=form.cleaned_data["note"]
                )
                # The mission's recruiter learns it like any other answer of the client.
                notifications.client_answered(entry.pk)
        except ValidationError as exc:
            form.add_error(None, client_safe_refusal(exc))
        else:
            messages.success(
                request,
                _("You selected %(name)s; your recruiter will contact you to organise the start.")
                % {"name": entry.candidate.client_display_name},
            )
            return redirect("portal:mission", entry.mission_id)
    others = (
        ShortlistEntry.objects.visible_to(request.user)
        .filter(
            mission=entry.mission_id,
            state__in=[EntryState.SENT, EntryState.INTERVIEW_REQUESTED, EntryState.INTERVIEWING],
        )
        .exclude(pk=entry.pk)
        .count()
    )
    return _answer_page(request, entry, "portal/entry_select.html", form, others=others)


@client_required
def interviews(request):
    now = timezone.now()
    visible = with_interview_data(Interview.objects.visible_to(request.user))
    upcoming = visible.filter(state=InterviewState.SCHEDULED, scheduled_at__gte=now).order_by(
        "scheduled_at"
    )
    past = visible.exclude(pk__in=upcoming.values("pk")).order_by("-scheduled_at")
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/interviews.html",
        {
            "upcoming": [client_interview(i, now=now) for i in upcoming],
            "past": [client_interview(i, now=now) for i in page.object_list],
            "page_obj": page,
        },
    )


@client_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    interview = get_object_or_404(
        with_interview_data(Interview.objects.visible_to(request.user)), pk=pk
    )
    if not client_feedback_open(interview):
        messages.error(request, _("You can give your feedback once the interview has taken place."))
        return redirect("portal:interviews")
    form = ClientFeedbackForm(request.POST or None, initial={"feedback": interview.client_feedback})
    if request.method == "POST" and form.is_valid():
        try:
            interview_services.record_client_feedback(
                interview=interview, by=request.user, text=form.cleaned_data["feedback"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your feedback was sent to the agency."))
        return redirect("portal:interviews")
    return render(
        request,
        "portal/feedback.html",
        {"interview": client_interview(interview), "form": form},
    )


@client_required
@require_http_methods(["GET", "POST"])
def new_demand(request):
    client = access.client_of(request.user)
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mission = services.submit_demand(client=client, by=request.user, **form.mission_fields())
        messages.success(
            request,
            _("Your demand “%(title)s” was sent: a recruiter will qualify it and come back to you.")
            % {"title": mission.title},
        )
        return redirect("portal:mission", mission.pk)
    return render(request, "portal/new_demand.html", {"form": form})

"""Recruiter pages for interviews: the list, scheduling (interview n of 3), the detail with its
moves (reschedule, cancel, no-show), the feedback form and the calendar file.

The .ics download is also open to the client contacts of the interview's company: it goes
through `visible_to`, like every lookup here, so any other interview is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interviews import services
from interviews.calendar import invitation
from interviews.forms import ConfirmForm, FeedbackForm, InterviewFilterForm, ScheduleForm
from interviews.models import INTERVIEW_CAP, Interview, InterviewSkillRating, InterviewState
from missions.models import MissionSkill, ShortlistEntry
from staffing.decorators import recruiter_required

PAGE_SIZE = 25


def _with_context(interviews):
    return interviews.select_related("entry__mission__client", "entry__candidate", "recruiter")


def _upcoming_first(interviews, now):
    """Upcoming interviews soonest first, then the others most recent first."""
    upcoming = Q(state=InterviewState.SCHEDULED, scheduled_at__gte=now)
    return interviews.annotate(
        is_past=Case(When(upcoming, then=Value(0)), default=Value(1), output_field=IntegerField()),
        upcoming_at=Case(When(upcoming, then=F("scheduled_at"))),
    ).order_by("is_past", "upcoming_at", "-scheduled_at", "pk")


@recruiter_required
def interview_list(request):
    now = timezone.now()
    form = InterviewFilterForm(request.GET or None)
    interviews = _with_context(Interview.objects.visible_to(request.user))
    if form.is_valid():
        state = form.cleaned_data["state"]
        if state == "feedback_due":
            interviews = interviews.filter(state=InterviewState.SCHEDULED, scheduled_at__lt=now)
        elif state:
            interviews = interviews.filter(state=state)
        if form.cleaned_data["mine"]:
            interviews = interviews.filter(recruiter=request.user)
    page = Paginator(_upcoming_first(interviews, now), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "interviews/interview_list.html",
        {
            "form": form,
            "page_obj": page,
            "interviews": page.object_list,
            "now": now,
            "cap": INTERVIEW_CAP,
        },
    )


def _entry_with_interviews(request, pk):
    return get_object_or_404(
        ShortlistEntry.objects.visible_to(request.user)
        .select_related("mission__client", "candidate")
        .prefetch_related(
            Prefetch(
                "interviews",
                Interview.objects.select_related("recruiter").order_by("number", "scheduled_at"),
            )
        ),
        pk=pk,
    )


def _counted(interviews):
    return [i for i in interviews if i.counts_towards_cap]


@recruiter_required
@require_http_methods(["GET", "POST"])
def interview_schedule(request, entry_pk):
    entry = _entry_with_interviews(request, entry_pk)
    form = ScheduleForm(request.POST or None, initial={"recruiter": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.schedule_interview(
                entry=entry, by=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Interview %(n)s of %(cap)s scheduled: the client and the recruiter get an "
                    "invitation."
                )
                % {"n": interview.number, "cap": INTERVIEW_CAP},
            )
            return redirect(interview)
    counted = _counted(entry.interviews.all())
    return render(
        request,
        "interviews/interview_schedule.html",
        {
            "entry": entry,
            "mission": entry.mission,
            "form": form,
            "interviews": entry.interviews.all(),
            "number": min(len(counted) + 1, INTERVIEW_CAP),
            "counted": len(counted),
            "is_full": len(counted) >= INTERVIEW_CAP,
            "cap": INTERVIEW_CAP,
        },
    )


def _in_demand_order(ratings):
    """Skill ratings in the order of the mission's demand: required skills first, by name."""
    required = MissionSkill.objects.filter(
        mission=OuterRef("interview__entry__mission"), skill=OuterRef("skill"), required=True
    )
    return ratings.select_related("skill").order_by(~Exists(required), "skill__name")


def _interview(request, pk):
    return get_object_or_404(
        _with_context(Interview.objects.visible_to(request.user)).prefetch_related(
            "causes", Prefetch("skill_ratings", _in_demand_order(InterviewSkillRating.objects))
        ),
        pk=pk,
    )


@recruiter_required
def interview_detail(request, pk):
    interview = _interview(request, pk)
    siblings = interview.entry.interviews.select_related("recruiter").order_by(
        "number", "scheduled_at"
    )
    return render(
        request,
        "interviews/interview_detail.html",
        {
            "interview": interview,
            "entry": interview.entry,
            "mission": interview.entry.mission,
            "siblings": siblings,
            "cap": INTERVIEW_CAP,
            "feedback_due": _feedback_due(interview),
            "confirm_form": ConfirmForm(),
        },
    )


def _feedback_due(interview):
    return interview.state == InterviewState.SCHEDULED and interview.scheduled_at <= timezone.now()


@recruiter_required
@require_http_methods(["GET", "POST"])
def interview_reschedule(request, pk):
    interview = _interview(request, pk)
    if interview.state != InterviewState.SCHEDULED:
        messages.error(request, _("Only a scheduled interview can be moved."))
        return redirect(interview)
    form = ScheduleForm(request.POST or None, instance=interview)
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.service_fields()
            services.reschedule_interview(
                interview=interview,
                by=request.user,
                scheduled_at=fields.pop("scheduled_at"),
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Interview %(n)s moved.") % {"n": interview.number})
            return redirect(interview)
    return render(
        request,
        "interviews/interview_schedule.html",
        {
            "entry": interview.entry,
            "mission": interview.entry.mission,
            "form": form,
            "interview": interview,
            "interviews": interview.entry.interviews.select_related("recruiter").order_by(
                "number", "scheduled_at"
            ),
            "number": interview.number,
            "cap": INTERVIEW_CAP,
            "is_full": False,
        },
    )


def _state_change(request, pk, service, success):
    interview = _interview(request, pk)
    form = ConfirmForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service(interview=interview, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success % {"n": interview.number})
    return redirect(interview)


@recruiter_required
@require_POST
def interview_cancel(request, pk):
    return _state_change(
        request,
        pk,
        services.cancel_interview,
        _("Interview %(n)s cancelled: it no longer counts towards the three."),
    )


@recruiter_required
@require_POST
def interview_no_show(request, pk):
    return _state_change(
        request, pk, services.mark_no_show, _("Interview %(n)s marked as a no-show.")
    )


@recruiter_required
@require_http_methods(["GET", "POST"])
def interview_feedback(request, pk):
    """The feedback form. "Save the draft" keeps what is typed for later (the interview stays
    to be recorded); "Save the feedback" records it for good and marks the interview done."""
    interview = _interview(request, pk)
    if interview.state not in (InterviewState.SCHEDULED, InterviewState.DONE):
        messages.error(
            request,
            _("This interview is %(state)s: there is no feedback to record.")
            % {"state": interview.get_state_display().lower()},
        )
        return redirect(interview)
    too_early = interview.state == InterviewState.SCHEDULED and interview.scheduled_at > (
        timezone.now()
    )
    entry = interview.entry
    skills = list(entry.mission.skills.select_related("skill"))
    draft = request.method == "POST" and "draft" in request.POST
    form = FeedbackForm(
        request.POST or None,
        interview=interview,
        skills=skills,
        draft=draft,
        initial=FeedbackForm.initial_from(interview),
    )
    if request.method == "POST" and form.is_valid():
        if too_early:
            form.add_error(None, _("This interview has not taken place yet: come back after it."))
        elif _save_feedback(request, interview, form):
            return redirect(interview)
    return render(
        request,
        "interviews/interview_feedback.html",
        {
            "interview": interview,
            "entry": entry,
            "mission": entry.mission,
            "form": form,
            "too_early": too_early,
            "cap": INTERVIEW_CAP,
            "mission_skills": skills,
            "previous": entry.interviews.exclude(pk=interview.pk)
            .filter(state=InterviewState.DONE)
            .order_by("number"),
        },
    )


def _save_feedback(request, interview, form):
    save = services.save_feedback_draft if form.draft else services.record_feedback
    try:
        save(interview=interview, by=request.user, **form.service_fields())
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    if form.draft:
        messages.success(
            request,
            _("Draft of the feedback on interview %(n)s saved: finish it when you are ready.")
            % {"n": interview.number},
        )
    else:
        messages.success(request, _("Feedback on interview %(n)s saved.") % {"n": interview.number})
    return True


def interview_ics(request, pk):
    """The interview as a calendar file, for recruiters and the client's own contacts: the
    client's invitation, which holds no contact details of the freelancer."""
    interview = get_object_or_404(
        Interview.objects.visible_to(request.user).select_related(
            "entry__mission__client", "entry__candidate", "recruiter"
        ),
        pk=pk,
    )
    response = HttpResponse(invitation(interview), content_type="text/calendar; charset=utf-8")
    filename = f"interview-{interview.entry.mission.reference}-{interview.number}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""Recruiter desk: placements — the list, a placement's page, its extension and early end."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import compliance
from missions import services
from missions.forms import PlacementEndForm, PlacementExtendForm
from missions.models import RENEWAL_NOTICE_DAYS, Placement
from staffing.decorators import recruiter_required

PAGE_SIZE = 25
FILTERS = ("current", "ending", "all")


def _placements():
    return Placement.objects.select_related("mission__client", "mission__owner", "candidate")


@recruiter_required
def placement_list(request):
    today = timezone.localdate()
    shown = request.GET.get("show")
    shown = shown if shown in FILTERS else "current"
    placements = _placements()
    if shown == "current":
        placements = placements.running_or_coming(today)
    elif shown == "ending":
        placements = placements.ending_between(today, today + timedelta(days=RENEWAL_NOTICE_DAYS))
    order = ("end", "pk") if shown == "ending" else ("-start", "-pk")
    page = Paginator(placements.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    for placement in page.object_list:
        placement.remaining = placement.days_left(today)
    context = {"page_obj": page, "shown": shown, "today": today, "notice": RENEWAL_NOTICE_DAYS}
    return render(request, "missions/placement_list.html", context)


def _detail_context(placement, *, extend_form=None, end_form=None):
    today = timezone.localdate()
    candidate = placement.candidate
    return {
        "placement": placement,
        "today": today,
        "remaining": placement.days_left(today),
        "ending_soon": placement.in_renewal_notice(today),
        "missing_documents": compliance.missing_documents(candidate, day=today),
        "exceptions": placement.entry.compliance_exceptions.select_related("author"),
        "events": placement.mission.events.filter(candidate=candidate).select_related("author")[
            :30
        ],
        "extend_form": extend_form or PlacementExtendForm(),
        "end_form": end_form or PlacementEndForm(initial={"last_day": today}),
    }


@recruiter_required
def placement_detail(request, pk):
    placement = get_object_or_404(_placements().select_related("entry"), pk=pk)
    return render(request, "missions/placement_detail.html", _detail_context(placement))


def _placement_action(request, pk, form_class, action, success, form_name):
    """The shared shape of a placement's actions: the form, the service, a message; a refusal
    re-renders the page with the form's error (status 200, nothing saved)."""
    placement = get_object_or_404(_placements().select_related("entry"), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            placement = action(placement, request.user, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success(placement))
            return redirect(placement)
    return render(
        request,
        "missions/placement_detail.html",
        _detail_context(placement, **{form_name: form}),
    )


@recruiter_required
@require_POST
def placement_extend(request, pk):
    return _placement_action(
        request,
        pk,
        PlacementExtendForm,
        lambda p, by, data: services.extend_placement(placement=p, by=by, **data),
        lambda p: (
            _("The placement now runs until %(date)s.") % {"date": date_format(p.end, "j F Y")}
        ),
        "extend_form",
    )


@recruiter_required
@require_POST
def placement_end(request, pk):
    return _placement_action(
        request,
        pk,
        PlacementEndForm,
        lambda p, by, data: services.end_placement_early(placement=p, by=by, **data),
        lambda p: (
            _("The placement ends early: %(name)s is available from the next day.")
            % {"name": p.candidate.full_name}
        ),
        "end_form",
    )

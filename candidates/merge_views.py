"""Merging duplicate profiles from the desk: choose the other profile, compare the two side
by side, confirm. Gated like the GDPR actions: the absorbed profile is anonymised."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import gdpr, merging
from candidates.forms import MergeChoiceForm, search_text
from candidates.models import Candidate
from staffing.decorators import recruiter_required

CHOICES_SHOWN = 10


def _mergeable(user):
    """Profiles that may take part in a merge: seen by `user`, neither anonymised nor merged."""
    return Candidate.objects.visible_to(user).filter(
        anonymised_at__isnull=True, merged_into__isnull=True
    )


def _profile(request, pk):
    """The profile of a merge action: 404 if out of sight, 403 without the permission."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    if not gdpr.may_handle_personal_data(request.user):
        raise PermissionDenied
    return candidate


@recruiter_required
def merge(request, pk):
    """Step 1 (no `other`): find the duplicate by name or email. Step 2: both side by side,
    with what would move, and the button that merges."""
    keep = _profile(request, pk)
    form = MergeChoiceForm(request.GET)
    other = None
    if form.is_valid() and form.cleaned_data.get("other"):
        other = (
            _mergeable(request.user)
            .exclude(pk=keep.pk)
            .filter(pk=form.cleaned_data["other"])
            .first()
        )
        if other is None:
            messages.error(request, _("That profile cannot be merged: it is gone or anonymised."))
    context = {"keep": keep, "form": form, "other": other}
    if other is not None:
        context["preview"] = merging.merge_preview(keep=keep, absorb=other)
    elif form.is_valid() and form.cleaned_data.get("q"):
        found = search_text(_mergeable(request.user).exclude(pk=keep.pk), form.cleaned_data["q"])
        context["choices"] = found.order_by("last_name", "first_name", "pk")[:CHOICES_SHOWN]
    return render(request, "candidates/candidate_merge.html", context)


@recruiter_required
@require_POST
def merge_confirm(request, pk):
    keep = _profile(request, pk)
    form = MergeChoiceForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("other"):
        messages.error(request, _("Choose the profile to merge into this one."))
        return redirect("candidates:merge", keep.pk)
    absorb = get_object_or_404(
        Candidate.objects.visible_to(request.user), pk=form.cleaned_data["other"]
    )
    try:
        merging.merge_profiles(keep=keep, absorb=absorb, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('candidates:merge', args=[keep.pk])}?other={absorb.pk}")
    messages.success(
        request,
        _("%(name)s merged into this profile; the duplicate is archived and anonymised.")
        % {"name": absorb.full_name},
    )
    return redirect(keep)

"""Talent pools on the desk: the list of pools with their counts, create, rename, delete,
and adding profiles from the search, the matching and the profile page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from candidates import services
from candidates.forms import PoolAddForm, PoolMemberForm, PoolNameForm
from candidates.models import TalentPool
from staffing.decorators import recruiter_required
from staffing.pagination import CappedPaginator

PAGE_SIZE = 50


def _back(request, fallback):
    """Where the form came from (its `next`), if it is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@recruiter_required
def pool_list(request, form=None):
    pools = TalentPool.objects.annotate(size=Count("memberships")).order_by("name", "pk")
    page_obj = CappedPaginator(pools, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "candidates/pool_list.html",
        {"page_obj": page_obj, "pools": page_obj.object_list, "form": form or PoolNameForm()},
    )


@recruiter_required
@require_POST
def pool_create(request):
    form = PoolNameForm(request.POST)
    if form.is_valid():
        try:
            pool = services.create_pool(name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, _("Pool %(name)s created.") % {"name": pool.name})
            return redirect("candidates:pools")
    return pool_list(request, form=form)


@recruiter_required
@require_POST
def pool_rename(request, pk):
    pool = get_object_or_404(TalentPool, pk=pk)
    form = PoolNameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["name"])
        services.rename_pool(pool=pool, name=form.cleaned_data["name"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pool renamed."))
    return redirect("candidates:pools")


@recruiter_required
@require_POST
def pool_delete(request, pk):
    pool = get_object_or_404(TalentPool, pk=pk)
    services.delete_pool(pool=pool, by=request.user)
    messages.success(request, _("Pool %(name)s deleted; its profiles stay.") % {"name": pool.name})
    return redirect("candidates:pools")


@recruiter_required
@require_POST
def pool_add(request):
    """Profiles ticked on the search or the matching page, or the one of a profile page."""
    form = PoolAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a pool and at least one profile."))
        return _back(request, "candidates:list")
    pool = form.cleaned_data["pool"]
    added = services.add_to_pool(
        pool=pool, candidates=list(form.cleaned_data["candidate"]), by=request.user
    )
    messages.success(
        request,
        ngettext("%(n)s profile added to %(pool)s.", "%(n)s profiles added to %(pool)s.", added)
        % {"n": added, "pool": pool.name},
    )
    return _back(request, "candidates:pools")


@recruiter_required
@require_POST
def pool_remove(request, pk):
    pool = get_object_or_404(TalentPool, pk=pk)
    form = PoolMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That profile is gone."))
        return _back(request, "candidates:pools")
    candidate = form.cleaned_data["candidate"]
    services.remove_from_pool(pool=pool, candidate=candidate, by=request.user)
    messages.success(
        request,
        _("%(name)s taken out of %(pool)s.") % {"name": candidate.full_name, "pool": pool.name},
    )
    return _back(request, candidate.get_absolute_url())

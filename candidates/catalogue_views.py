"""The catalogue of technologies on the desk: every skill with its other names and how many
profiles and missions use it; a recruiter adds a technology or another name for one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import services
from candidates.forms import SkillAddForm, SkillAliasForm
from candidates.models import Skill
from staffing.decorators import recruiter_required
from staffing.pagination import CappedPaginator

PAGE_SIZE = 50


def _uses(relation):
    """How many rows of a reverse relation point at each skill, as a correlated subquery:
    two counts joined in one query would multiply each other's rows."""
    return Subquery(Skill.objects.filter(pk=OuterRef("pk")).annotate(n=Count(relation)).values("n"))


@recruiter_required
def catalogue(request, form=None):
    query = request.GET.get("q", "").strip()[:60]
    skills = Skill.objects.annotate(
        profiles=_uses("candidate_skills"), missions=_uses("mission_skills")
    ).prefetch_related("aliases")
    if query:
        skills = skills.filter(
            Q(name__icontains=query) | Q(aliases__name__icontains=query)
        ).distinct()
    page_obj = CappedPaginator(skills.order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "candidates/catalogue.html",
        {
            "page_obj": page_obj,
            "skills": page_obj.object_list,
            "query": query,
            "form": form or SkillAddForm(),
        },
    )


@recruiter_required
@require_POST
def skill_add(request):
    form = SkillAddForm(request.POST)
    if form.is_valid():
        try:
            skill = services.add_skill(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error("name" if exc.code == "name_required" else None, exc)
        else:
            messages.success(request, _("%(name)s added to the catalogue.") % {"name": skill})
            return redirect("candidates:catalogue")
    return catalogue(request, form=form)


@recruiter_required
@require_POST
def alias_add(request, pk):
    skill = get_object_or_404(Skill, pk=pk)
    form = SkillAliasForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["name"])
        alias = services.add_skill_alias(
            skill=skill, name=form.cleaned_data["name"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(alias)s now also finds %(name)s.") % {"alias": alias.name, "name": skill.name},
        )
    return redirect("candidates:catalogue")

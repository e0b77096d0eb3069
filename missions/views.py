"""Recruiter desk: missions, their shortlists, and clients."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from candidates import compliance
from missions import contacts, notifications, services
from missions.forms import (
    ClientForm,
    ContactInviteForm,
    EntryEndForm,
    EntryForm,
    MissionForm,
    MissionSkillFormSet,
    MissionTransitionForm,
    NotRetainedForm,
    PositionForm,
    SelectForm,
    ShortlistAddForm,
)
from missions.models import (
    ENTRY_ACTIVE_STATES,
    SHORTLIST_CAP,
    Client,
    EntryState,
    Mission,
    MissionContact,
    MissionContactRole,
    MissionState,
    Placement,
    ShortlistEntry,
)
from staffing import access
from staffing.decorators import recruiter_required
from staffing.pagination import CappedPaginator

PAGE_SIZE = 25


def _error_text(exc):
    return " ".join(exc.messages)


def _search_text(request):
    """The search box's text, without NUL characters (PostgreSQL refuses them in a query)."""
    return request.GET.get("q", "").replace("\x00", "").strip()


def _is_id(value):
    """Whether a query-string value can be a primary key: ASCII digits that fit 64 bits
    (SQLite raises on a larger number instead of finding nothing)."""
    return value.isascii() and value.isdigit() and int(value) < 2**63


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# ---------------------------------------------------------------- missions


@recruiter_required
def mission_list(request):
    # A correlated count per row rather than a join and GROUP BY over every mission: the
    # database reads the page's 25 missions from the index on creation date and counts
    # their entries only.
    active_entries = (
        ShortlistEntry.objects.filter(mission=OuterRef("pk"), state__in=ENTRY_ACTIVE_STATES)
        .order_by()
        .values("mission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    missions = Mission.objects.select_related("client", "owner").annotate(
        active_entries=Coalesce(Subquery(active_entries, output_field=IntegerField()), 0)
    )
    filters = {
        "state": request.GET.get("state", ""),
        "client": request.GET.get("client", ""),
        "client_name": request.GET.get("client_name", "").replace("\x00", "").strip()[:100],
        "owner": request.GET.get("owner", ""),
        "skill": request.GET.get("skill", ""),
        "q": _search_text(request),
    }
    # Archived missions (R5) are out of the way unless asked for.
    if filters["state"] == "archived":
        missions = missions.filter(archived_at__isnull=False)
    else:
        missions = missions.filter(archived_at__isnull=True)
    if filters["state"] in MissionState.values:
        missions = missions.filter(state=filters["state"])
    elif filters["state"] == "active":
        missions = missions.exclude(
            state__in=[MissionState.FILLED, MissionState.CANCELLED, MissionState.LOST]
        )
    # Clients by name (an agency has thousands: no list of them on every page); a client's
    # page links here with its id, shown as its name.
    if filters["client_name"]:
        missions = missions.filter(client__name__icontains=filters["client_name"])
    elif _is_id(filters["client"]):
        missions = missions.filter(client_id=filters["client"])
        client = Client.objects.filter(pk=filters["client"]).values_list("name", flat=True)
        filters["client_name"] = client.first() or ""
    if filters["owner"] == "me":
        missions = missions.filter(owner=request.user)
    elif _is_id(filters["owner"]):
        missions = missions.filter(owner_id=filters["owner"])
    if _is_id(filters["skill"]):
        missions = missions.filter(skills__skill_id=filters["skill"])
    if filters["q"]:
        missions = missions.filter(
            Q(title__icontains=filters["q"])
            | Q(reference__icontains=filters["q"])
            | Q(client__name__icontains=filters["q"])
        )
    # Counted up to a cap, as the profile search: past it the list says "more than".
    page = CappedPaginator(missions.order_by("-created_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    from candidates.models import Skill

    context = {
        "page_obj": page,
        "filters": filters,
        "states": MissionState.choices,
        "owners": access.recruiters(),
        "skills": Skill.objects.only("pk", "name"),
        "cap": SHORTLIST_CAP,
    }
    return render(request, "missions/mission_list.html", context)


def _contacts_with_role(mission):
    """The client's contacts, each with its role on the mission (None when not named)."""
    role = MissionContact.objects.filter(mission=mission, contact=OuterRef("pk")).values("role")
    contacts = list(
        mission.client.contacts.select_related("user").annotate(mission_role=Subquery(role[:1]))
    )
    for contact in contacts:
        contact.mission_role_label = (
            MissionContactRole(contact.mission_role).label if contact.mission_role else ""
        )
    return contacts


def _mission_detail_context(request, mission):
    entries = list(
        mission.shortlist.select_related("candidate", "added_by")
        .prefetch_related(
            "interviews",
            # Every placement of each profile, this mission's own included: the page reads both
            # from this one query.
            Prefetch(
                "candidate__placements",
                queryset=Placement.objects.select_related("mission").order_by("pk"),
                to_attr="all_placements",
            ),
        )
        .order_by("position", "created_at")
    )
    today = timezone.localdate()
    for entry in entries:
        counted = [i for i in entry.interviews.all() if i.counts_towards_cap]
        entry.interview_count = len(counted)
        entry.waiting_days = (
            (today - timezone.localtime(entry.sent_at).date()).days if (entry.sent_at) else None
        )
        # R6: an active entry of a profile placed elsewhere over this mission's dates is
        # flagged to the recruiter (read from the prefetch: no query per row).
        entry.placed_on = [
            p.mission
            for p in entry.candidate.all_placements
            if p.mission_id != mission.pk and entry.is_active and p.period.overlaps(mission.period)
        ]
        # Each entry's forms get ids of their own, so each label names its own field.
        entry.end_form = EntryEndForm(auto_id=f"id_withdraw_{entry.pk}_%s")
        entry.not_retained_form = NotRetainedForm(auto_id=f"id_not_retained_{entry.pk}_%s")
    active = [e for e in entries if e.state in ENTRY_ACTIVE_STATES]
    # R9: what each active profile still lacks, flagged before anyone tries to select it.
    gaps = compliance.missing_documents_of([e.candidate for e in active], day=today)
    for entry in active:
        entry.compliance_missing = gaps.get(entry.candidate_id, [])
    interviews = sorted(
        (i for e in entries for i in e.interviews.all()), key=lambda i: i.scheduled_at
    )
    for interview in interviews:
        interview.entry_obj = next(e for e in entries if e.pk == interview.entry_id)
    margins = [e.margin_rate for e in active if e.margin_rate is not None]
    proposed = [e for e in active if e.state == EntryState.PROPOSED]
    # The send button asks the service's own rule (read from the rows loaded above).
    send_refusal = services.send_refusal(mission=mission, proposed=proposed)
    return {
        "mission": mission,
        "skills": mission.skills.select_related("skill"),
        "active_entries": active,
        "closed_entries": [e for e in entries if e.state not in ENTRY_ACTIVE_STATES],
        "proposed_count": len(proposed),
        "send_refusal": _error_text(send_refusal) if send_refusal else "",
        "primary_action": _primary_action(mission, active, send_refusal),
        "free_slots": range(SHORTLIST_CAP - len(active)),
        "cap": SHORTLIST_CAP,
        "interviews": interviews,
        "average_margin": round(sum(margins) / len(margins), 1) if margins else None,
        "events": mission.events.select_related("author", "candidate")[:40],
        "contacts": _contacts_with_role(mission),
        "transition_form": MissionTransitionForm(mission=mission, auto_id="id_transition_%s"),
        "placement": _own_placement(mission, entries),
    }


def _own_placement(mission, entries):
    """The mission's placement (the first made), read from the entries' prefetch: a placement
    always comes from one of the mission's entries."""
    own = [p for e in entries for p in e.candidate.all_placements if p.mission_id == mission.pk]
    return min(own, key=lambda p: p.pk, default=None)


def _primary_action(mission, active, send_refusal):
    """The one primary button of the mission page, the workflow's next step: send the
    profiles ready to go, else find more while slots are free, else none."""
    if send_refusal is None:
        return "send"
    if not mission.is_final and len(active) < SHORTLIST_CAP:
        return "find"
    return ""


@recruiter_required
def mission_detail(request, pk):
    mission = get_object_or_404(
        Mission.objects.select_related("client", "owner", "submitted_by"), pk=pk
    )
    return render(
        request, "missions/mission_detail.html", _mission_detail_context(request, mission)
    )


def _skills_of(formset):
    """The skills a valid skills formset asks for, as (skill, required, min_years)."""
    return [
        (f.cleaned_data["skill"], f.cleaned_data["required"], f.cleaned_data["min_years"] or 0)
        for f in formset.forms
        if f.cleaned_data.get("skill") and not f.cleaned_data.get("DELETE")
    ]


@recruiter_required
def mission_create(request):
    initial = {"owner": request.user, "client": request.GET.get("client")}
    form = MissionForm(request.POST or None, initial=initial)
    formset = MissionSkillFormSet(request.POST or None, prefix="skills")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = {k: v for k, v in form.mission_fields().items() if k != "client"}
        mission = services.create_mission(
            by=request.user,
            client=form.cleaned_data["client"],
            skills=_skills_of(formset),
            **form.contacts(),
            **fields,
        )
        messages.success(request, _("Mission %(ref)s created.") % {"ref": mission.reference})
        return redirect(mission)
    return render(
        request, "missions/mission_form.html", {"form": form, "formset": formset, "mission": None}
    )


@recruiter_required
def mission_edit(request, pk):
    mission = get_object_or_404(Mission.objects.select_related("client"), pk=pk)
    form = MissionForm(request.POST or None, instance=mission)
    formset = MissionSkillFormSet(request.POST or None, instance=mission, prefix="skills")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_mission(
                mission=mission,
                by=request.user,
                fields=form.mission_fields(),
                skills=_skills_of(formset),
                **form.contacts(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Mission saved."))
            return redirect(mission)
    return render(
        request,
        "missions/mission_form.html",
        {"form": form, "formset": formset, "mission": mission},
    )


@require_POST
@recruiter_required
def mission_transition(request, pk):
    mission = get_object_or_404(Mission, pk=pk)
    form = MissionTransitionForm(request.POST, mission=mission)
    if form.is_valid():
        try:
            services.transition_mission(
                mission=mission,
                to=form.cleaned_data["to"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The mission's state changed."))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("Choose one of the states offered."))
    return redirect(mission)


# ---------------------------------------------------------------- shortlist


@require_POST
@recruiter_required
def shortlist_add(request, pk):
    """Add a profile; R7 warnings send the recruiter to a confirmation page first."""
    mission = get_object_or_404(Mission.objects.select_related("client"), pk=pk)
    back = _safe_next(request, mission.get_absolute_url())
    form = ShortlistAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a profile to add."))
        return redirect(back)
    candidate = form.cleaned_data["candidate"]
    done = _("%(name)s added to the shortlist.")
    return _shortlist(request, mission, candidate, form.cleaned_data["confirm"], back, done)


@require_POST
@recruiter_required
def position_profile(request):
    """A profile's page positions it on an open mission chosen in a list; back to the page."""
    form = PositionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an open mission to position the profile on."))
        return redirect(_safe_next(request, "candidates:list"))
    candidate = form.cleaned_data["candidate"]
    back = _safe_next(request, candidate.get_absolute_url())
    done = _("%(name)s added to the shortlist of %(ref)s.")
    return _shortlist(request, form.cleaned_data["mission"], candidate, False, back, done)


def _shortlist(request, mission, candidate, confirm, back, done):
    try:
        services.shortlist_candidate(
            mission=mission, candidate=candidate, by=request.user, confirm_warnings=confirm
        )
    except ValidationError as exc:
        if exc.code == "confirmation_required":
            context = {
                "mission": mission,
                "candidate": candidate,
                "warnings": exc.messages,
                "next": back,
            }
            return render(request, "missions/shortlist_confirm.html", context)
        messages.error(request, _error_text(exc))
        return redirect(back)
    messages.success(request, done % {"name": candidate.full_name, "ref": mission.reference})
    return redirect(back)


@require_POST
@recruiter_required
def shortlist_send(request, pk):
    mission = get_object_or_404(Mission, pk=pk)
    try:
        sent = services.send_shortlist(mission=mission, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Shortlist sent: %(n)s profile. The client contacts are notified by email.",
                "Shortlist sent: %(n)s profiles. The client contacts are notified by email.",
                len(sent),
            )
            % {"n": len(sent)},
        )
    return redirect(mission)


@recruiter_required
def shortlist_preview(request, pk):
    """The email the client's contacts will receive if the shortlist is sent now, rendered
    from the template the send uses, with the send button (or why it is disabled)."""
    mission = get_object_or_404(Mission.objects.select_related("client"), pk=pk)
    proposed = list(
        mission.shortlist.filter(state=EntryState.PROPOSED)
        .select_related("candidate")
        .order_by("position", "created_at")
    )
    refusal = services.send_refusal(mission=mission, proposed=proposed)
    subject, body, recipients = notifications.shortlist_sent_email(mission, proposed)
    context = {
        "mission": mission,
        "proposed": proposed,
        "send_refusal": _error_text(refusal) if refusal else "",
        "subject": subject,
        "body": body,
        "recipients": recipients,
    }
    return render(request, "missions/shortlist_preview.html", context)


@require_POST
@recruiter_required
def follow_up_client(request, pk):
    """The dashboard's "Follow up": remind the client's contacts of the profiles waiting."""
    mission = get_object_or_404(Mission, pk=pk)
    try:
        services.follow_up_client(mission=mission, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Reminder sent to the contacts of %(client)s.") % {"client": mission.client.name},
        )
    return redirect(_safe_next(request, mission.get_absolute_url()))


@recruiter_required
def entry_edit(request, pk):
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related("mission__client", "candidate"), pk=pk
    )
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(
                entry=entry,
                by=request.user,
                report=form.cleaned_data["report"],
                client_rate=form.cleaned_data["client_rate"],
                **form.report_parts(),
            )
        except ValidationError as exc:
            if exc.code != "entry_closed":
                form.add_error(None, exc)
            else:
                # A stale page: the profile was selected or left the shortlist meanwhile.
                messages.error(request, _error_text(exc))
                return redirect(entry.mission)
        else:
            messages.success(request, _("Report saved."))
            return redirect(entry.mission)
    return render(request, "missions/entry_form.html", {"form": form, "entry": entry})


@require_POST
@recruiter_required
def entry_remove(request, pk):
    entry = get_object_or_404(ShortlistEntry.objects.select_related("mission", "candidate"), pk=pk)
    mission, name = entry.mission, entry.candidate.full_name
    try:
        services.remove_from_shortlist(entry=entry, by=request.user)
        messages.success(request, _("%(name)s removed from the shortlist.") % {"name": name})
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    # Matching removes a draft too, and comes back to its ranking.
    return redirect(_safe_next(request, mission.get_absolute_url()))


@require_POST
@recruiter_required
def entry_move(request, pk):
    entry = get_object_or_404(ShortlistEntry.objects.select_related("mission"), pk=pk)
    try:
        services.move_in_shortlist(
            entry=entry, by=request.user, up=request.POST.get("direction") == "up"
        )
    except ValidationError as exc:
        # A stale page (the entry left meanwhile): reload it whole, with the message on top.
        messages.error(request, _error_text(exc))
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect(entry.mission)
    if request.htmx:
        mission = Mission.objects.select_related("client", "owner").get(pk=entry.mission_id)
        return render(
            request,
            "missions/mission_detail.html#shortlist",
            _mission_detail_context(request, mission),
        )
    return redirect(entry.mission)


def _end_entry(request, pk, action, success, form_class=EntryEndForm):
    entry = get_object_or_404(ShortlistEntry.objects.select_related("mission", "candidate"), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a cause."))
        return redirect(entry.mission)
    try:
        action(entry=entry, by=request.user, **form.cleaned_data)
        messages.success(request, success % {"name": entry.candidate.full_name})
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(entry.mission)


@require_POST
@recruiter_required
def entry_withdraw(request, pk):
    """The candidate is lost (another mission, unavailable…): the slot frees."""
    return _end_entry(request, pk, services.withdraw_entry, _("%(name)s withdrawn."))


@require_POST
@recruiter_required
def entry_not_retained(request, pk):
    return _end_entry(
        request,
        pk,
        services.mark_not_retained,
        _("%(name)s marked not retained."),
        form_class=NotRetainedForm,
    )


@recruiter_required
def entry_select(request, pk):
    """Record the client's choice (when the client tells the recruiter directly)."""
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related("mission__client", "candidate"), pk=pk
    )
    form = SelectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.select_candidate(
                entry=entry,
                by=request.user,
                compliance_exception=form.cleaned_data["compliance_exception"],
            )
        except ValidationError as exc:
            if exc.code != "compliance_missing":
                messages.error(request, _error_text(exc))
                return redirect(entry.mission)
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is placed: the mission is filled.")
                % {"name": entry.candidate.full_name},
            )
            return redirect(entry.mission)
    context = {
        "entry": entry,
        "form": form,
        "others": entry.mission.shortlist.active().exclude(pk=entry.pk).select_related("candidate"),
        "missing_documents": compliance.missing_documents(
            entry.candidate, day=timezone.localdate()
        ),
    }
    return render(request, "missions/entry_select.html", context)


# ---------------------------------------------------------------- clients


@recruiter_required
def client_list(request):
    clients = Client.objects.select_related("owner").annotate(
        open_missions=Count(
            "missions",
            filter=Q(
                missions__state__in=[
                    MissionState.OPEN,
                    MissionState.SHORTLIST_SENT,
                    MissionState.INTERVIEWING,
                ]
            ),
            distinct=True,
        ),
        contact_count=Count("contacts", distinct=True),
    )
    q = _search_text(request)
    if q:
        clients = clients.filter(Q(name__icontains=q) | Q(sector__icontains=q))
    page = Paginator(clients.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "missions/client_list.html", {"page_obj": page, "q": q})


@recruiter_required
def client_detail(request, pk):
    client = get_object_or_404(Client.objects.select_related("owner"), pk=pk)
    missions = client.missions.select_related("owner").annotate(
        active_entries=Count("shortlist", filter=Q(shortlist__state__in=ENTRY_ACTIVE_STATES))
    )
    context = {
        "client": client,
        "missions": missions.order_by("-created_at")[:50],
        "contacts": client.contacts.select_related("user"),
        "invite_form": ContactInviteForm(),
        "cap": SHORTLIST_CAP,
    }
    return render(request, "missions/client_detail.html", context)


@recruiter_required
def client_create(request):
    form = ClientForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        client = form.save()
        messages.success(request, _("Client %(name)s created.") % {"name": client.name})
        return redirect(client)
    return render(request, "missions/client_form.html", {"form": form, "client": None})


@recruiter_required
def client_edit(request, pk):
    client = get_object_or_404(Client, pk=pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # Archiving has a rule (no unfinished mission): it goes through its service.
                if "is_active" in form.changed_data:
                    change = (
                        services.restore_client
                        if form.cleaned_data["is_active"]
                        else services.archive_client
                    )
                    change(client=client, by=request.user)
                # The other edited fields only: the active flag is the services' own.
                edited = [name for name in form.changed_data if name != "is_active"]
                if edited:
                    form.save(commit=False).save(update_fields=edited)
        except ValidationError as exc:
            form.add_error("is_active", exc)
        else:
            messages.success(request, _("Client saved."))
            return redirect(client)
    return render(request, "missions/client_form.html", {"form": form, "client": client})


@recruiter_required
def contact_invite(request, pk):
    client = get_object_or_404(Client, pk=pk)
    form = ContactInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = contacts.invite_contact(client=client, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("email" if exc.code == "email_taken" else None, exc)
        else:
            messages.success(
                request,
                _("%(name)s can now log in: an email with a link to choose a password was sent.")
                % {"name": contact},
            )
            return redirect(client)
    return render(request, "missions/contact_invite.html", {"form": form, "client": client})

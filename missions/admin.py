"""Django admin for clients, missions, shortlists and the timeline.

Admin writes that a rule governs go through the rule functions of `missions.services`: a
shortlist entry is added by `shortlist_candidate` (R1), a state moves by an admin action that
calls a service (R4), and the fields those functions own (state, slot, reference) are read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates import money
from missions import services
from missions.locking import lock_entry, lock_mission, lock_placement
from missions.models import (
    ENTRY_ACTIVE_STATES,
    REPORT_FIELDS,
    SHORTLIST_CAP,
    Client,
    ClientContact,
    ComplianceException,
    Event,
    FailureCause,
    Mission,
    MissionSkill,
    MissionState,
    Placement,
    ShortlistEntry,
)
from staffing import access
from staffing.admin_fields import RecruiterFieldsMixin


class _DryRun(Exception):
    """Rolls back the writes of a rule function that has said yes."""


def check_with_service(call, *, lock):
    """Run a rule function in a savepoint that is always rolled back, so that its
    `ValidationError` becomes a form error before anything is written.

    `lock` takes the row locks the rule counts on first, in the admin view's own transaction,
    so the real call in `save_model` meets the same answer.
    """
    if transaction.get_connection().in_atomic_block:
        # Locked outside the savepoint: a lock taken inside it would go with the rollback.
        lock()
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass


def adopt(obj, saved):
    """Make the admin's unsaved `obj` the row a service created, so the inlines, the log
    entry and the redirect that follow `save_model` point at it."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def run_on_each(modeladmin, request, queryset, service, success):
    """Apply a service to each selected row; a refusal is reported, the others go on."""
    done = 0
    for obj in queryset:
        try:
            service(obj)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success % {"count": done}, messages.SUCCESS)


def _give_contact_role(contact):
    contact.user.groups.add(Group.objects.get(name=access.CLIENT_CONTACT))


class ClientContactInline(admin.TabularInline):
    model = ClientContact
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Client)
class ClientAdmin(RecruiterFieldsMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "owner", "mission_count", "is_active", "created_at"]
    list_select_related = ["owner"]
    list_filter = ["is_active", "sector"]
    search_fields = ["name", "sector", "address"]
    autocomplete_fields = []
    recruiter_fields = ["owner"]
    inlines = [ClientContactInline]
    # Archiving has a rule (no unfinished mission): it goes through the actions.
    readonly_fields = ["is_active", "created_at"]
    actions = ["archive_clients", "restore_clients"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_missions=Count("missions"))

    @admin.display(description=_("missions"), ordering="_missions")
    def mission_count(self, client):
        return client._missions

    @admin.action(description=_("Archive the selected clients"), permissions=["change"])
    def archive_clients(self, request, queryset):
        def archive(client):
            services.archive_client(client=client, by=request.user)
            self.log_change(request, client, gettext("Archived"))

        run_on_each(self, request, queryset, archive, gettext("Clients archived: %(count)d."))

    @admin.action(
        description=_("Restore the selected clients from the archive"), permissions=["change"]
    )
    def restore_clients(self, request, queryset):
        def restore(client):
            services.restore_client(client=client, by=request.user)
            self.log_change(request, client, gettext("Restored"))

        run_on_each(self, request, queryset, restore, gettext("Clients restored: %(count)d."))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # A contact without the role would see nothing in the portal.
        if formset.model is ClientContact:
            for contact in formset.new_objects:
                _give_contact_role(contact)


@admin.register(ClientContact)
class ClientContactAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "client", "job_title", "phone"]
    list_select_related = ["user", "client"]
    list_filter = ["client"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "client__name"]
    autocomplete_fields = ["user", "client"]

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, contact):
        return contact.user.email

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _give_contact_role(obj)


class MissionSkillInline(admin.TabularInline):
    model = MissionSkill
    autocomplete_fields = ["skill"]
    extra = 0


class ShortlistInline(admin.TabularInline):
    """The shortlist as it stands; entries are added and moved by the rule functions."""

    model = ShortlistEntry
    fields = ["candidate", "state", "slot", "candidate_rate", "client_rate", "sent_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "mission")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _edited_fields(form):
    """The editable mission fields the admin form shows (the read-only ones are not in it)."""
    return {
        name: form.cleaned_data[name]
        for name in services.EDITABLE_MISSION_FIELDS
        if name in form.cleaned_data
    }


class MissionAdminForm(forms.ModelForm):
    """An edit goes through `update_mission` (R3, R6), whose refusal is a form error."""

    def clean(self):
        cleaned_data = super().clean()
        mission = self.instance
        if mission.pk is not None and not self.errors:
            check_with_service(
                lambda: services.update_mission(
                    mission=mission, by=None, fields=_edited_fields(self)
                ),
                lock=lambda: lock_placement(mission),
            )
        return cleaned_data


@admin.register(Mission)
class MissionAdmin(RecruiterFieldsMixin, admin.ModelAdmin):
    form = MissionAdminForm
    list_display = [
        "reference",
        "title",
        "client",
        "state",
        "shortlist_count",
        "seniority",
        "budget",
        "start_date",
        "owner",
        "created_at",
    ]
    list_display_links = ["reference", "title"]
    list_select_related = ["client", "owner"]
    list_filter = ["state", "seniority", "remote_policy", "technical_test", "client"]
    search_fields = ["reference", "title", "client__name", "location"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["client", "submitted_by"]
    recruiter_fields = ["owner"]
    readonly_fields = [
        "reference",
        "state",
        "state_reason",
        "opened_at",
        "created_at",
        "updated_at",
        "archived_at",
        "named_contacts",
    ]
    inlines = [MissionSkillInline, ShortlistInline]
    actions = [
        "open_missions",
        "put_on_hold",
        "cancel_missions",
        "mark_lost",
        "archive_missions",
        "restore_missions",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _active=Count("shortlist", filter=Q(shortlist__state__in=ENTRY_ACTIVE_STATES))
            )
        )

    @admin.display(description=_("shortlist"), ordering="_active")
    def shortlist_count(self, mission):
        return f"{mission._active} / {SHORTLIST_CAP}"

    @admin.display(description=_("client contacts"))
    def named_contacts(self, mission):
        """Who the mission is for, named on the desk's mission form (`update_mission`)."""
        if mission.pk is None:
            return "—"
        links = mission.contact_links.select_related("contact__user")
        return ", ".join(f"{x.contact} ({x.get_role_display()})" for x in links) or _(
            "Nobody named: every contact of the client"
        )

    def get_inlines(self, request, obj):
        # A mission being created has no shortlist yet.
        return [MissionSkillInline] if obj is None else self.inlines

    def get_readonly_fields(self, request, obj=None):
        # R3: once profiles were sent, the mission stays its client's.
        if obj is not None and services.shortlist_was_sent(obj):
            return [*self.readonly_fields, "client"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            # Only the edited fields are written: never the state read before the lock.
            # The skills inline is saved after this, in the admin view's same transaction.
            mission = services.update_mission(
                mission=obj, by=request.user, fields=_edited_fields(form)
            )
            return adopt(obj, mission)
        # create_mission gives the reference and writes the first step of the timeline.
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in ("client", "submitted_by")
        }
        mission = services.create_mission(
            by=request.user,
            client=form.cleaned_data["client"],
            submitted_by=form.cleaned_data.get("submitted_by"),
            **fields,
        )
        adopt(obj, mission)

    def _move(self, request, queryset, to, success):
        def move(mission):
            services.transition_mission(
                mission=mission, to=to, by=request.user, note=gettext("Changed in admin")
            )

        run_on_each(self, request, queryset, move, success)

    @admin.action(description=_("Open the selected missions"))
    def open_missions(self, request, queryset):
        self._move(request, queryset, MissionState.OPEN, gettext("Missions opened: %(count)d."))

    @admin.action(description=_("Put the selected missions on hold"))
    def put_on_hold(self, request, queryset):
        self._move(
            request, queryset, MissionState.ON_HOLD, gettext("Missions put on hold: %(count)d.")
        )

    @admin.action(description=_("Cancel the selected missions"))
    def cancel_missions(self, request, queryset):
        self._move(
            request, queryset, MissionState.CANCELLED, gettext("Missions cancelled: %(count)d.")
        )

    @admin.action(description=_("Mark the selected missions as lost"))
    def mark_lost(self, request, queryset):
        self._move(
            request, queryset, MissionState.LOST, gettext("Missions marked as lost: %(count)d.")
        )

    @admin.action(description=_("Archive the selected missions"), permissions=["change"])
    def archive_missions(self, request, queryset):
        run_on_each(
            self,
            request,
            queryset,
            lambda mission: services.archive_mission(mission=mission, by=request.user),
            gettext("Missions archived: %(count)d."),
        )

    @admin.action(
        description=_("Restore the selected missions from the archive"), permissions=["change"]
    )
    def restore_missions(self, request, queryset):
        run_on_each(
            self,
            request,
            queryset,
            lambda mission: services.restore_mission(mission=mission, by=request.user),
            gettext("Missions restored: %(count)d."),
        )


@admin.register(MissionSkill)
class MissionSkillAdmin(admin.ModelAdmin):
    list_display = ["skill", "mission", "required", "min_years"]
    list_select_related = ["skill", "mission"]
    list_filter = ["required", "skill__category"]
    search_fields = ["skill__name", "mission__reference", "mission__title"]
    autocomplete_fields = ["mission", "skill"]


class ShortlistEntryAddForm(forms.ModelForm):
    """Positions a profile through `shortlist_candidate`, whose refusals are form errors."""

    client_rate = forms.IntegerField(
        label=_("rate sold to the client (€/day)"),
        min_value=money.DAILY_RATE_MIN,
        max_value=money.DAILY_RATE_MAX,
        required=False,
        help_text=_("Leave empty to start from the suggested price."),
    )

    class Meta:
        model = ShortlistEntry
        fields = ["mission", "candidate", "report", "client_rate"]

    def clean(self):
        # Not calling ModelForm.clean(): the model's (mission, candidate) uniqueness is one
        # of the service's own checks, which says it in plainer words.
        mission = self.cleaned_data.get("mission")
        candidate = self.cleaned_data.get("candidate")
        if mission and candidate:
            check_with_service(
                lambda: services.shortlist_candidate(
                    mission=mission, candidate=candidate, by=None, confirm_warnings=True
                ),
                lock=lambda: lock_mission(mission),
            )
        return self.cleaned_data


class ShortlistEntryChangeForm(forms.ModelForm):
    """Edits the report and the price through `update_entry`, whose refusal (a selected or
    closed entry) is a form error."""

    class Meta:
        model = ShortlistEntry
        fields = [*REPORT_FIELDS, "client_rate"]

    def report_parts(self):
        return {name: self.cleaned_data.get(name, "") for name in REPORT_FIELDS[1:]}

    def clean(self):
        cleaned_data = super().clean()
        entry = self.instance
        if not self.errors:
            check_with_service(
                lambda: services.update_entry(
                    entry=entry,
                    by=None,
                    report=cleaned_data.get("report", ""),
                    client_rate=cleaned_data.get("client_rate"),
                    **self.report_parts(),
                ),
                lock=lambda: lock_entry(entry),
            )
        return cleaned_data


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(admin.ModelAdmin):
    list_display = [
        "candidate",
        "mission",
        "state",
        "slot",
        "candidate_rate",
        "client_rate",
        "margin",
        "sent_at",
        "created_at",
    ]
    list_select_related = ["candidate", "mission"]
    list_filter = ["state", "ended_by", "end_reason"]
    search_fields = [
        "candidate__first_name",
        "candidate__last_name",
        "mission__reference",
        "mission__title",
        "mission__client__name",
    ]
    date_hierarchy = "created_at"
    autocomplete_fields = ["mission", "candidate"]
    readonly_fields = [
        "mission",
        "candidate",
        "state",
        "slot",
        "position",
        "candidate_rate",
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
    # interviews/admin.py adds the interviews inline (missions does not import interviews).
    inlines = []
    actions = ["withdraw_entries", "mark_not_retained"]

    @admin.display(description=_("margin (€/day)"))
    def margin(self, entry):
        return entry.margin

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ShortlistEntryAddForm if obj is None else ShortlistEntryChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def has_delete_permission(self, request, obj=None):
        # An entry is history (R5): it is withdrawn or not retained, never deleted here.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            entry = services.update_entry(
                entry=obj,
                by=request.user,
                report=form.cleaned_data["report"],
                client_rate=form.cleaned_data["client_rate"],
                **form.report_parts(),
            )
            return adopt(obj, entry)
        entry = services.shortlist_candidate(
            mission=form.cleaned_data["mission"],
            candidate=form.cleaned_data["candidate"],
            by=request.user,
            confirm_warnings=True,
        )
        entry = services.update_entry(
            entry=entry,
            by=request.user,
            report=form.cleaned_data.get("report", ""),
            client_rate=form.cleaned_data.get("client_rate") or entry.client_rate,
        )
        adopt(obj, entry)

    @admin.action(description=_("Withdraw the selected profiles (candidate left)"))
    def withdraw_entries(self, request, queryset):
        def withdraw(entry):
            services.withdraw_entry(
                entry=entry,
                by=request.user,
                reason=FailureCause.CANDIDATE_WITHDREW,
                note=gettext("Changed in admin"),
            )

        run_on_each(self, request, queryset, withdraw, gettext("Profiles withdrawn: %(count)d."))

    @admin.action(description=_("Mark the selected profiles as not retained"))
    def mark_not_retained(self, request, queryset):
        def not_retained(entry):
            services.mark_not_retained(
                entry=entry, by=request.user, note=gettext("Changed in admin")
            )

        run_on_each(
            self, request, queryset, not_retained, gettext("Profiles not retained: %(count)d.")
        )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The timeline is written by the rule functions only: here it is read, never edited."""

    list_display = [
        "at",
        "subject",
        "mission",
        "candidate",
        "from_state",
        "to_state",
        "what",
        "author",
    ]
    list_select_related = ["mission", "candidate", "author"]
    list_filter = ["subject", "to_state"]
    search_fields = [
        "message",
        "note",
        "mission__reference",
        "candidate__first_name",
        "candidate__last_name",
    ]
    date_hierarchy = "at"

    @admin.display(description=_("what"))
    def what(self, event):
        return event.text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Placements come from selections and change through their page (extend, end early):
    here they are read."""

    list_display = ["candidate", "mission", "start", "end", "sold_rate", "bought_rate"]
    list_select_related = ["candidate", "mission"]
    list_filter = ["end"]
    search_fields = ["candidate__first_name", "candidate__last_name", "mission__reference"]
    date_hierarchy = "start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ComplianceException)
class ComplianceExceptionAdmin(admin.ModelAdmin):
    """The audit of selections made without every mandatory document (R9): read only."""

    list_display = ["at", "entry", "missing", "author"]
    list_select_related = ["entry__candidate", "entry__mission", "author"]
    search_fields = ["reason", "entry__mission__reference", "entry__candidate__last_name"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Forms of the recruiter desk: intake, shortlist actions, clients and their contacts."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from missions.models import (
    REPORT_FIELDS,
    Client,
    ClientContact,
    FailureCause,
    Mission,
    MissionContactRole,
    MissionSkill,
    MissionState,
    ShortlistEntry,
    TechnicalTest,
)
from missions.services import (
    EDITABLE_MISSION_FIELDS,
    WORKING_STATES,
    hand_transitions,
    shortlist_was_sent,
)
from staffing import access
from staffing.forms import (
    CONFIRM_PAST,
    ColourInput,
    ask_to_confirm_past,
    warn_if_past,
    within_supported_years,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def refuse_past_start_for_new_missions(form):
    """A demand from the portal cannot start before today (the client means "as soon as
    possible"); the desk's own form warns instead (`warn_if_past`)."""
    if form.instance.pk is not None:
        return
    field = form.fields["start_date"]
    field.validators.append(_not_before_today)
    field.widget.attrs["min"] = timezone.localdate().isoformat()


def _not_before_today(day):
    if day < timezone.localdate():
        raise ValidationError(
            _("A new mission cannot start in the past: choose today or a later date."),
            code="start_in_past",
        )


def _contact_label(contact):
    return f"{contact} · {contact.job_title}" if contact.job_title else str(contact)


def _contact_choices(contacts):
    return [(c.pk, _contact_label(c)) for c in contacts.order_by("user__last_name", "pk")]


def _contacts_by_client(contacts):
    """Choices grouped by client (an optgroup each), for a form whose client is not known."""
    groups = {}
    for contact in contacts.order_by("client__name", "user__last_name", "pk"):
        groups.setdefault(contact.client.name, []).append((contact.pk, _contact_label(contact)))
    return list(groups.items())


PAST_START = _(
    "This start date is in the past. Check it, or confirm below that the mission already began."
)


class MissionForm(forms.ModelForm):
    """The intake form (SPEC §2.1): as rough or as precise as the demand is known."""

    # Who the mission is for: they hear about it (`missions.audience`), nobody else does.
    requester = forms.ModelChoiceField(
        label=_("Asked by"),
        queryset=ClientContact.objects.none(),
        required=False,
        help_text=_("The client contact who asked for this mission."),
    )
    followers = forms.ModelMultipleChoiceField(
        label=_("Also following"),
        queryset=ClientContact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They receive the shortlist and the interview invitations too. Name nobody and "
            "every contact of the client receives them."
        ),
    )

    class Meta:
        model = Mission
        # What an edit may change, as `update_mission` defines it (who submitted a portal
        # demand is not the recruiter's to type).
        fields = [name for name in EDITABLE_MISSION_FIELDS if name != "submitted_by"]
        field_classes = {"owner": UserChoiceField}
        widgets = {
            "start_date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.client_id)
        )
        if self.instance.pk is not None and shortlist_was_sent(self.instance):
            # R3: the client has seen profiles of this mission; `update_mission` refuses
            # another client anyway, the disabled field says why before anyone tries.
            self.fields["client"].disabled = True
            self.fields["client"].help_text = _(
                "Profiles were sent to this client: the mission stays theirs."
            )
        self.fields["owner"].queryset = access.recruiters()
        self._offer_contacts()
        self.fields["budget"].widget.attrs.update(min=1, step=5)
        self.fields["start_date"].validators.append(within_supported_years)
        if self.instance.pk is None:
            # A new mission starting in the past is warned; an existing one keeps its start.
            ask_to_confirm_past(self)
        # Ten years, as in the portal's demand form; a longer one would overflow its end date.
        duration = self.fields["duration_months"]
        duration.validators += [MinValueValidator(1), MaxValueValidator(120)]
        duration.widget.attrs.update(min=1, max=120)

    def _offer_contacts(self):
        """Who may be named: any active contact, the client being chosen on the same form
        (`clean` keeps the two consistent). Shown: the contacts of the mission's client once
        it is known, else every active client's, grouped by client in compact lists."""
        contacts = ClientContact.objects.select_related("user", "client").filter(
            user__is_active=True
        )
        requester, followers = self.fields["requester"], self.fields["followers"]
        requester.queryset = followers.queryset = contacts
        client_id = str(self["client"].value() or "")
        if client_id.isdigit():
            shown = contacts.filter(client_id=client_id)
            requester.widget.choices = [("", "---------"), *_contact_choices(shown)]
            followers.widget.choices = _contact_choices(shown)
        else:
            grouped = _contacts_by_client(contacts.filter(client__is_active=True))
            requester.widget.choices = [("", "---------"), *grouped]
            followers.widget = forms.SelectMultiple(attrs={"size": 6}, choices=grouped)
        if self.instance.pk is not None and not self.is_bound:
            links = list(self.instance.contact_links.all())
            self.initial["requester"] = next(
                (x.contact_id for x in links if x.role == MissionContactRole.REQUESTER), None
            )
            self.initial["followers"] = [
                x.contact_id for x in links if x.role == MissionContactRole.FOLLOWER
            ]

    def clean(self):
        data = super().clean()
        if data.get("technical_test") == TechnicalTest.SPECIFIC and not data.get(
            "technical_test_details"
        ):
            self.add_error("technical_test_details", _("Say which test the client wants."))
        client = data.get("client")
        if client is not None:
            requester = data.get("requester")
            if requester is not None and requester.client_id != client.pk:
                self.add_error("requester", _("Choose a contact of %(c)s.") % {"c": client})
            if any(c.client_id != client.pk for c in data.get("followers") or []):
                self.add_error("followers", _("Choose contacts of %(c)s.") % {"c": client})
        if self.instance.pk is None:
            warn_if_past(self, "start_date", PAST_START)
        return data

    def mission_fields(self):
        """The cleaned fields `create_mission` and `update_mission` take as the mission's."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("requester", "followers", CONFIRM_PAST)
        }

    def contacts(self):
        """Who the mission is for, as `create_mission` and `update_mission` take it."""
        return {
            "requester": self.cleaned_data.get("requester"),
            "followers": list(self.cleaned_data.get("followers") or []),
        }


class MissionSkillForm(forms.ModelForm):
    class Meta:
        model = MissionSkill
        fields = ["skill", "required", "min_years"]
        widgets = {"min_years": forms.NumberInput(attrs={"min": 0, "max": 40, "step": 0.5})}


MissionSkillFormSet = forms.inlineformset_factory(
    Mission,
    MissionSkill,
    form=MissionSkillForm,
    extra=6,
    can_delete=True,
    max_num=20,
    # Never builds more rows than that, whatever a tampered TOTAL_FORMS says.
    absolute_max=20,
    validate_max=True,
)


class MissionTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New state"), choices=MissionState.choices)
    note = forms.CharField(
        label=_("Reason or note"), required=False, max_length=255, widget=forms.TextInput
    )

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        resuming = mission.state == MissionState.ON_HOLD
        self.fields["to"].choices = [
            (
                state.value,
                _("Resume: %(state)s") % {"state": state.label}
                if resuming and state in WORKING_STATES
                else state.label,
            )
            # Only the moves allowed by hand (R8): the others follow from actions.
            for state in hand_transitions(mission)
        ]


class ShortlistAddForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label=_("Profile"), queryset=Candidate.objects.active(), widget=forms.HiddenInput
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


POSITION_CHOICES_LIMIT = 200


def positionable_missions(candidate):
    """The open missions a profile can be positioned on from its page, newest first: not
    archived, and not already holding this profile."""
    return (
        Mission.objects.open()
        .filter(archived_at__isnull=True)
        .exclude(shortlist__candidate=candidate)
        .select_related("client")
        .order_by("-created_at")[:POSITION_CHOICES_LIMIT]
    )


class PositionForm(forms.Form):
    """A profile's page: position it on an open mission (`shortlist_candidate`)."""

    mission = forms.ModelChoiceField(
        label=_("Open mission"),
        queryset=Mission.objects.open().filter(archived_at__isnull=True),
        empty_label=_("Choose a mission…"),
    )
    candidate = forms.ModelChoiceField(
        queryset=Candidate.objects.active(), widget=forms.HiddenInput
    )

    def __init__(self, *args, candidate=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidate is not None:
            self.fields["mission"].choices = [("", self.fields["mission"].empty_label)] + [
                (m.pk, f"{m.reference} · {m.title} · {m.client.name}")
                for m in positionable_missions(candidate)
            ]
            self.initial["candidate"] = candidate.pk
            # One form per page: ids that cannot clash with another form's.
            self.auto_id = "id_position_%s"


class EntryForm(forms.ModelForm):
    """The recruiter's report (compte rendu) and the price sold to the client."""

    class Meta:
        model = ShortlistEntry
        fields = [*REPORT_FIELDS, "client_rate"]
        widgets = {
            "report": forms.Textarea(attrs={"rows": 4}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in REPORT_FIELDS[1:]},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_rate"].required = True
        self.fields["client_rate"].widget.attrs.update(min=1, step=5)
        # "Why this profile" is what a shortlist cannot be sent without; the other parts
        # are written when there is something to say.
        self.fields["report"].required = True
        self.fields["report"].max_length = 4000
        self.fields["report"].widget.attrs["maxlength"] = 4000

    def report_parts(self):
        """The parts of the report after "why this profile", for `update_entry`."""
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS[1:]}

    def clean_client_rate(self):
        rate = self.cleaned_data["client_rate"]
        if rate is not None and rate < self.instance.candidate_rate:
            raise ValidationError(
                _("The rate sold (%(sold)s €) is below the freelancer's rate (%(ask)s €)."),
                params={"sold": rate, "ask": self.instance.candidate_rate},
            )
        return rate


class EntryEndForm(forms.Form):
    """Why the candidate was lost: a cause chosen on purpose, never a preselected one (each
    cause feeds the failure statistics)."""

    reason = forms.ChoiceField(
        label=_("Cause"),
        choices=[("", _("Choose a cause…")), *FailureCause.choices],
        error_messages={"required": _("Choose a cause.")},
    )
    note = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotRetainedForm(EntryEndForm):
    """The client did not go on: the cause may be unknown, and then none is recorded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].choices = [("", _("No cause given")), *FailureCause.choices]


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "sector", "address", "owner", "brand_colour", "is_active", "notes"]
        field_classes = {"owner": UserChoiceField}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "brand_colour": ColourInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = access.recruiters()
        # The page sends back the "active" value it showed, so a stale page whose box was
        # left as it was never undoes an archive (or a restore) made meanwhile.
        self.fields["is_active"].show_hidden_initial = True


class ContactInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def clean_email(self):
        # Whether the email is free is `invite_contact`'s check, taken under its lock.
        return self.cleaned_data["email"].strip().lower()


class SelectForm(forms.Form):
    """Record the client's choice; with a reason, an exception to R9 when mandatory compliance
    documents are missing or expired."""

    compliance_exception = forms.CharField(
        label=_("Reason for a compliance exception"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when documents are missing: why the agency contracts anyway. Recorded with "
            "your name on the timeline."
        ),
    )


class PlacementExtendForm(forms.Form):
    end = forms.DateField(
        label=_("New last day"),
        widget=DATE_INPUT,
        validators=[within_supported_years],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("E.g. the purchase order of the renewal."),
    )


class PlacementEndForm(forms.Form):
    last_day = forms.DateField(
        label=_("Last day worked"), widget=DATE_INPUT, validators=[within_supported_years]
    )
    reason = forms.CharField(
        label=_("Why it ends early"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the placement ends early.")},
    )

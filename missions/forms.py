"""Forms of the recruiter desk: intake, shortlist actions, clients and their contacts."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from missions.models import (
    Client,
    FailureCause,
    Mission,
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
from staffing.forms import ColourInput, within_supported_years

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def refuse_past_start_for_new_missions(form):
    """A new mission cannot start before today (a typo, or a demand already late); an existing
    one keeps the start it has, past or not."""
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


class MissionForm(forms.ModelForm):
    """The intake form (SPEC §2.1): as rough or as precise as the demand is known."""

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
        self.fields["budget"].widget.attrs.update(min=1, step=5)
        self.fields["start_date"].validators.append(within_supported_years)
        refuse_past_start_for_new_missions(self)
        # Ten years, as in the portal's demand form; a longer one would overflow its end date.
        duration = self.fields["duration_months"]
        duration.validators += [MinValueValidator(1), MaxValueValidator(120)]
        duration.widget.attrs.update(min=1, max=120)

    def clean(self):
        data = super().clean()
        if data.get("technical_test") == TechnicalTest.SPECIFIC and not data.get(
            "technical_test_details"
        ):
            self.add_error("technical_test_details", _("Say which test the client wants."))
        return data


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


class EntryForm(forms.ModelForm):
    """The recruiter's report (compte rendu) and the price sold to the client."""

    class Meta:
        model = ShortlistEntry
        fields = ["report", "client_rate"]
        widgets = {"report": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_rate"].required = True
        self.fields["client_rate"].widget.attrs.update(min=1, step=5)
        self.fields["report"].required = True

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

"""Forms of the recruiter desk: intake, shortlist actions, clients and their contacts."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from missions.models import (
    Client,
    DeclineReason,
    Mission,
    MissionSkill,
    MissionState,
    ShortlistEntry,
    TechnicalTest,
)
from missions.services import WORKING_STATES, hand_transitions
from staffing import access
from staffing.forms import within_supported_years

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def recruiter_choices():
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name__in=[access.RECRUITER, access.ADMIN])


class MissionForm(forms.ModelForm):
    """The intake form (SPEC §2.1): as rough or as precise as the demand is known."""

    class Meta:
        model = Mission
        fields = [
            "client",
            "title",
            "description",
            "seniority",
            "budget",
            "start_date",
            "duration_months",
            "location",
            "remote_policy",
            "technical_test",
            "technical_test_details",
            "owner",
        ]
        field_classes = {"owner": UserChoiceField}
        widgets = {
            "start_date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(is_active=True)
        self.fields["owner"].queryset = recruiter_choices().distinct().order_by("first_name")
        self.fields["budget"].widget.attrs.update(min=1, step=5)
        self.fields["start_date"].validators.append(within_supported_years)
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
    """Why an entry ends: the candidate was lost, or the client did not go on."""

    reason = forms.ChoiceField(label=_("Cause"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "sector", "address", "owner", "brand_colour", "is_active", "notes"]
        field_classes = {"owner": UserChoiceField}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = recruiter_choices().distinct().order_by("first_name")


class ContactInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        if (
            User.objects.filter(username__iexact=email).exists()
            or User.objects.filter(email__iexact=email).exists()
        ):
            raise ValidationError(_("A user with this email already exists."))
        return email

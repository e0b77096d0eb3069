"""Forms of the client portal: answers on a profile, interview feedback, a new demand."""

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from candidates.models import Skill
from missions.forms import refuse_past_start_for_new_missions
from missions.models import FailureCause, Mission
from staffing.forms import ModelMultipleIdsField, within_supported_years

# A client declines for its own reasons; "the candidate withdrew" is the agency's to record.
CLIENT_DECLINE_REASONS = [
    (value, label)
    for value, label in FailureCause.choices
    if value != FailureCause.CANDIDATE_WITHDREW
]

TEXT_LIMIT = 2000


class InterviewRequestForm(forms.Form):
    slots = forms.CharField(
        label=_("Your preferred slots"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: Tuesday or Thursday afternoon, by video. Leave empty and your "
            "recruiter will suggest slots."
        ),
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline this profile?"),
        choices=CLIENT_DECLINE_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    note = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SelectForm(forms.Form):
    note = forms.CharField(
        label=_("A word for your recruiter (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Start date, contract details: it is recorded with your choice."),
    )


class ClientFeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Your feedback on this interview"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What convinced you, what worried you, what you would like to check next. "
            "Only the agency reads it."
        ),
        error_messages={"required": _("Write a few words before sending.")},
    )


class DemandForm(forms.ModelForm):
    """A new demand from the portal; it reaches the agency as a draft to qualify."""

    skills = ModelMultipleIdsField(
        label=_("Skills"),
        queryset=Skill.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the technologies you need."),
    )
    other_skills = forms.CharField(
        label=_("Other technologies"),
        required=False,
        max_length=300,
        help_text=_("Not in the list? Write them separated by commas."),
    )

    class Meta:
        model = Mission
        fields = [
            "title",
            "description",
            "seniority",
            "budget",
            "start_date",
            "duration_months",
            "location",
            "remote_policy",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "budget": forms.NumberInput(attrs={"min": 1, "step": 10}),
            "duration_months": forms.NumberInput(attrs={"min": 1, "max": 120}),
        }
        help_texts = {
            "title": _("The role in a few words, e.g. “Senior Django developer”."),
            "description": _("The context, the team, what the freelancer will deliver."),
            "budget": _("Your maximum day rate per freelancer, excluding VAT."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        duration = self.fields["duration_months"]
        duration.max_value = 120
        # A bound set after the field is built is checked only as a validator.
        duration.validators.append(MaxValueValidator(120))
        self.fields["start_date"].validators.append(within_supported_years)
        refuse_past_start_for_new_missions(self)

    def clean_other_skills(self):
        text = self.cleaned_data["other_skills"]
        return [name.strip() for name in text.split(",") if name.strip()]

    def mission_fields(self):
        """Keyword arguments for `create_mission`: the fields and the skills asked for.

        Free-text technologies that name a known skill join the skill list; the others are
        kept in the description for the recruiter (clients do not add to the skill catalogue).
        """
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        skills = list(self.cleaned_data["skills"])
        names = self.cleaned_data["other_skills"]
        known = {
            s.name.lower(): s
            for s in Skill.objects.annotate(lname=Lower("name")).filter(
                lname__in=[n.lower() for n in names]
            )
        }
        unknown = []
        for name in names:
            skill = known.get(name.lower())
            if skill and skill not in skills:
                skills.append(skill)
            elif not skill:
                unknown.append(name)
        if unknown:
            extra = _("Other technologies: %(names)s") % {"names": ", ".join(unknown)}
            data["description"] = "\n\n".join(filter(None, [data["description"], extra]))
        data["skills"] = [(skill, True, 0) for skill in skills]
        return data

"""Forms of the recruiter's interview pages: scheduling, filtering, feedback."""

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from interviews.models import Interview, InterviewKind, InterviewState, Verdict
from missions.models import FailureCause, TechnicalTest
from staffing import access
from staffing.forms import ask_to_confirm_past, warn_if_past, within_supported_years
from staffing.limits import LONG_TEXT, NOTE_TEXT

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]
# Below this rating the notes must say what was observed (design: feedback form).
LOW_RATING = 2


class RecruiterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ScheduleForm(forms.ModelForm):
    """Schedule or move an interview; the number (n of 3) is the service's to give."""

    recruiter = RecruiterChoiceField(
        label=_("Attending recruiter"), queryset=access.recruiters(), required=False
    )

    class Meta:
        model = Interview
        fields = [
            "kind",
            "scheduled_at",
            "duration_minutes",
            "place",
            "video_link",
            "client_interviewers",
            "recruiter",
        ]
        widgets = {
            "scheduled_at": DATETIME_INPUT,
            "duration_minutes": forms.NumberInput(attrs={"min": 15, "max": 480, "step": 15}),
        }
        help_texts = {
            "place": _("Address or meeting room; leave empty for a video call."),
            "video_link": _("Teams, Meet, Zoom… sent with the invitation."),
            "client_interviewers": _("Names and roles of the people who interview for the client."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruiter"].queryset = access.recruiters()
        self.fields["scheduled_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["scheduled_at"].validators.append(within_supported_years)
        ask_to_confirm_past(self)
        duration = self.fields["duration_minutes"]
        duration.min_value, duration.max_value = 15, 480
        # Bounds set after the field is built are checked only as validators.
        duration.validators += [MinValueValidator(15), MaxValueValidator(480)]

    def clean(self):
        data = super().clean()
        warn_if_past(
            self,
            "scheduled_at",
            _(
                "This date and time are in the past. Check them, or confirm below that you "
                "record an interview that already took place."
            ),
        )
        return data

    def service_fields(self):
        """Keyword arguments for `schedule_interview` / `reschedule_interview`."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class InterviewFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), ("feedback_due", _("Feedback to enter"))]
        + list(InterviewState.choices),
    )
    mine = forms.BooleanField(label=_("Only the interviews I attend"), required=False)


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackForm(forms.Form):
    """The attending recruiter's feedback: hard skills first (each skill of the demand, then
    the overall level, then the test's result), soft skills, the verdict and the failure
    causes (SPEC §2.5).

    Saved for good, it must be complete; saved as a draft (`draft=True`), any part may be
    left empty, and only what is typed is checked (a rating is 1 to 5, a link is a link).
    """

    hard_skills_rating = forms.TypedChoiceField(
        label=_("Hard skills"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Rate the hard skills from 1 to 5.")},
    )
    hard_skills_notes = forms.CharField(
        label=_("Notes on the hard skills"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was observed, with an example."),
    )
    test_passed = forms.TypedChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("Not known yet")), ("true", _("Passed")), ("false", _("Failed"))],
        coerce=lambda value: value == "true",
        empty_value=None,
    )
    test_score = forms.IntegerField(
        label=_("Score (%)"), required=False, min_value=0, max_value=100
    )
    test_link = forms.URLField(
        label=_("Link to the test report"), required=False, assume_scheme="https"
    )
    soft_skills_rating = forms.TypedChoiceField(
        label=_("Soft skills"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Rate the soft skills from 1 to 5.")},
    )
    soft_skills_notes = forms.CharField(
        label=_("Notes on the soft skills"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Communication, autonomy, team work: how they talk about their work."),
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        # The order of the scale, the undecided one in the middle.
        choices=[(v, Verdict(v).label) for v in (Verdict.GO, Verdict.UNDECIDED, Verdict.NO_GO)],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a verdict.")},
    )
    summary = forms.CharField(
        label=_("Summary shared with the client"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The client reads it in the portal."),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Never visible to the client."),
    )
    causes = forms.MultipleChoiceField(
        label=_("Failure causes"),
        required=False,
        choices=FailureCause.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    failure_notes = forms.CharField(
        label=_("Notes on the causes"),
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    VERDICT_HELP = {
        Verdict.GO: _("Go on: next interview or selection"),
        Verdict.UNDECIDED: _("A point to clear before deciding"),
        Verdict.NO_GO: _("Stop the process for this profile"),
    }
    TEST_FIELDS = ("test_passed", "test_score", "test_link")
    COLUMN_FIELDS = (
        "hard_skills_rating",
        "hard_skills_notes",
        "soft_skills_rating",
        "soft_skills_notes",
        "verdict",
        "summary",
        "internal_notes",
        "failure_notes",
        "test_passed",
        "test_score",
        "test_link",
    )

    def __init__(self, *args, interview, skills=(), draft=False, **kwargs):
        self.interview = interview
        self.skills = list(skills)  # the mission's skills (MissionSkill), required first
        self.draft = draft
        super().__init__(*args, **kwargs)
        if not self.is_test:
            for name in self.TEST_FIELDS:
                del self.fields[name]
        for asked in self.skills:
            self.fields.update(self._skill_fields(asked))
        # Hard skills first, skill by skill, then the rest in the order declared above.
        skill_names = [n for n in self.fields if n.startswith("skill_")]
        self.order_fields(skill_names)
        if draft:
            for field in self.fields.values():
                field.required = False

    @staticmethod
    def _skill_fields(asked):
        name = asked.skill.name
        rating = forms.TypedChoiceField(
            label=name,
            choices=RATING_CHOICES,
            coerce=int,
            empty_value=None,
            required=asked.required,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Rate %(skill)s from 1 to 5: the demand requires it.")
                % {"skill": name}
            },
        )
        notes = forms.CharField(
            label=_("Notes on %(skill)s") % {"skill": name},
            required=False,
            widget=forms.Textarea(
                attrs={"rows": 2, "placeholder": _("What was observed, with an example")}
            ),
        )
        return {f"skill_{asked.skill_id}": rating, f"skill_{asked.skill_id}_notes": notes}

    @property
    def is_test(self):
        """A technical test or coding game has a result; so has a technical interview for a
        mission that asks for a test (the test is often taken during that interview)."""
        if self.interview.kind == InterviewKind.TEST:
            return True
        mission = self.interview.entry.mission
        return (
            self.interview.kind == InterviewKind.TECHNICAL
            and mission.technical_test != TechnicalTest.NONE
        )

    def skill_rows(self):
        """(mission skill, rating field, notes field) for the template, in the demand's order."""
        return [
            (asked, self[f"skill_{asked.skill_id}"], self[f"skill_{asked.skill_id}_notes"])
            for asked in self.skills
        ]

    @classmethod
    def initial_from(cls, interview):
        """The form's starting values: the draft if one was saved, else the feedback recorded."""
        if interview.feedback_draft is not None:
            return cls._initial_from_draft(interview.feedback_draft)
        initial = {name: getattr(interview, name) for name in cls.COLUMN_FIELDS}
        initial["test_passed"] = _choice_of(interview.test_passed)
        initial["causes"] = [c.cause for c in interview.causes.all()]
        for row in interview.skill_ratings.all():
            initial[f"skill_{row.skill_id}"] = row.rating
            initial[f"skill_{row.skill_id}_notes"] = row.notes
        return initial

    @classmethod
    def _initial_from_draft(cls, draft):
        initial = {name: draft.get(name) for name in cls.COLUMN_FIELDS}
        initial["test_passed"] = _choice_of(draft.get("test_passed"))
        initial["causes"] = draft.get("causes", [])
        for skill_id, values in draft.get("skills", {}).items():
            initial[f"skill_{skill_id}"] = values.get("rating")
            initial[f"skill_{skill_id}_notes"] = values.get("notes", "")
        return initial

    def verdict_options(self):
        """The verdict radios with their badge tone and help, for the template."""
        return [(radio, self.VERDICT_HELP[radio.data["value"]]) for radio in self["verdict"]]

    def clean(self):
        data = super().clean()
        if self.draft:
            return data  # a draft is finished later: only what is typed is checked
        if data.get("verdict") == Verdict.NO_GO and not data.get("causes"):
            self.add_error("causes", _("A no go needs at least one failure cause."))
        # "Undecided" hides a doubt: name it (a cause) or say what to clear (a note).
        undecided = data.get("verdict") == Verdict.UNDECIDED
        if undecided and not data.get("causes") and not data.get("failure_notes", "").strip():
            self.add_error(
                "causes",
                _("An undecided verdict needs a failure cause or a note saying what to clear."),
            )
        ratings = [(f"{kind}_rating", f"{kind}_notes") for kind in ("hard_skills", "soft_skills")]
        ratings += [(f"skill_{a.skill_id}", f"skill_{a.skill_id}_notes") for a in self.skills]
        for rating_name, notes_name in ratings:
            rating = data.get(rating_name)
            if rating is not None and rating <= LOW_RATING and not data.get(notes_name):
                self.add_error(
                    notes_name,
                    _(
                        "Justify a rating of %(low)s or less: the client and the next missions "
                        "rely on it."
                    )
                    % {"low": LOW_RATING},
                )
        return data

    def service_fields(self):
        """Keyword arguments for `record_feedback` and `save_feedback_draft`."""
        data = dict(self.cleaned_data)
        data["causes"] = list(data.get("causes") or [])
        data["verdict"] = data.get("verdict") or ""
        data["skill_ratings"] = {
            asked.skill_id: (
                data.pop(f"skill_{asked.skill_id}"),
                data.pop(f"skill_{asked.skill_id}_notes"),
            )
            for asked in self.skills
        }
        return data

    def error_anchors(self):
        """(element id, label, message) of each field in error, for the summary at the top."""
        anchors = []
        for name in self.fields:  # in the order of the form, not of the checks
            errors = self.errors.get(name)
            if not errors:
                continue
            field = self[name]
            # A radio or checkbox group has no element of its own id: point at its first box.
            anchor = f"{field.auto_id}_0" if field.field.widget.use_fieldset else field.auto_id
            anchors.append((anchor, self._in_a_sentence(name, field.label), errors[0]))
        return anchors

    @staticmethod
    def _in_a_sentence(name, label):
        """The label inside the summary's sentence: “notes on Grafana”, “verdict”; a skill's
        name keeps its capitals (“Terraform”)."""
        label = str(label)
        return label if re.fullmatch(r"skill_\d+", name) else label[:1].lower() + label[1:]


def _choice_of(passed):
    """The test result's choice for a stored True / False / None."""
    return "" if passed is None else ("true" if passed else "false")

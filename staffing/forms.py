"""Form rendering shared by every page (our field template with label, help and errors), and
form fields that hostile input must not break."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staffing import widget_html


class DeskFormRenderer(TemplatesSetting):
    """Renders `{{ field.as_field_group }}` with templates/includes/field.html, and Django's own
    widgets with the same HTML written in Python (staffing/widget_html.py: several times faster
    than their templates)."""

    field_template_name = "includes/field.html"

    def render(self, template_name, context, request=None):
        html = widget_html.render(template_name, context)
        if html is None:
            return super().render(template_name, context, request=request)
        return html


# The largest primary key a 64-bit integer column holds.
MAX_ID = 2**63 - 1


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects that refuses ids no integer column holds, as an invalid
    choice: SQLite raises OverflowError on them in the `IN (…)` lookup instead of finding
    nothing (Django guards only single-value lookups)."""

    def _check_values(self, value):
        for pk in value:
            try:
                too_large = abs(int(str(pk))) > MAX_ID
            except ValueError:
                continue  # not a number: the parent class refuses it
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


# The dates the app plans with. A date field accepts years 1 to 9999, where adding a duration
# (a mission's end, an interview's end, a period's last midnight) overflows into a server error.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)


def within_supported_years(value):
    """Validator for date and datetime fields: between EARLIEST_DATE and LATEST_DATE."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )


# ------------------------------------------------------------------ past dates

CONFIRM_PAST = "confirm_past"


def ask_to_confirm_past(form):
    """Give `form` the box that confirms a date in the past (see `warn_if_past`)."""
    form.fields[CONFIRM_PAST] = forms.BooleanField(
        label=_("Yes, this date is in the past on purpose"), required=False
    )
    form.past_warning = False


def warn_if_past(form, name, message):
    """A date in the past is most often a typo, sometimes a record made after the fact: the
    first post shows `message` on the field with a box to confirm it; a confirmed post goes
    through. Call from `clean()` after `ask_to_confirm_past(form)`."""
    value = form.cleaned_data.get(name)
    if value is None or form.cleaned_data.get(CONFIRM_PAST):
        return
    past = value < timezone.now() if isinstance(value, datetime) else value < timezone.localdate()
    if past:
        form.past_warning = True
        form.add_error(name, ValidationError(message, code="date_in_past"))


class ColourInput(forms.TextInput):
    """The browser's colour picker. HTML allows neither `maxlength` nor `required` on a colour
    input (it always holds a colour), so the field's length and requirement stay server-side."""

    input_type = "color"

    def use_required_attribute(self, initial):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context

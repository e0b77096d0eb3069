"""The filters of the insights pages: a period (default: the last twelve months), and for the
agency a recruiter, a client and the rates to compare."""

from datetime import date, timedelta
from html import escape  # the same five entities as Django's, without its lazy-text wrapper

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from missions.models import Client
from staffing import access, widget_html
from staffing.forms import within_supported_years

MAX_PERIOD = timedelta(days=5 * 366)
PRICE_BASES = (("sent", _("Profiles sent")), ("placed", _("Placements only")))


def default_period(today):
    """The last twelve months, whole months: from the 1st of the month eleven months ago."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), today


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


# "from" is a Python keyword, yet it is the natural name in the URL (?from=…&to=…): the
# fields are declared through a dict so their names can be the URL's.
_PeriodFields = type(
    "_PeriodFields",
    (forms.Form,),
    {"from": _date_field(_("From")), "to": _date_field(_("To")), "__module__": __name__},
)


class PeriodForm(_PeriodFields):
    """A period of at most five years; an empty date takes its default."""

    def __init__(self, data, *, today):
        self.today = today
        self.defaults = default_period(today)
        data = data.copy()
        for name, value in zip(("from", "to"), self.defaults, strict=True):
            if not data.get(name):
                data[name] = value.isoformat()
        super().__init__(data)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        for day in (start, end):
            if day:  # the extreme years a date field takes overflow in the period's datetimes
                within_supported_years(day)
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."), code="order")
        if start and end and end - start > MAX_PERIOD:
            raise forms.ValidationError(
                _("Choose a period of five years at most."), code="too_long"
            )
        return cleaned

    def period(self):
        """The valid period, or the default one when the filters are invalid."""
        if self.is_valid():
            return self.cleaned_data["from"], self.cleaned_data["to"]
        return self.defaults


class RecruiterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class LongSelect(forms.Select):
    """The markup of Django's Select, written in Python: the list of every client (tens of
    thousands of options on a large agency) otherwise costs a template render, a model
    instance and a dict per option — most of the page's time. A model choice reads only the
    primary key and `label_field` (which must be what the field shows). No option groups."""

    def __init__(self, attrs=None, choices=(), *, label_field):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def _pairs(self):
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            if choices.field.empty_label is not None:
                yield "", choices.field.empty_label
            yield from choices.queryset.values_list("pk", self.label_field)
        else:
            yield from choices

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        attributes = widget_html.attrs(self.build_attrs(self.attrs, attrs))
        parts = [f'<select name="{escape(name)}"{attributes}>']
        for option, label in self._pairs():
            option = str(option)
            chosen = option in selected
            if chosen:
                selected = set()  # the first match only, as Django's Select
            parts.append(
                f'\n  <option value="{escape(option)}"{" selected" if chosen else ""}>'
                f"{escape(label)}</option>\n"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


class InsightsFilterForm(PeriodForm):
    recruiter = RecruiterChoiceField(
        label=_("Recruiter"), queryset=None, required=False, empty_label=_("All recruiters")
    )
    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.all(),
        widget=LongSelect(label_field="name"),  # what Client.__str__ shows
        required=False,
        empty_label=_("All clients"),
    )
    basis = forms.ChoiceField(label=_("Rates of"), choices=PRICE_BASES, required=False)

    def __init__(self, data, *, today):
        super().__init__(data, today=today)
        self.fields["recruiter"].queryset = access.recruiters()

    def filters(self):
        """(recruiter, client, basis) when valid; no filter otherwise."""
        if self.is_valid():
            data = self.cleaned_data
            return data["recruiter"], data["client"], data["basis"] or "sent"
        return None, None, "sent"

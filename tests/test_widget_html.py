"""The form widgets written in Python give exactly the HTML of Django's widget templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from staffing.forms import DeskFormRenderer

CHOICES = [("", "---"), ("a", "Alpha & <b>"), (1, 2), ("c", mark_safe("<i>Gamma</i>"))]
GROUPED = [("Group <1>", [("x", "Ex"), ("y", "Why")]), ("z", "Zed")]

WIDGETS = [
    (forms.TextInput(attrs={"class": "a b", "maxlength": 20, "required": True}), "x<\">'&"),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"placeholder": mark_safe("<safe>")}), mark_safe("<b>")),
    (forms.NumberInput(attrs={"step": "0.01", "min": 0}), Decimal("12.50")),
    (forms.NumberInput(), 0),
    (forms.EmailInput(attrs={"autocomplete": "email"}), "a@b.example"),
    (forms.URLInput(), "https://example.com/?a=1&b=2"),
    (forms.HiddenInput(), 42),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.DateInput(attrs={"type": "date"}), datetime.date(2027, 1, 4)),
    (forms.DateTimeInput(), datetime.datetime(2027, 1, 4, 9, 30)),
    (forms.TimeInput(), datetime.time(9, 30)),
    (forms.CheckboxInput(attrs={"disabled": True, "data-x": False}), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 3}), "line 1\nline <2> & 3"),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.Select(choices=CHOICES, attrs={"class": "s"}), "a"),
    (forms.Select(choices=CHOICES), 1),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=GROUPED), "y"),
    (forms.SelectMultiple(choices=CHOICES), ["a", "c"]),
    (forms.NullBooleanSelect(), True),
    (forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"class": "checks"}), ["a", 1]),
    (forms.CheckboxSelectMultiple(choices=GROUPED), ["x"]),
    (forms.CheckboxSelectMultiple(choices=[]), []),
    (forms.RadioSelect(choices=CHOICES, attrs={"id": "id_pick"}), "c"),
    (forms.RadioSelect(choices=CHOICES), None),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda item: type(item).__name__)
@pytest.mark.parametrize("with_id", [True, False])
def test_a_widget_renders_exactly_as_djangos_template(widget, value, with_id):
    attrs = {"id": "id_field"} if with_id else None
    fast = widget.render("field", value, attrs=attrs, renderer=DeskFormRenderer())
    reference = widget.render("field", value, attrs=attrs, renderer=TemplatesSetting())
    assert fast == reference


def test_a_widget_with_its_own_option_template_falls_back_to_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A")])
    fast = widget.render("field", "a", renderer=DeskFormRenderer())
    assert fast == widget.render("field", "a", renderer=TemplatesSetting())
    assert "<option" not in fast

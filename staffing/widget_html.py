"""Django's form widgets written out in Python: the same HTML as Django's widget templates.

A form field rendered through the template engine costs about 0.1 ms per `<option>` and twice
that per input: the mission page's forms and a select of 200 missions spent more time in widget
templates than anything else. These functions produce the markup of Django's own templates
(django/forms/widgets/*.html), character for character — a test renders every widget both ways —
and the form renderer falls back to the templates for anything else.
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATES = {WIDGETS + "select_option.html"}
INPUT_OPTION_TEMPLATES = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"}


def _value(value):
    """`{{ value|stringformat:'s' }}`: the value as a string, escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _shown(value):
    """`{{ value }}`: localised like the template engine does, then escaped."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


def attrs(attributes):
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attributes.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_value(value)}"')
    return "".join(parts)


def input_html(widget):
    """django/forms/widgets/input.html (text, number, date, hidden, checkbox...)"""
    value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{attrs(widget["attrs"])}>'
    )


def select_html(widget):
    """django/forms/widgets/select.html with its select_option.html (whose final line break
    the include keeps)"""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_value(option["value"])}"{attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def textarea_html(widget):
    """django/forms/widgets/textarea.html"""
    value = _shown(widget["value"]) if widget["value"] else ""
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{attrs(widget["attrs"])}>\n{value}</textarea>'


def multiple_input_html(widget):
    """django/forms/widgets/multiple_input.html with input_option.html (checkboxes, radios)"""
    widget_id, css_class = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = ["<div"]
    if widget_id:
        parts.append(f' id="{_shown(widget_id)}"')
    if css_class:
        parts.append(f' class="{_shown(css_class)}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_shown(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _input_option(option):
    """checkbox_option.html / radio_option.html, which include input_option.html, which
    includes input.html: each included file adds its final line break."""
    html = input_html(option) + "\n"
    if option["wrap_label"]:
        option_id = option["attrs"].get("id")
        label_for = f' for="{_shown(option_id)}"' if option_id else ""
        html = f"<label{label_for}>{html} {_shown(option['label'])}</label>"
    return html + "\n\n"


def _select_if_plain(widget):
    """Only selects whose options use Django's own option template."""
    for _group, options, _index in widget["optgroups"]:
        for option in options:
            if option["template_name"] not in OPTION_TEMPLATES:
                return None
    return select_html(widget)


def _multiple_if_plain(widget):
    for _group, options, _index in widget["optgroups"]:
        for option in options:
            if option["template_name"] not in INPUT_OPTION_TEMPLATES:
                return None
    return multiple_input_html(widget)


INPUT_TEMPLATES = (
    "checkbox color date datetime email hidden input number password search tel text time url"
).split()
RENDERERS = {WIDGETS + f"{name}.html": input_html for name in INPUT_TEMPLATES}
RENDERERS |= {
    WIDGETS + "select.html": _select_if_plain,
    WIDGETS + "textarea.html": textarea_html,
    WIDGETS + "checkbox_select.html": _multiple_if_plain,
    WIDGETS + "radio.html": _multiple_if_plain,
}


def render(template_name, context):
    """The widget's HTML, or None when it is not one of Django's plain widgets."""
    renderer = RENDERERS.get(template_name)
    widget = context.get("widget")
    if renderer is None or widget is None:
        return None
    return renderer(widget)

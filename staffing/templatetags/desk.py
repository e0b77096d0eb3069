"""Presentation helpers shared by every page: state badges, money, pips, query strings."""

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from staffing import dates

register = template.Library()

# Badge tone of each state (design/README.md): the colour only backs up the text.
BADGE_TONES = {
    # missions
    "draft": "",
    "open": "blue",
    "shortlist_sent": "violet",
    "interviewing": "amber",
    "filled": "green",
    "cancelled": "red",
    "lost": "red",
    "on_hold": "outline",
    # shortlist entries
    "proposed": "",
    "sent": "violet",
    "interview_requested": "teal",
    "selected": "green",
    "declined": "red",
    "withdrawn": "outline",
    "not_retained": "outline",
    # interviews and verdicts
    "scheduled": "blue",
    "done": "green",
    "no_show": "red",
    "go": "green",
    "no_go": "red",
    "undecided": "amber",
}


@register.simple_tag
def badge(value, label):
    """A state badge: `{% badge mission.state mission.get_state_display %}`."""
    tone = BADGE_TONES.get(value, "")
    css = f"badge badge--{tone}" if tone else "badge"
    return format_html('<span class="{}">{}</span>', css, label)


@register.filter
def money(value):
    """A day rate in the user's language: `1 250 €/j` in French, `€1,250/day` in English."""
    if value is None or value == "":
        return "—"
    amount = number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    # The msgid keeps a plain space (gettext tools cannot match an escaped one); the space
    # before the unit is made non-breaking here, in every language.
    return (_("%(amount)s €/d") % {"amount": amount}).replace(" €", "\u00a0€")


@register.filter
def euros(value):
    if value is None or value == "":
        return "—"
    amount = number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{amount}\u00a0€"


@register.filter
def grouped(value):
    """A count with the language's thousands separator: `1 248` in French, `1,248` in English."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def percent(value):
    if value is None or value == "":
        return "—"
    return f"{number_format(value, decimal_pos=1, use_l10n=True)}\u00a0%"


@register.simple_tag
def pips(n, total):
    """n of total filled pips, hidden from screen readers (the text says it)."""
    cells = "".join('<i class="on"></i>' if i < n else "<i></i>" for i in range(total))
    return format_html('<span class="pips" aria-hidden="true">{}</span>', _safe(cells))


def blocktranslated(message, **values):
    """What `{% blocktranslate with … %}` gives, for markup written in Python: the translated
    words as they are, the values escaped."""
    return mark_safe(message % {name: conditional_escape(v) for name, v in values.items()})  # noqa: S308


def _safe(html):
    return mark_safe(html)  # noqa: S308 - built above from constant markup only


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def initials(user_or_name):
    name = getattr(user_or_name, "get_full_name", lambda: str(user_or_name))() or str(user_or_name)
    parts = [p for p in name.replace("-", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper()


# Dates as the mockups write them, in the reader's language (staffing/dates.py); nothing
# for no date.


@register.filter
def short_date(value, parts=""):
    """`{{ d|short_date }}` "24 nov."; `:"weekday year time"` (any of the three) adds them."""
    if not value:
        return ""
    words = parts.split()
    return dates.short_date(
        value, weekday="weekday" in words, year="year" in words, time="time" in words
    )


@register.filter
def month_year(value):
    return dates.month_year(value) if value else ""


@register.filter
def weekday(value):
    return dates.weekday_name(value) if value else ""


@register.filter(name="month")
def month_abbreviation(value):
    return dates.month_name(value) if value else ""

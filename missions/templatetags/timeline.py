"""The timeline's entries written out in Python.

A timeline shows up to fifty steps on the mission, placement and profile pages; rendered by the
template engine each step cost about half a millisecond (a dozen lookups and filters), the
largest part of those pages after their queries. These tags write the same markup directly.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from missions.models import Event
from staffing import dates

register = template.Library()


def _time(event, *, year):
    at = timezone.localtime(event.at)
    # strftime, not Django's date formats: numbers only, a tenth of the cost.
    return (
        f'<time datetime="{at:%Y-%m-%dT%H:%M:%S%z}">'
        f"{conditional_escape(dates.short_date(at, year=year))} · {at:%H:%M}</time>"
    )


def _author_name(author):
    return author.get_full_name() or author.get_username()


def _note(event, length):
    if not event.note:
        return ""
    return format_html('<span class="sub">{}</span>', Truncator(event.note_text).chars(length))


def mission_step(event):
    """One step as the mission and placement pages show it: who, what, the change of state."""
    author = event.author
    parts = [
        '<li class="is-state">' if event.is_state_change else "<li>",
        _time(event, year=False),
        format_html("<strong>{}</strong> · ", _author_name(author)) if author else "",
        conditional_escape(event.text),
    ]
    if event.is_state_change:
        parts.append(
            format_html(
                ' <span class="muted">({} → <strong>{}</strong>)</span>',
                event.from_label,
                event.to_label,
            )
        )
    if event.cause:
        parts.append(
            format_html(
                '<span class="sub">{} {}</span>', gettext("Cause:"), event.get_cause_display()
            )
        )
    parts.append(_note(event, 160))
    parts.append("</li>")
    return "".join(parts)


def profile_step(event):
    """One step as the profile page shows it: the mission it belongs to, the change of state,
    then who."""
    parts = [
        '<li class="is-state">' if event.to_state else "<li>",
        _time(event, year=True),
        " ",
        conditional_escape(event.text or event.to_label),
    ]
    if event.mission:
        url = reverse("missions:detail", args=[event.mission.pk])
        parts.append(format_html(' · <a href="{}">{}</a>', url, event.mission.reference))
    if event.to_state and event.subject != Event.Subject.INTERVIEW:
        before = format_html("{} → ", event.from_label) if event.from_state else ""
        parts.append(
            format_html(
                ' <span class="state-change">{}<strong>{}</strong></span>',
                before,
                event.to_label,
            )
        )
    author = _author_name(event.author) if event.author else gettext("System")
    note = format_html(" — {}", Truncator(event.note_text).chars(140)) if event.note else ""
    parts.append(format_html(' <span class="sub">{}{}</span>', author, note))
    parts.append("</li>")
    return "".join(parts)


@register.simple_tag
def mission_steps(events):
    # Every part above is escaped by format_html or conditional_escape.
    return mark_safe("\n".join(mission_step(event) for event in events))  # noqa: S308


@register.simple_tag
def profile_steps(events):
    return mark_safe("\n".join(profile_step(event) for event in events))  # noqa: S308

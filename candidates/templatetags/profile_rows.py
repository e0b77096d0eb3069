"""The rows of the profile search written out in Python.

Twenty-five rows of a dozen cells each cost the template engine more than the search's queries
(about half a millisecond a row: lookups, filters, translations with values, a URL each); this
tag writes the same markup directly. Texts keep the template's message ids, so their
translations are the same.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from staffing.templatetags.desk import blocktranslated, money

register = template.Library()
CHIPS = 4  # skills shown in a row; the rest as "+n"


def _name_cell(candidate, pools):
    pick = ""
    if pools:
        label = blocktranslated(gettext("Select %(name)s"), name=candidate.full_name)
        pick = format_html(
            '<input class="row-pick" type="checkbox" name="candidate" value="{}" form="pool-add"'
            ' aria-label="{}"> ',
            candidate.pk,
            label,
        )
    where = format_html(" · {}", candidate.location) if candidate.location else ""
    return format_html(
        '<th scope="row">{}<a href="{}">{}</a><span class="sub">{}{}</span></th>',
        pick,
        candidate.get_absolute_url(),
        candidate.full_name,
        candidate.headline,
        where,
    )


def _skills_cell(candidate, words):
    skills = list(candidate.skills.all())
    label, years = words["skills"], words["yrs"]
    if not skills:
        return format_html('<td data-label="{}"><span class="muted">—</span></td>', label)
    chips = [
        format_html(
            '<li class="chip"><b>{}</b> {}&nbsp;{}</li>',
            skill.skill.name,
            floatformat(skill.years, "-1"),
            years,
        )
        for skill in skills[:CHIPS]
    ]
    if len(skills) > CHIPS:
        chips.append(format_html('<li class="chip">+{}</li>', len(skills) - CHIPS))
    return format_html(
        '<td data-label="{}"><ul class="chips">{}</ul></td>',
        label,
        mark_safe("".join(chips)),  # noqa: S308
    )


def _availability_cell(candidate, today, words):
    if candidate.placement:
        inner = format_html(
            '<span class="badge badge--green">{}</span> <span class="sub">{}</span>',
            gettext("Placed"),
            candidate.placement.mission.reference,
        )
    elif candidate.available_from:
        inner = _availability(candidate, today)
    else:
        inner = format_html('<span class="muted">{}</span>', gettext("Unknown"))
    return format_html('<td data-label="{}"><div>{}</div></td>', gettext("Availability"), inner)


def _availability(candidate, today):
    available = candidate.available_from
    when = gettext("Now") if available <= today else date_format(available, "SHORT_DATE_FORMAT")
    warn = ' class="warn"' if candidate.stale else ""
    confirmed = candidate.availability_confirmed_on
    shown = date_format(confirmed, "SHORT_DATE_FORMAT") if confirmed else ""
    if not candidate.stale:
        sub = format_html(
            '<span class="sub">{}</span>',
            blocktranslated(gettext("confirmed %(date)s"), date=shown),
        )
    elif confirmed:
        since = blocktranslated(gettext("not confirmed since %(date)s"), date=shown)
        sub = format_html('<span class="sub warn">{}</span>', since)
    else:
        sub = format_html('<span class="sub warn">{}</span>', gettext("never confirmed"))
    return format_html("<span{}>{}</span> {}", mark_safe(warn), when, sub)  # noqa: S308


def _processes_cell(candidate, words):
    n = candidate.active_processes
    if n:
        text = blocktranslated(ngettext("%(n)s active", "%(n)s active", n), n=n)
    else:
        text = mark_safe('<span class="muted">—</span>')
    return format_html('<td class="num" data-label="{}">{}</td>', words["processes"], text)


def _words():
    """The column labels, translated once per table rather than once per row."""
    return {
        "seniority": gettext("Seniority"),
        "skills": gettext("Main skills"),
        "yrs": pgettext("years, short", "yrs"),
        "rate": gettext("Day rate"),
        "availability": gettext("Availability"),
        "channel": gettext("Channel"),
        "processes": gettext("Processes"),
    }


def profile_row(candidate, pools, today, words):
    cells = [
        _name_cell(candidate, pools),
        format_html(
            '<td data-label="{}">{}</td>', words["seniority"], candidate.get_seniority_display()
        ),
        _skills_cell(candidate, words),
        format_html(
            '<td class="num" data-label="{}">{}</td>', words["rate"], money(candidate.day_rate)
        ),
        _availability_cell(candidate, today, words),
        format_html(
            '<td data-label="{}">{}</td>', words["channel"], candidate.get_channel_display()
        ),
        _processes_cell(candidate, words),
    ]
    return "<tr>" + "".join(cells) + "</tr>"


@register.simple_tag
def profile_rows(candidates, pools, today):
    """The `<tr>` of each profile of the search's page (every value escaped above)."""
    words = _words()
    return mark_safe("\n".join(profile_row(c, pools, today, words) for c in candidates))  # noqa: S308

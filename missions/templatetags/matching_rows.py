"""The rows of the matching page written out in Python.

Each ranked row has six cells, a form and a dozen translated words; through the template engine
a row cost about a millisecond, more than the ranking's Python. This tag writes the same markup
with the template's message ids (the translations are the same).
"""

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from missions.models import EntryState
from staffing.templatetags.desk import badge, blocktranslated, euros, money, percent

register = template.Library()


def _words():
    """The labels every row repeats, translated once per table."""
    return {
        "score": gettext("Score"),
        "out_of": gettext("out of 100"),
        "why": gettext("Why this score"),
        "rate": gettext("Rate · margin to budget"),
        "availability": gettext("Availability"),
        "shortlist": gettext("Shortlist"),
        "add": gettext("Add to shortlist"),
    }


class Page:
    """What every row needs from the page: the mission, the form's token, the way back."""

    def __init__(self, context):
        self.mission = context["mission"]
        self.pools = context.get("pools")
        self.today = context["today"]
        self.closed = context.get("shortlist_closed")
        self.full = context.get("shortlist_full")
        self.active_count = context.get("active_count")
        self.cap = context.get("cap")
        token = context.get("csrf_token")
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
        )
        self.next = format_html(
            '<input type="hidden" name="next" value="{}">', context["request"].get_full_path()
        )
        self.words = _words()


def _profile_cell(candidate, page):
    pick = ""
    if page.pools:
        pick = format_html(
            '<input class="row-pick" type="checkbox" name="candidate" value="{}" form="pool-add"'
            ' aria-label="{}"> ',
            candidate.pk,
            blocktranslated(gettext("Select %(name)s"), name=candidate.full_name),
        )
    where = format_html(" · {}", candidate.location) if candidate.location else ""
    return format_html(
        '<th scope="row">{}<a href="{}">{}</a><span class="sub">{} · {}{}</span></th>',
        pick,
        candidate.get_absolute_url(),
        candidate.full_name,
        candidate.headline,
        candidate.get_seniority_display(),
        where,
    )


def _chips_cell(row, page):
    chips = "".join(
        format_html('<li class="chip chip--{}">{}</li>', chip.tone, chip.text)
        if chip.tone
        else format_html('<li class="chip">{}</li>', chip.text)
        for chip in row.chips
    )
    return format_html(
        '<td data-label="{}"><ul class="chips">{}</ul></td>',
        page.words["why"],
        mark_safe(chips),  # noqa: S308
    )


def _rate_cell(row, page):
    margin = ""
    if row.margin is not None:
        margin = format_html(
            '<span class="sub {}">{} · {}</span>',
            row.margin_tone,
            euros(row.margin),
            percent(row.margin_rate),
        )
    return format_html(
        '<td class="num" data-label="{}"><div>{}{}</div></td>',
        page.words["rate"],
        money(row.candidate.day_rate),
        margin,
    )


def _availability_cell(row, page):
    candidate, mission = row.candidate, page.mission
    if row.placement:
        inner = format_html(
            '<span class="neg">{}</span><span class="sub">{}</span>',
            gettext("Placed"),
            row.placement.mission.reference,
        )
    elif candidate.available_from:
        available = candidate.available_from
        late = mission.start_date and available > mission.start_date
        when = (
            gettext("Now")
            if available <= page.today
            else date_format(available, "SHORT_DATE_FORMAT")
        )
        warn = mark_safe(' class="warn"' if late else "")  # noqa: S308 - constant markup
        inner = format_html("<span{}>{}</span>", warn, when)
        confirmed = candidate.availability_confirmed_on
        if confirmed:
            shown = date_format(confirmed, "SHORT_DATE_FORMAT")
            inner += format_html(
                ' <span class="sub">{}</span>',
                blocktranslated(gettext("confirmed %(date)s"), date=shown),
            )
    else:
        inner = format_html('<span class="muted">{}</span>', gettext("Unknown"))
    return format_html('<td data-label="{}"><div>{}</div></td>', page.words["availability"], inner)


def _shortlist_cell(row, page):
    entry, candidate = row.entry, row.candidate
    if entry:
        inner = _entry_actions(entry, candidate, page)
    elif page.closed or page.full:
        reason = (
            gettext("Mission closed")
            if page.closed
            else gettext("Shortlist full (%(active_count)s / %(cap)s)")
            % {"active_count": page.active_count, "cap": page.cap}
        )
        inner = format_html(
            '<div><button class="btn btn--sm" type="button" disabled aria-describedby='
            '"add-reason">{}</button><span class="sub">{}</span></div>',
            page.words["add"],
            reason,
        )
    else:
        inner = format_html(
            '<form method="post" action="{}">{}<input type="hidden" name="candidate" value="{}">'
            '{}<button class="btn btn--sm" type="submit" aria-label="{}: {}">{}</button></form>',
            reverse("missions:shortlist_add", args=[page.mission.pk]),
            page.csrf,
            candidate.pk,
            page.next,
            page.words["add"],
            candidate.full_name,
            page.words["add"],
        )
    return format_html('<td data-label="{}">{}</td>', page.words["shortlist"], inner)


def _entry_actions(entry, candidate, page):
    if entry.state == EntryState.PROPOSED:
        label = blocktranslated(
            gettext("Remove %(name)s from the shortlist"), name=candidate.full_name
        )
        action = format_html(
            '<form method="post" action="{}">{}{}<button class="btn btn--sm btn--ghost '
            'btn--danger" type="submit" aria-label="{}">{}</button></form>',
            reverse("missions:entry_remove", args=[entry.pk]),
            page.csrf,
            page.next,
            label,
            gettext("Remove"),
        )
    else:
        where = gettext("on the shortlist") if entry.is_active else gettext("left the shortlist")
        action = format_html('<span class="sub">{}</span>', where)
    return format_html(
        '<div class="actions">{} {}</div>', badge(entry.state, entry.get_state_display()), action
    )


def matching_row(row, page):
    tone = f" score--{row.tone}" if row.tone else ""
    cells = [
        format_html(
            '<td data-label="{}"><span class="score{}">{}<span class="sr-only"> {}</span>'
            "</span></td>",
            page.words["score"],
            tone,
            row.score,
            page.words["out_of"],
        ),
        _profile_cell(row.candidate, page),
        _chips_cell(row, page),
        _rate_cell(row, page),
        _availability_cell(row, page),
        _shortlist_cell(row, page),
    ]
    opening = '<tr class="is-in">' if row.entry and row.entry.is_active else "<tr>"
    return opening + "".join(cells) + "</tr>"


@register.simple_tag(takes_context=True)
def matching_rows(context, rows):
    """The `<tr>` of each ranked profile (every value escaped above)."""
    page = Page(context)
    return mark_safe("\n".join(matching_row(row, page) for row in rows))  # noqa: S308

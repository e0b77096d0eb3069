"""Dates as people write them, in the reader's language: "mar. 24 nov.", "lun. 4 janv. 2027"
in French, "Tue 24 Nov", "Mon 4 Jan 2027" in English.

Django's short month names (the `M` and `b` format characters) cut every French month to three
letters, so June and July both read "jui"; its AP-style ones (`N`) write "jan." and "fév.".
French typography abbreviates months and weekdays as below: the one place that knows them.
The template filters (`short_date`, `month_year`, `weekday`, `month`) wrap these functions.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language

MONTHS = {
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
WEEKDAYS = {
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _language():
    language = (get_language() or "en").split("-")[0]
    return language if language in MONTHS else "en"


def _local_day(value):
    """The calendar day of a date, or of a datetime in the current time zone."""
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def month_name(value):
    """The month's short name: "juil." / "Jul"."""
    return MONTHS[_language()][_local_day(value).month - 1]


def weekday_name(value):
    """The weekday's short name: "mar." / "Tue"."""
    return WEEKDAYS[_language()][_local_day(value).weekday()]


def short_date(value, *, weekday=False, year=False, time=False):
    """ "24 nov.", with the weekday "mar. 24 nov.", with the year "24 nov. 2026", with the
    time (of a datetime) "24 nov., 14:30"."""
    day = _local_day(value)
    parts = [weekday_name(day)] if weekday else []
    parts += [str(day.day), month_name(day)]
    if year:
        parts.append(str(day.year))
    text = " ".join(parts)
    if time and isinstance(day, datetime):
        text += f", {day:%H:%M}"
    return text


def month_year(value):
    """ "juil. 2026" / "Jul 2026"."""
    day = _local_day(value)
    return f"{month_name(day)} {day.year}"

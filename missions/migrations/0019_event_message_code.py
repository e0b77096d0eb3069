"""Timeline steps keep what the app wrote as a message code and its values, put into words in
the reader's language when shown. Existing steps, written in the language of whoever caused
them (English or French), get their code and values back from their text; a text that matches
no known message stays as it was and is shown as written."""

import re
from datetime import datetime

from django.db import migrations, models
from django.utils import translation

# The messages as they were written (English source and its French translation through the
# catalogue), frozen here: the codes' words may change later, the stored texts do not.
KNOWN = [
    ("mission", "Mission"),
    ("mission_created", "Mission created"),
    ("mission_edited", "Mission edited"),
    ("mission_archived", "Mission archived"),
    ("mission_restored", "Mission restored from the archive"),
    ("client_reminded", "Reminder sent to the client"),
    ("shortlist_added", "%(name)s added to the shortlist"),
    ("shortlist_removed", "%(name)s removed from the shortlist"),
    ("client_rate_changed", "%(about)s: Rate for the client changed: %(old)s € → %(new)s €"),
    ("report_changed", "%(about)s: Report for the client changed"),
    ("availability_confirmed", "%(name)s confirmed their availability: from %(date)s"),
    ("availability_changed", "%(name)s changed their availability: from %(date)s"),
    ("interview_scheduled", "Interview %(n)s of %(cap)s scheduled for %(name)s"),
    ("interview_state", "Interview %(n)s: %(state)s"),
    ("interview_moved", "Interview %(n)s moved"),
    ("client_feedback", "Client feedback on interview %(n)s"),
    ("client_feedback_updated", "Client feedback on interview %(n)s updated"),
]
# Notes the app wrote: a fixed sentence, and a count in its singular and plural forms.
NOTES = [
    ("availability_link", "Given by the freelancer through the emailed link."),
    ("another_selected", "Another profile was selected."),
]
PLURAL_NOTES = [
    (
        "profiles_waiting",
        "%(n)s profile waiting for an answer.",
        "%(n)s profiles waiting for an answer.",
    ),
]
DATE_FORMATS = {"en": "%m/%d/%Y", "fr": "%d/%m/%Y"}  # each language's SHORT_DATE_FORMAT
NUMBERS = {"n", "cap", "old", "new"}
FIELDS = ["message_code", "message_params", "note_code", "note_params"]
_VALUE = {name: r"\d+" for name in NUMBERS}


def _pattern(text):
    """A regular expression matching `text` with each %(name)s captured."""
    parts = re.split(r"%\((\w+)\)s", text)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_VALUE.get(part, '.+?')})"
        for i, part in enumerate(parts)
    )
    return re.compile(regex + r"\Z", re.S)


def _translated(source, language):
    prefix = ""
    if source.startswith("%(about)s: "):  # only the part after the name was translated
        prefix, source = "%(about)s: ", source.removeprefix("%(about)s: ")
    with translation.override(language):
        return prefix + translation.gettext(source)


def _patterns():
    return [
        (code, language, _pattern(_translated(source, language)))
        for code, source in KNOWN
        for language in ("en", "fr")
    ]


def _params(values, language, event):
    params = {}
    for name, value in values.items():
        if name in NUMBERS:
            params[name] = int(value)
        elif name == "state":
            params[name] = event.to_state  # the step's new state: its code, not its label
        elif name == "date":
            try:
                params[name] = datetime.strptime(value, DATE_FORMATS[language]).date().isoformat()
            except ValueError:
                return None
        else:
            params[name] = value
    return params


def _note_patterns():
    patterns = []
    for language in ("en", "fr"):
        with translation.override(language):
            for code, source in NOTES:
                patterns.append((code, _pattern(translation.gettext(source))))
            for code, singular, plural in PLURAL_NOTES:
                for n in (1, 2):  # French and English have one form each for 1 and for 2+
                    patterns.append((code, _pattern(translation.ngettext(singular, plural, n))))
    return patterns


def _note_code(note, patterns):
    for code, pattern in patterns:
        match = pattern.match(note)
        if match:
            return code, {name: int(value) for name, value in match.groupdict().items()}
    return None


def _message_code(event, patterns):
    for code, language, pattern in patterns:
        match = pattern.match(event.message)
        params = match and _params(match.groupdict(), language, event)
        if params is not None and match:
            return code, params
    return None


def give_codes(apps, schema_editor):
    Event = apps.get_model("missions", "Event")
    patterns, note_patterns = _patterns(), _note_patterns()
    changed = []
    for event in Event.objects.filter(message_code="", note_code="").iterator():
        message = _message_code(event, patterns) if event.message else None
        note = _note_code(event.note, note_patterns) if event.note else None
        if message is not None:
            event.message_code, event.message_params = message
        if note is not None:
            event.note_code, event.note_params = note
        if message or note:
            changed.append(event)
        if len(changed) >= 1000:
            Event.objects.bulk_update(changed, FIELDS)
            changed = []
    Event.objects.bulk_update(changed, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0018_placement_labels_and_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="message_code",
            field=models.CharField(blank=True, max_length=40, verbose_name="message code"),
        ),
        migrations.AddField(
            model_name="event",
            name="message_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="message values"),
        ),
        migrations.AddField(
            model_name="event",
            name="note_code",
            field=models.CharField(blank=True, max_length=40, verbose_name="note code"),
        ),
        migrations.AddField(
            model_name="event",
            name="note_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="note values"),
        ),
        # Going back drops the columns; the texts were never changed.
        migrations.RunPython(give_codes, migrations.RunPython.noop),
    ]

"""A shortlist entry keeps its confirmed R7 warnings as codes and values too, put into words
in the reader's language when shown. Existing entries, whose warnings were written in English
or French, get their codes back from their text; an entry with a line that matches no known
warning keeps showing its text as written."""

import re

from django.db import migrations, models
from django.utils import translation

# The warnings as they were written (English source, French through the catalogue), frozen.
KNOWN = [
    ("already_active", "%(name)s is already active on %(ref)s for the same client."),
    ("over_budget", "Day rate %(rate)s € is above the client's budget of %(budget)s €."),
]
NUMBERS = {"rate", "budget"}
VALUES = {name: r"\d+" for name in NUMBERS}


def _pattern(text):
    parts = re.split(r"%\((\w+)\)s", text)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{VALUES.get(part, '.+?')})"
        for i, part in enumerate(parts)
    )
    return re.compile(regex + r"\Z")


def _patterns():
    patterns = []
    for code, source in KNOWN:
        for language in ("en", "fr"):
            with translation.override(language):
                patterns.append((code, _pattern(translation.gettext(source))))
    return patterns


def _codes(text, patterns):
    """The warnings of `text` as codes, or None if a line is not a known warning."""
    codes = []
    for line in filter(None, text.splitlines()):
        for code, pattern in patterns:
            match = pattern.match(line)
            if match:
                params = {
                    name: int(value) if name in NUMBERS else value
                    for name, value in match.groupdict().items()
                    if name != "name"  # read from the profile when shown
                }
                codes.append({"code": code, "params": params})
                break
        else:
            return None
    return codes


def give_codes(apps, schema_editor):
    ShortlistEntry = apps.get_model("missions", "ShortlistEntry")
    patterns = _patterns()
    changed = []
    for entry in ShortlistEntry.objects.exclude(warnings="").only("pk", "warnings"):
        codes = _codes(entry.warnings, patterns)
        if codes:
            entry.warning_codes = codes
            changed.append(entry)
    ShortlistEntry.objects.bulk_update(changed, ["warning_codes"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0019_event_message_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="shortlistentry",
            name="warning_codes",
            field=models.JSONField(blank=True, default=list, verbose_name="warning codes"),
        ),
        # Going back drops the column; the texts were never changed.
        migrations.RunPython(give_codes, migrations.RunPython.noop),
    ]

"""Profiles imported from a spreadsheet (CSV or XLSX): read, map the columns, check, import.

A file is read whole into rows of text (`read_table`); the columns are mapped to profile
fields (`guess_mapping`, then the recruiter's corrections); each row becomes the data of the
profile form, so an imported row meets exactly the rules of a typed one, and is saved by the
same service (`services.save_profile`). A row that names someone already in the pool (same
email, phone or LinkedIn profile, or same name in the same city: `candidates.duplicates`) is
skipped, not updated: a spreadsheet is older than what recruiters typed since. Importing the
same file again therefore creates nothing.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates import duplicates, services
from candidates.forms import CandidateForm
from candidates.models import Channel, ImportJob, ImportStatus, LegalForm, RemotePolicy, Seniority

MAX_FILE_BYTES = 10 * 1024 * 1024  # 10 MB: about 50,000 rows of a usual export
MAX_ROWS = 20_000
# The preview checks this many rows in full; the import checks every row the same way.
PREVIEW_ROWS = 100
# The job's counters are written every so many rows: a reload shows the progress without a
# write per row.
PROGRESS_EVERY = 50
# A report keeps this many rows not imported: enough to correct a file, bounded in size.
REPORT_LIMIT = 2000

# The profile fields a file may fill, each with the headers that name it (compared without
# accents, case, spaces or punctuation).
FIELDS = {
    "first_name": (gettext_lazy("First name"), ["prenom", "firstname", "first", "givenname"]),
    "last_name": (
        gettext_lazy("Last name"),
        ["nom", "lastname", "surname", "name", "nomdefamille", "familyname"],
    ),
    "email": (
        gettext_lazy("Email"),
        ["email", "mail", "courriel", "adresseemail", "emailaddress", "adressemail"],
    ),
    "phone": (
        gettext_lazy("Phone"),
        ["telephone", "tel", "phone", "mobile", "portable", "phonenumber", "numero"],
    ),
    "linkedin_url": (
        gettext_lazy("LinkedIn"),
        ["linkedin", "linkedinurl", "profillinkedin", "linkedinprofile", "url"],
    ),
    "location": (gettext_lazy("City"), ["ville", "city", "location", "localisation", "lieu"]),
    "headline": (
        gettext_lazy("Headline"),
        ["titre", "headline", "title", "poste", "position", "intitule", "metier"],
    ),
    "seniority": (
        gettext_lazy("Seniority"),
        ["seniorite", "seniority", "niveau", "level", "experience"],
    ),
    "day_rate": (
        gettext_lazy("Day rate (€)"),
        ["tjm", "dayrate", "rate", "tarif", "tauxjournalier", "tarifjour"],
    ),
    "available_from": (
        gettext_lazy("Available from"),
        ["disponibilite", "disponible", "availablefrom", "availability", "dispo"],
    ),
    "channel": (gettext_lazy("Sourcing channel"), ["source", "canal", "channel", "sourcing"]),
    "languages": (gettext_lazy("Languages"), ["langues", "languages"]),
    "mobility": (gettext_lazy("Mobility"), ["mobilite", "mobility"]),
    "internal_notes": (
        gettext_lazy("Internal notes"),
        ["notes", "note", "commentaire", "commentaires", "comments"],
    ),
}
REQUIRED_FIELDS = ("first_name", "last_name")

# Words a French or English spreadsheet uses for the choices of the profile.
SENIORITY_WORDS = {
    "junior": Seniority.JUNIOR,
    "confirme": Seniority.CONFIRMED,
    "confirmed": Seniority.CONFIRMED,
    "intermediaire": Seniority.CONFIRMED,
    "senior": Seniority.SENIOR,
    "expert": Seniority.EXPERT,
}
CHANNEL_WORDS = {
    "linkedin": Channel.LINKEDIN,
    "portage": Channel.PORTAGE,
    "plateforme": Channel.PLATFORM,
    "platform": Channel.PLATFORM,
    "malt": Channel.PLATFORM,
    "cooptation": Channel.REFERRAL,
    "referral": Channel.REFERRAL,
    "recommandation": Channel.REFERRAL,
    "candidaturespontanee": Channel.DIRECT,
    "direct": Channel.DIRECT,
    "jobboard": Channel.JOB_BOARD,
}
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def _plain(text):
    """Lower case, no accents, letters and digits only: "Prénom " → "prenom"."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


# ------------------------------------------------------------------ reading the file


@dataclass
class Table:
    headers: list
    rows: list  # lists of str, as long as the headers


def _refuse(message, code):
    raise ValidationError(message, code=code)


def read_table(handle):
    """The header and rows of a CSV (UTF-8, with or without BOM, "," ";" or tab) or XLSX
    file. Refuses with a plain message an empty, binary, too big, wrongly encoded file."""
    data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        _refuse(_("The file is bigger than 10 MB: split it into several files."), "import_too_big")
    if not data.strip():
        _refuse(_("The file is empty."), "import_empty")
    if data.startswith(b"PK\x03\x04"):
        table = _read_xlsx(data)
    else:
        table = _read_csv(data)
    if not table.rows:
        _refuse(_("The file has a header line but no rows."), "import_no_rows")
    if len(table.rows) > MAX_ROWS:
        _refuse(
            _("The file has %(count)s rows; import at most %(limit)s at a time.")
            % {"count": len(table.rows), "limit": MAX_ROWS},
            "import_too_many_rows",
        )
    return table


def _read_csv(data):
    if b"\x00" in data[:4096]:
        _refuse(_("This is not a CSV or Excel (.xlsx) file."), "import_not_a_table")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(
            _(
                "The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (comma delimited)”, "
                "or import the .xlsx file itself."
            ),
            "import_encoding",
        )
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = max(";,\t", key=first_line.count)
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return _table(lines)


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet; formulas stay formulas (data_only=False) so that a
        # cell computed by the spreadsheet is refused rather than imported blank.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises a dozen kinds on a file it cannot read
        _refuse(_("This Excel file cannot be read: save it again as .xlsx."), "import_bad_xlsx")
    sheet = book.worksheets[0]
    lines = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return _table(lines)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(lines):
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        _refuse(_("The file is empty."), "import_empty")
    headers = [cell.strip() for cell in lines[0]]
    width = len(headers)
    rows = [(line + [""] * width)[:width] for line in lines[1:]]
    return Table(headers=headers, rows=rows)


# ------------------------------------------------------------------ column mapping


def guess_mapping(headers):
    """{field: column index} from the headers' names, French or English."""
    mapping = {}
    plain_headers = [_plain(header) for header in headers]
    for name, (_label, aliases) in FIELDS.items():
        for index, header in enumerate(plain_headers):
            if header in aliases and index not in mapping.values():
                mapping[name] = index
                break
    return mapping


def mapping_errors(mapping):
    return [
        _("Choose the column of “%(field)s”.") % {"field": FIELDS[name][0]}
        for name in REQUIRED_FIELDS
        if name not in mapping
    ]


# ------------------------------------------------------------------ one row


@dataclass
class CheckedRow:
    line: int  # as the spreadsheet numbers it: the header is line 1
    values: dict
    errors: list = field(default_factory=list)
    form: object = None
    keys: object = None
    duplicates: list = field(default_factory=list)
    duplicate_of_line: int | None = None

    @property
    def status(self):
        if self.errors:
            return "error"
        if self.duplicates or self.duplicate_of_line:
            return "duplicate"
        return "new"


def _choice(value, words, default):
    if not value.strip():
        return default
    return words.get(_plain(value), value.strip())


def _day_rate(value):
    """ "650 €", "650,00" → "650"; anything else is left for the form to refuse."""
    digits = re.sub(r"[^\d,.]", "", value).replace(",", ".")
    try:
        return str(int(float(digits))) if digits else value
    except ValueError:
        return value


class ImportRowForm(CandidateForm):
    """The profile form without the database's checks of its constraints (a query each, a
    third of a row's import time): the fields' own validators check the same bounds in
    words (the day rate), an imported row has no portage company, and the constraints still
    hold at the insert. The preview then checks a page of rows in a constant number of
    queries."""

    def validate_constraints(self):
        pass


def _iso_date(value):
    value = value.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return value


def form_data(values):
    """The profile form's data for a row's values (field → text)."""
    return {
        "first_name": values.get("first_name", ""),
        "last_name": values.get("last_name", ""),
        "email": values.get("email", ""),
        "phone": values.get("phone", ""),
        "linkedin_url": values.get("linkedin_url", ""),
        "location": values.get("location", ""),
        "mobility": values.get("mobility", ""),
        "languages": values.get("languages", ""),
        "internal_notes": values.get("internal_notes", ""),
        "headline": values.get("headline", ""),
        "seniority": _choice(values.get("seniority", ""), SENIORITY_WORDS, ""),
        "day_rate": _day_rate(values.get("day_rate", "")),
        "available_from": _iso_date(values.get("available_from", "")),
        "channel": _choice(values.get("channel", ""), CHANNEL_WORDS, Channel.OTHER),
        "legal_form": LegalForm.MICRO,
        "remote_preference": RemotePolicy.HYBRID,
    }


def check_row(line, cells, mapping):
    """A row's values, and its errors in plain words (the profile form's own messages)."""
    values = {name: cells[index].strip() for name, index in mapping.items() if index < len(cells)}
    row = CheckedRow(line=line, values=values)
    formulas = [name for name, value in values.items() if value.startswith("=")]
    if formulas:
        row.errors = [
            _("%(field)s: this cell holds a formula; import its value instead.")
            % {"field": FIELDS[name][0]}
            for name in formulas
        ]
        return row
    form = ImportRowForm(form_data(values))
    if not form.is_valid():
        row.errors = [
            f"{_label_of(form, name)}: {message}" if name != "__all__" else message
            for name, messages in form.errors.items()
            for message in messages
        ]
        return row
    row.form = form
    row.keys = duplicates.Keys.of(
        email=form.cleaned_data["email"],
        phone=form.cleaned_data["phone"],
        linkedin_url=form.cleaned_data["linkedin_url"],
        first_name=form.cleaned_data["first_name"],
        last_name=form.cleaned_data["last_name"],
        city=form.cleaned_data["location"],
    )
    return row


def _label_of(form, name):
    if name in FIELDS:
        return FIELDS[name][0]
    return form.fields[name].label if name in form.fields else name


def check_rows(table, mapping, *, start=0, stop=None):
    """Rows `start`..`stop` checked, with the profiles each would duplicate (one query) and
    the earlier row of the file it repeats, if any."""
    rows = [
        check_row(start + index + 2, cells, mapping)
        for index, cells in enumerate(table.rows[start:stop])
    ]
    keyed = [row for row in rows if row.keys]
    existing = duplicates.candidates_sharing_keys([row.keys for row in keyed]) if keyed else []
    seen = []
    for row in keyed:
        row.duplicates = duplicates.duplicates_among(row.keys, existing)[: duplicates.MAX_SHOWN]
        for earlier in seen:
            if row.keys.reasons_against(earlier.keys):
                row.duplicate_of_line = earlier.line
                break
        seen.append(row)
    return rows


# ------------------------------------------------------------------ the import


def create_job(*, upload, by):
    """Store the uploaded file (private storage) and what it holds, ready for its preview.
    Refused (ValidationError) when the file cannot be read as a table."""
    table = read_table(upload)
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob(
            original_name=upload.name[:255],
            created_by=by,
            total_rows=len(table.rows),
            mapping=guess_mapping(table.headers),
        )
        job.file.save(f"{timezone.now():%Y%m%d-%H%M%S}.{_extension(upload)}", upload)
    return job


def _extension(upload):
    upload.seek(0)
    magic = upload.read(4)
    upload.seek(0)
    return "xlsx" if magic == b"PK\x03\x04" else "csv"


def load_table(job):
    with job.file.open("rb") as handle:
        return read_table(handle)


def set_mapping(*, job, mapping):
    """Keep the mapping the recruiter chose, while the job waits for its import."""
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(mapping=mapping)
    job.refresh_from_db()
    return job


def start_import(*, job, mapping, by):
    """Save the mapping the recruiter confirmed and queue the import (a background task).
    A job already started is left alone (two clicks, one import)."""
    problems = mapping_errors(mapping)
    if problems:
        raise ValidationError(problems, code="import_mapping_incomplete")
    started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        mapping=mapping, status=ImportStatus.QUEUED, language=translation.get_language() or ""
    )
    job.refresh_from_db()
    if started:
        # Enqueued after the status row is written: the worker reads a queued job.
        transaction.on_commit(lambda: import_profiles.enqueue(job.pk))
    return job


@task
def import_profiles(job_id):
    """Import every row of a queued job, each row in its own transaction: a broken row is
    reported and the others go on."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    try:
        table = load_table(job)
    except (ValidationError, OSError):
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
        return
    mapping = {name: int(index) for name, index in job.mapping.items()}
    progress = _Progress(job=job, total=len(table.rows))
    # The worker has no request: the rows' messages speak the language of who started it.
    with translation.override(job.language or None):
        for index, cells in enumerate(table.rows):
            outcome = import_row(line=index + 2, cells=cells, mapping=mapping, by=job.created_by)
            progress.add(outcome)
    progress.finish()


def import_row(*, line, cells, mapping, by):
    """Create the profile of one row, or say why not: ("created" | "skipped" | "error",
    report entry or None)."""
    row = check_row(line, cells, mapping)
    if row.errors:
        return "error", {"row": line, "kind": "error", "messages": row.errors, "profile": None}
    found = duplicates.duplicates_among(row.keys, duplicates.candidates_sharing_keys([row.keys]))
    if found:
        first = found[0]
        message = _("already in the pool: %(name)s (%(reasons)s)") % {
            "name": first.profile.full_name,
            "reasons": ", ".join(str(text) for text in first.reason_texts),
        }
        return "skipped", {
            "row": line,
            "kind": "skipped",
            "messages": [message],
            "profile": first.profile.pk,
        }
    try:
        services.save_profile(form=row.form, formsets=[], by=by)
    except ValidationError as exc:
        return "error", {"row": line, "kind": "error", "messages": exc.messages, "profile": None}
    except DatabaseError:
        # save_profile's transaction rolled the row back; the next rows go on.
        message = _("the database refused this row; check its values.")
        return "error", {"row": line, "kind": "error", "messages": [message], "profile": None}
    return "created", None


class _Progress:
    """The job's counters, kept in memory and written every PROGRESS_EVERY rows."""

    def __init__(self, *, job, total):
        self.job = job
        self.counts = {"created": 0, "skipped": 0, "error": 0}
        self.report = []
        self.done = 0
        ImportJob.objects.filter(pk=job.pk).update(total_rows=total)

    def add(self, outcome):
        kind, entry = outcome
        self.counts[kind] += 1
        self.done += 1
        if entry and len(self.report) < REPORT_LIMIT:
            self.report.append(entry)
        if self.done % PROGRESS_EVERY == 0:
            self._write()

    def finish(self):
        self._write(status=ImportStatus.DONE, finished_at=timezone.now())

    def _write(self, **extra):
        ImportJob.objects.filter(pk=self.job.pk).update(
            rows_done=self.done,
            created_count=self.counts["created"],
            skipped_count=self.counts["skipped"],
            error_count=self.counts["error"],
            report=self.report,
            **extra,
        )

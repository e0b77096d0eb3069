"""Reading the text of a CV (PDF or Word) in the background, for the search and for skill
suggestions.

`save_profile` enqueues `read_cv_text` when a CV is uploaded, once the transaction commits:
the upload's request never waits on a parser. The task reads the stored file through the
storage API (local directory or S3 bucket), keeps its text on `CvText`, fills PostgreSQL's
French full-text vector, and suggests the technologies of the catalogue the CV names. A file
the parsers cannot read gets the "unreadable" status and a plain reason, never an error page.
"""

import io
import logging
import re
import zipfile

from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

from candidates.models import Candidate, CandidateSkill, CvSkillSuggestion, CvText, Skill

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# A CV is a few pages: more text than this is not a CV (or a file built to exhaust memory).
MAX_TEXT_CHARS = 200_000


class UnreadableCv(Exception):
    """The file is not a PDF or Word document the parsers can read."""


def _pdf_text(data):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableCv("encrypted PDF")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UnreadableCv(f"PDF: {exc}") from exc


def _docx_text(data):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableCv(f"DOCX: {exc}") from exc
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    # CVs often lay out skills and dates in tables.
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(paragraphs)


def extract_text(data):
    """The text of a PDF or DOCX file given as bytes, judged by its content; raises
    `UnreadableCv` for anything else or a broken file."""
    if data.startswith(PDF_MAGIC):
        text = _pdf_text(data)
    elif data.startswith(ZIP_MAGIC):
        text = _docx_text(data)
    else:
        raise UnreadableCv("neither PDF nor DOCX")
    # NUL bytes cannot be stored in a PostgreSQL text column.
    text = text.replace("\x00", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]


def _skill_pattern(name):
    # The name as a whole word: "Go" is not found in "Google", "C" not in "CV"; names made of
    # symbols ("C++", "C#", ".NET") have their own edges.
    return re.compile(r"(?<![\w+#.])" + re.escape(name) + r"(?![\w+#])", re.IGNORECASE)


def skills_named_in(text, skills):
    """The skills among `skills` whose name appears in `text` as a whole word."""
    return [skill for skill in skills if skill.name and _skill_pattern(skill.name).search(text)]


def _suggest_skills(candidate_id, text):
    """Suggest the catalogue's technologies named in the CV that the profile lacks; a
    dismissed suggestion stays dismissed."""
    named = skills_named_in(text, Skill.objects.only("pk", "name"))
    known = set(
        CandidateSkill.objects.filter(candidate_id=candidate_id).values_list("skill_id", flat=True)
    )
    CvSkillSuggestion.objects.filter(candidate_id=candidate_id, dismissed_at__isnull=True).exclude(
        skill__in=[skill.pk for skill in named]
    ).delete()
    CvSkillSuggestion.objects.bulk_create(
        [
            CvSkillSuggestion(candidate_id=candidate_id, skill=skill)
            for skill in named
            if skill.pk not in known
        ],
        ignore_conflicts=True,
    )


def _store(cv_text, *, status, text=""):
    cv_text.status = status
    cv_text.text = text
    cv_text.read_at = timezone.now()
    cv_text.save(update_fields=["status", "text", "read_at"])
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        CvText.objects.filter(pk=cv_text.pk).update(
            search_vector=SearchVector("text", config="french")
        )


@task
def read_cv_text(candidate_id, cv_name):
    """Read the CV `cv_name` of profile `candidate_id` and store its text and suggestions.
    Does nothing when the profile has another CV by now (a later upload has its own task)."""
    try:
        candidate = Candidate.objects.get(pk=candidate_id)
    except Candidate.DoesNotExist:
        return
    if candidate.cv.name != cv_name:
        return
    try:
        with candidate.cv.open("rb") as handle:
            data = handle.read()
        text = extract_text(data)
    except (UnreadableCv, OSError) as exc:
        logger.info("CV of profile %s unreadable: %s", candidate_id, exc)
        status, text = CvText.Status.FAILED, ""
    except Exception:
        # A parser's own bug on a strange file must still end the reading with a status the
        # recruiter sees, not leave it "being read" for ever.
        logger.exception("CV of profile %s: the parser failed", candidate_id)
        status, text = CvText.Status.FAILED, ""
    else:
        status = CvText.Status.READ if text else CvText.Status.EMPTY
    with transaction.atomic():
        cv_text = CvText.objects.filter(candidate_id=candidate_id, cv_name=cv_name).first()
        if cv_text is None:  # the CV was replaced or removed while it was being read
            return
        _store(cv_text, status=status, text=text)
        if text:
            _suggest_skills(candidate_id, text)

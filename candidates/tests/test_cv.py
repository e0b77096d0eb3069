"""CV files: PDF or DOCX checked by content, size-limited, private, downloaded by recruiters."""

import io
import logging
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import Candidate
from missions.models import EntryState, ShortlistEntry

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def docx_bytes(with_document=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def profile_data(candidate, **overrides):
    data = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "headline": candidate.headline,
        "seniority": candidate.seniority,
        "day_rate": str(candidate.day_rate),
        "remote_preference": candidate.remote_preference,
        "legal_form": candidate.legal_form,
        "channel": candidate.channel,
    }
    for prefix in ("skills", "experiences", "projects"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


def upload(client, candidate, name, content, **extra):
    data = profile_data(candidate, cv=SimpleUploadedFile(name, content), **extra)
    return client.post(reverse("candidates:edit", args=[candidate.pk]), data)


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def test_a_pdf_cv_is_stored_privately_under_a_random_name(desk, candidate):
    response = upload(desk, candidate, "Camille CV (final).pdf", PDF)

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.cv.name.startswith("cv/")
    assert candidate.cv.name.endswith(".pdf")
    assert "Camille" not in candidate.cv.name
    assert storages["private"].open(candidate.cv.name).read() == PDF


def test_a_docx_cv_is_accepted_by_its_content(desk, candidate):
    response = upload(desk, candidate, "cv.docx", docx_bytes())

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.cv.name.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03 this is a Windows executable"),
        ("cv.docx", docx_bytes(with_document=False)),
        ("cv.docx", b"PK\x03\x04 but not a zip at all"),
        ("cv.txt", b"plain text"),
    ],
)
def test_a_file_that_is_not_really_a_pdf_or_docx_is_refused(desk, candidate, name, content):
    response = upload(desk, candidate, name, content)

    assert response.status_code == 200
    assert "Upload a PDF or a Word (.docx) document." in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.cv


def test_an_oversize_cv_is_refused(desk, candidate, settings):
    settings.CV_MAX_BYTES = 1024

    response = upload(desk, candidate, "cv.pdf", PDF + b"0" * 1024)

    assert response.status_code == 200
    assert "a CV may be 1.0\u00a0KB at most" in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.cv


def test_replacing_a_cv_deletes_the_old_file(desk, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(desk, candidate, "cv.pdf", PDF)
    candidate.refresh_from_db()
    old_name = candidate.cv.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(desk, candidate, "cv.docx", docx_bytes())

    candidate.refresh_from_db()
    assert candidate.cv.name != old_name
    assert not storages["private"].exists(old_name)


def test_removing_the_cv_clears_it(desk, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(desk, candidate, "cv.pdf", PDF)
    candidate.refresh_from_db()
    old_name = candidate.cv.name

    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse("candidates:edit", args=[candidate.pk]),
            profile_data(candidate, remove_cv="on"),
        )

    candidate.refresh_from_db()
    assert not candidate.cv
    assert not storages["private"].exists(old_name)


# ---------- Download ----------


@pytest.fixture
def with_cv(candidate):
    candidate.cv.save("abc.pdf", ContentFile(PDF))
    return candidate


def cv_url(candidate):
    return reverse("candidates:cv", args=[candidate.pk])


def test_a_recruiter_downloads_the_cv_as_an_attachment_and_the_access_is_logged(
    desk, recruiter, with_cv, caplog
):
    with caplog.at_level(logging.INFO, logger="staffing.cv_access"):
        response = desk.get(cv_url(with_cv))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="CV-camille-lefevre.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    (record,) = [r for r in caplog.records if r.name == "staffing.cv_access"]
    assert (record.user_id, record.candidate_id) == (recruiter.pk, with_cv.pk)


def test_a_client_gets_404_even_for_a_profile_sent_to_her(client, alice, with_cv, mission_a):
    ShortlistEntry.objects.create(
        mission=mission_a,
        candidate=with_cv,
        state=EntryState.SENT,
        slot=1,
        candidate_rate=550,
        sent_at=timezone.now(),
    )
    client.force_login(alice)
    assert Candidate.objects.visible_to(alice).filter(pk=with_cv.pk).exists()

    assert client.get(cv_url(with_cv)).status_code == 404


def test_another_client_gets_404(client, bob, with_cv):
    client.force_login(bob)

    assert client.get(cv_url(with_cv)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, with_cv):
    response = client.get(cv_url(with_cv))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_profile_without_cv_gives_404(desk, candidate):
    assert desk.get(cv_url(candidate)).status_code == 404

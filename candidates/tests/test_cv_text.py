"""The text of uploaded CVs: read in the background, searched, and its technologies suggested."""

import io

import docx
import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from candidates import services
from candidates.cv_text import UnreadableCv, extract_text, skills_named_in
from candidates.forms import search_text
from candidates.models import Candidate, CandidateSkill, CvSkillSuggestion, CvText, Skill
from candidates.tests.test_cv import profile_data
from tests.factories import CandidateFactory, SkillFactory
from tests.queries import count_queries


def pdf_bytes(*paragraphs):
    """A real PDF drawn by WeasyPrint from the paragraphs."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def docx_bytes(*paragraphs, table=()):
    """A real Word document written by python-docx, with an optional one-row table."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        row = document.add_table(rows=1, cols=len(table)).rows[0]
        for cell, text in zip(row.cells, table, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def upload(desk, django_capture_on_commit_callbacks):
    """Upload a CV through the profile form; the reading task runs after the commit."""

    def post(candidate, name, content):
        data = profile_data(candidate, cv=SimpleUploadedFile(name, content))
        with django_capture_on_commit_callbacks(execute=True):
            response = desk.post(reverse("candidates:edit", args=[candidate.pk]), data)
        assert response.status_code == 302, response.content
        return CvText.objects.filter(candidate=candidate).first()

    return post


def search(text):
    return set(search_text(Candidate.objects.all(), text))


# ---------- Reading the files ----------


def test_the_text_of_a_pdf_is_read():
    text = extract_text(pdf_bytes("Lead developer at Qonto", "Kubernetes, Terraform"))

    assert "Lead developer at Qonto" in text
    assert "Kubernetes, Terraform" in text


def test_the_text_of_a_word_document_is_read_with_its_tables():
    text = extract_text(docx_bytes("Consultante data", table=("2019–2023", "Snowflake")))

    assert text == "Consultante data\n2019–2023 Snowflake"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\nthis is not a PDF at all",
        b"PK\x03\x04 a broken archive",
        b"\x89PNG\r\n\x1a\n an image",
        b"",
    ],
    ids=["broken pdf", "broken zip", "image", "empty"],
)
def test_a_file_the_parsers_cannot_read_is_refused_in_plain_words(data):
    with pytest.raises(UnreadableCv):
        extract_text(data)


def test_a_skill_name_is_found_only_as_a_whole_word():
    skills = [Skill(name="Go"), Skill(name="C++"), Skill(name="Java"), Skill(name="Vue.js")]

    found = skills_named_in("Worked at Google in JavaScript and C++; some vue.js.", skills)

    assert [skill.name for skill in found] == ["C++", "Vue.js"]


# ---------- The upload, the task and the search ----------


def test_an_uploaded_pdf_cv_is_read_and_its_words_are_searchable(upload, candidate):
    other = CandidateFactory(headline="Data engineer")

    cv_text = upload(candidate, "cv.pdf", pdf_bytes("Migration of a payment platform to Quarkus"))

    assert cv_text.status == CvText.Status.READ
    assert cv_text.text == "Migration of a payment platform to Quarkus"
    assert search("quarkus") == {candidate}
    assert search("Quarkus payment") == {candidate}
    assert other not in search("Quarkus")


def test_an_uploaded_word_cv_is_read(upload, candidate):
    cv_text = upload(candidate, "cv.docx", docx_bytes("Expert Elasticsearch et OpenSearch"))

    assert cv_text.status == CvText.Status.READ
    assert search("opensearch") == {candidate}


def test_a_broken_cv_gets_a_clear_status_on_the_profile_page(upload, desk, candidate):
    cv_text = upload(candidate, "cv.pdf", b"%PDF-1.4\n%broken beyond repair")

    assert cv_text.status == CvText.Status.FAILED
    assert cv_text.text == ""
    page = desk.get(reverse("candidates:detail", args=[candidate.pk]))
    assert page.status_code == 200
    assert "This file could not be read" in page.text


def test_a_replaced_cv_replaces_its_text(upload, candidate):
    upload(candidate, "cv.pdf", pdf_bytes("Ten years of Cobol"))

    upload(candidate, "cv.docx", docx_bytes("Now a Rust developer"))

    assert search("cobol") == set()
    assert search("rust") == {candidate}


def test_a_removed_cv_takes_its_text_and_suggestions_with_it(upload, desk, candidate):
    SkillFactory(name="Rust")
    upload(candidate, "cv.pdf", pdf_bytes("Rust developer"))

    data = profile_data(candidate, remove_cv="on")
    desk.post(reverse("candidates:edit", args=[candidate.pk]), data)

    assert not CvText.objects.filter(candidate=candidate).exists()
    assert not CvSkillSuggestion.objects.filter(candidate=candidate).exists()
    assert search("rust") == set()


def test_a_task_for_a_cv_replaced_meanwhile_changes_nothing(candidate):
    from candidates.cv_text import read_cv_text

    CvText.objects.create(candidate=candidate, cv_name="cv/new.pdf")

    read_cv_text.call(candidate.pk, "cv/old.pdf")

    assert CvText.objects.get(candidate=candidate).status == CvText.Status.PENDING


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French full-text search")
def test_on_postgresql_the_search_finds_a_french_word_under_another_form(upload, candidate):
    upload(candidate, "cv.pdf", pdf_bytes("Développeuse passionnée par les architectures"))

    assert search("architecture") == {candidate}
    assert search("développeuses") == {candidate}


# ---------- Suggested skills ----------


@pytest.fixture
def catalogue(db):
    return {name: SkillFactory(name=name) for name in ("Python", "Django", "Go", "Kafka")}


def suggested(candidate):
    return list(
        CvSkillSuggestion.objects.filter(candidate=candidate, dismissed_at__isnull=True)
        .order_by("skill__name")
        .values_list("skill__name", flat=True)
    )


def test_the_catalogues_technologies_named_in_the_cv_are_suggested(upload, candidate, catalogue):
    CandidateSkill.objects.create(candidate=candidate, skill=catalogue["Django"])

    upload(candidate, "cv.pdf", pdf_bytes("Python and Django at Google, then Kafka streams"))

    assert suggested(candidate) == ["Kafka", "Python"]


def test_the_profile_page_offers_each_suggestion(upload, desk, candidate, catalogue):
    upload(candidate, "cv.pdf", pdf_bytes("Kafka"))

    page = desk.get(reverse("candidates:detail", args=[candidate.pk]))

    assert "Technologies named in the CV, not in the skills yet" in page.text
    assert "Add Kafka to the skills" in page.text


def decide(desk, candidate, skill, decision):
    url = reverse("candidates:cv_skill_decide", args=[candidate.pk])
    return desk.post(url, {"skill": skill.pk, "decision": decision}, follow=True)


def test_one_click_adds_a_suggested_skill(upload, desk, candidate, catalogue):
    upload(candidate, "cv.pdf", pdf_bytes("Python, Kafka"))

    response = decide(desk, candidate, catalogue["Kafka"], "confirm")

    assert "Kafka added to the skills." in response.text
    assert list(candidate.skills.values_list("skill__name", flat=True)) == ["Kafka"]
    assert suggested(candidate) == ["Python"]


def test_a_dismissed_suggestion_is_not_made_again_when_the_cv_is_read_anew(
    upload, desk, candidate, catalogue
):
    upload(candidate, "cv.pdf", pdf_bytes("Python, Kafka"))

    response = decide(desk, candidate, catalogue["Kafka"], "dismiss")
    upload(candidate, "cv.docx", docx_bytes("Python, Kafka, Go"))

    assert "Kafka will not be suggested again." in response.text
    assert suggested(candidate) == ["Go", "Python"]
    assert not candidate.skills.exists()


def test_a_suggestion_handled_in_another_tab_gets_a_message(upload, desk, candidate, catalogue):
    upload(candidate, "cv.pdf", pdf_bytes("Kafka"))
    decide(desk, candidate, catalogue["Kafka"], "confirm")

    response = decide(desk, candidate, catalogue["Kafka"], "dismiss")

    assert response.status_code == 200
    assert "This suggestion was already handled." in response.text
    assert candidate.skills.count() == 1


def test_a_decision_without_a_skill_gets_a_message(desk, candidate):
    url = reverse("candidates:cv_skill_decide", args=[candidate.pk])

    response = desk.post(url, {"decision": "confirm"}, follow=True)

    assert "Choose a suggested skill to add or dismiss." in response.text


def test_confirming_goes_through_the_service_that_computes_the_years(candidate, catalogue):
    CvSkillSuggestion.objects.create(candidate=candidate, skill=catalogue["Go"])

    skill = services.confirm_cv_skill(candidate=candidate, skill_id=catalogue["Go"].pk, by=None)

    assert skill.name == "Go"
    assert candidate.skills.get().years == 0


def test_anonymising_a_profile_erases_the_text_of_its_cv(upload, candidate, recruiter):
    from candidates import gdpr

    upload(candidate, "cv.pdf", pdf_bytes("Quarkus"))

    gdpr.anonymise_candidate(candidate=candidate, by=recruiter)

    assert not CvText.objects.filter(candidate=candidate).exists()


def test_the_profile_page_runs_the_same_queries_with_1_and_20_suggestions(desk, candidate):
    url = reverse("candidates:detail", args=[candidate.pk])
    CvText.objects.create(candidate=candidate, cv_name="cv/x.pdf", status="read", text="x")
    skills = SkillFactory.create_batch(20)
    CvSkillSuggestion.objects.create(candidate=candidate, skill=skills[0])
    one = count_queries(desk, url)

    CvSkillSuggestion.objects.bulk_create(
        [CvSkillSuggestion(candidate=candidate, skill=skill) for skill in skills[1:]]
    )

    assert count_queries(desk, url) == one


def test_a_parser_crash_still_ends_with_the_unreadable_status(upload, candidate, monkeypatch):
    from candidates import cv_text

    def crash(data):
        raise RecursionError("a pathological file")

    monkeypatch.setattr(cv_text, "extract_text", crash)

    assert upload(candidate, "cv.pdf", pdf_bytes("Quarkus")).status == CvText.Status.FAILED


def test_the_profile_list_finds_a_word_only_the_cv_holds(upload, desk, candidate):
    CandidateFactory(last_name="Other")
    upload(candidate, "cv.docx", docx_bytes("Certification Kubernetes CKA"))

    response = desk.get(reverse("candidates:list"), {"q": "CKA"})

    assert [c.pk for c in response.context["candidates"]] == [candidate.pk]


def test_each_suggestion_button_is_named_by_its_visible_label_then_the_skill(
    upload, desk, candidate, catalogue
):
    upload(candidate, "cv.pdf", pdf_bytes("Kafka"))

    page = desk.get(reverse("candidates:detail", args=[candidate.pk])).text

    assert 'aria-label="Add Kafka to the skills">Add</button>' in page
    assert 'aria-label="Dismiss Kafka: do not suggest it again">Dismiss</button>' in page


def test_a_skill_added_by_hand_since_the_cv_was_read_is_no_longer_offered(
    upload, desk, candidate, catalogue
):
    upload(candidate, "cv.pdf", pdf_bytes("Kafka"))
    CandidateSkill.objects.create(candidate=candidate, skill=catalogue["Kafka"])

    page = desk.get(reverse("candidates:detail", args=[candidate.pk])).text

    assert "Add Kafka to the skills" not in page

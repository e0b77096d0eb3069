"""Importing profiles from a spreadsheet: reading, preview, the background import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from candidates import imports
from candidates.models import Candidate, Channel, ImportJob, ImportStatus, Seniority
from tests.factories import CandidateFactory
from tests.queries import count_queries

UPLOAD = reverse("candidates:import_upload")

# The Excel-French export: semicolons, a BOM, accents, a day rate with its unit.
FRENCH_CSV = (
    "\ufeffPrénom;Nom;E-mail;Téléphone;Ville;Titre;Séniorité;TJM;Disponibilité;Source\n"
    "Hélène;Génin;helene.genin@example.fr;06 11 22 33 44;Lyon;Développeuse Python;Confirmé;"
    "550 €;15/01/2027;LinkedIn\n"
    "Jérôme;Dubœuf;jerome@example.fr;0622334455;Nantes;Architecte Java;Senior;700;;Cooptation\n"
    "Zoé;Martin;pas-un-email;0633445566;Paris;Data engineer;Senior;abc;;\n"
    "Hélène;Génin;HELENE.GENIN@example.fr;+33 6 11 22 33 44;Lyon;Développeuse Python;Confirmé;"
    "550;;\n"
).encode("utf-8")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def upload(desk, content, name="profils.csv"):
    return desk.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def import_file(desk, content, name, django_capture_on_commit_callbacks):
    response = upload(desk, content, name)
    job = ImportJob.objects.latest("pk")
    assert response.status_code == 302, response.content
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse("candidates:import_preview", args=[job.pk]),
            {"action": "import", **{k: str(v) for k, v in job.mapping.items()}},
        )
    job.refresh_from_db()
    return job


# ------------------------------------------------------------ reading files


def test_a_french_semicolon_file_with_a_bom_is_read_with_its_accents():
    table = imports.read_table(io.BytesIO(FRENCH_CSV))
    assert table.headers[:3] == ["Prénom", "Nom", "E-mail"]
    assert table.rows[0][:2] == ["Hélène", "Génin"]
    assert len(table.rows) == 4


def test_a_comma_file_without_bom_is_read():
    table = imports.read_table(
        io.BytesIO(b"first name,last name,email\nAda,Lovelace,ada@example.org\n")
    )
    assert table.rows == [["Ada", "Lovelace", "ada@example.org"]]


def test_the_columns_are_guessed_from_french_and_english_headers():
    headers = ["Prénom", "NOM", "E-mail", "Phone", "LinkedIn URL", "City", "TJM", "Whatever"]
    assert imports.guess_mapping(headers) == {
        "first_name": 0,
        "last_name": 1,
        "email": 2,
        "phone": 3,
        "linkedin_url": 4,
        "location": 5,
        "day_rate": 6,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"   \n\n", "The file is empty."),
        (b"Nom;Prenom\n", "The file has a header line but no rows."),
        ("Nom;Prénom\nGénin;Hélène\n".encode("latin-1"), "The file is not in UTF-8."),
        (b"\x00\x01\x02binary\x00", "This is not a CSV or Excel (.xlsx) file."),
        (b"PK\x03\x04not really a zip", "This Excel file cannot be read"),
    ],
)
def test_a_bad_file_gets_a_plain_message_and_saves_nothing(desk, content, message):
    response = upload(desk, content)
    assert response.status_code == 200
    assert message in response.text
    assert ImportJob.objects.count() == 0


def test_a_file_over_10_mb_is_refused(desk):
    response = upload(desk, b"Nom;Prenom\n" + b"x;y\n" * (3 * 1024 * 1024))
    assert "bigger than 10 MB" in response.text
    assert ImportJob.objects.count() == 0


# ------------------------------------------------------------ preview


def test_the_preview_shows_each_row_s_errors_and_duplicates(desk, db):
    existing = CandidateFactory(first_name="Jérôme", last_name="Dubœuf", email="jerome@example.fr")
    upload(desk, FRENCH_CSV)
    job = ImportJob.objects.get()
    response = desk.get(reverse("candidates:import_preview", args=[job.pk]))
    text = response.text
    assert "Email: Enter a valid email address." in text
    assert "Day rate (€): Enter a whole number." in text
    assert existing.get_absolute_url() in text
    assert "same email" in text
    assert "Same person as line 2 of this file" in text
    assert Candidate.objects.count() == 1


def test_the_preview_takes_the_same_number_of_queries_with_1_and_20_rows(desk, db):
    def job_of(rows):
        lines = ["Prénom;Nom;Email;Ville;Titre;Séniorité;TJM"] + [
            f"Ann{index};Lee{index};ann{index}@example.fr;Lyon;Dev;Senior;500"
            for index in range(rows)
        ]
        upload(desk, "\n".join(lines).encode())
        return reverse("candidates:import_preview", args=[ImportJob.objects.latest("pk").pk])

    CandidateFactory(email="ann0@example.fr")
    one, twenty = job_of(1), job_of(20)
    assert count_queries(desk, one) == count_queries(desk, twenty)


def test_a_mapping_without_the_name_columns_cannot_start(desk, db):
    upload(desk, b"Foo;Bar\nx;y\n")
    job = ImportJob.objects.get()
    response = desk.post(reverse("candidates:import_preview", args=[job.pk]), {"action": "import"})
    assert response.status_code == 200
    assert "This field is required." in response.text
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW


def test_a_corrected_mapping_is_kept_for_the_preview(desk, db):
    upload(desk, b"Col A;Col B\nAda;Lovelace\n")
    job = ImportJob.objects.get()
    desk.post(
        reverse("candidates:import_preview", args=[job.pk]),
        {"action": "check", "first_name": "0", "last_name": "1"},
    )
    job.refresh_from_db()
    assert job.mapping == {"first_name": 0, "last_name": 1}


# ------------------------------------------------------------ the import


def test_good_rows_are_created_and_bad_ones_reported(desk, db, django_capture_on_commit_callbacks):
    job = import_file(desk, FRENCH_CSV, "profils.csv", django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE
    assert (
        job.total_rows,
        job.rows_done,
        job.created_count,
        job.skipped_count,
        job.error_count,
    ) == (4, 4, 2, 1, 1)
    helene = Candidate.objects.get(email="helene.genin@example.fr")
    assert (helene.first_name, helene.last_name, helene.location) == ("Hélène", "Génin", "Lyon")
    assert helene.phone_normalised == "+33611223344"
    assert helene.seniority == Seniority.CONFIRMED
    assert helene.day_rate == 550
    assert str(helene.available_from) == "2027-01-15"
    assert helene.channel == Channel.LINKEDIN
    jerome = Candidate.objects.get(email="jerome@example.fr")
    assert jerome.channel == Channel.REFERRAL
    assert [(entry["row"], entry["kind"]) for entry in job.report] == [(4, "error"), (5, "skipped")]
    assert job.report[1]["profile"] == helene.pk


def test_importing_the_same_file_again_creates_nothing(
    desk, db, django_capture_on_commit_callbacks
):
    import_file(desk, FRENCH_CSV, "profils.csv", django_capture_on_commit_callbacks)
    second = import_file(desk, FRENCH_CSV, "profils.csv", django_capture_on_commit_callbacks)
    assert Candidate.objects.count() == 2
    assert (second.created_count, second.skipped_count, second.error_count) == (0, 3, 1)


def test_an_xlsx_file_is_imported_and_a_formula_cell_is_refused(
    desk, db, django_capture_on_commit_callbacks
):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["First name", "Last name", "Email", "Headline", "Seniority", "Day rate", "Available from"]
    )
    sheet.append(["Ada", "Lovelace", "ada@example.org", "Data scientist", "Expert", 900, None])
    sheet.append(["Alan", "Turing", '=HYPERLINK("x")', "Cryptographer", "Senior", 800, None])
    buffer = io.BytesIO()
    book.save(buffer)
    job = import_file(desk, buffer.getvalue(), "pool.xlsx", django_capture_on_commit_callbacks)
    assert list(Candidate.objects.values_list("last_name", flat=True)) == ["Lovelace"]
    assert job.report[0]["messages"] == [
        "Email: this cell holds a formula; import its value instead."
    ]


def test_the_progress_page_shows_the_counts_after_a_reload(
    desk, db, django_capture_on_commit_callbacks
):
    job = import_file(desk, FRENCH_CSV, "profils.csv", django_capture_on_commit_callbacks)
    response = desk.get(reverse("candidates:import_progress", args=[job.pk]))
    assert "2 profiles created" in response.text
    assert "1 skipped, already in the pool" in response.text
    assert "1 row with errors" in response.text
    assert 'value="4"' in response.text


def test_a_running_import_s_page_polls_for_its_progress(desk, db):
    job = ImportJob.objects.create(
        original_name="x.csv", status=ImportStatus.RUNNING, total_rows=200, rows_done=50
    )
    response = desk.get(reverse("candidates:import_progress", args=[job.pk]))
    assert 'data-hx-trigger="every 2s"' in response.text
    assert "50 of 200 rows (25 %)" in response.text


def test_the_progress_page_takes_the_same_number_of_queries_with_1_and_20_report_rows(desk, db):
    def job_with(rows):
        report = [
            {"row": n, "kind": "error", "messages": ["x"], "profile": None} for n in range(rows)
        ]
        job = ImportJob.objects.create(
            original_name="x.csv", status=ImportStatus.DONE, report=report
        )
        return reverse("candidates:import_progress", args=[job.pk])

    assert count_queries(desk, job_with(1)) == count_queries(desk, job_with(20))


@pytest.mark.slow
def test_a_10000_row_file_is_imported_by_the_task(desk, db, django_capture_on_commit_callbacks):
    lines = ["Prénom;Nom;Email;Téléphone;Ville;Titre;Séniorité;TJM"]
    for index in range(10_000):
        email = f"dev{index}@example.fr" if index % 50 else "not-an-email"  # 2 % broken
        lines.append(f"Dev{index};Nom{index};{email};;Lyon;Développeur;Senior;500")
    lines += lines[1:301]  # 300 repeated rows
    job = import_file(
        desk, "\n".join(lines).encode(), "big.csv", django_capture_on_commit_callbacks
    )
    assert (job.total_rows, job.rows_done) == (10_300, 10_300)
    assert (job.created_count, job.error_count) == (9_800, 206)
    assert job.skipped_count == 294
    assert Candidate.objects.count() == 9_800


def test_the_report_speaks_the_language_of_who_started_the_import(
    db, recruiter, django_capture_on_commit_callbacks
):
    csv_file = "Prénom;Nom;Email;Titre;Séniorité;TJM\nZoé;Martin;pas-un-email;Dev;Senior;500\n"
    job = imports.create_job(upload=SimpleUploadedFile("f.csv", csv_file.encode()), by=recruiter)
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        imports.start_import(job=job, mapping=job.mapping, by=recruiter)
    job.refresh_from_db()
    assert job.report[0]["messages"] == ["E-mail: Saisissez une adresse e-mail valide."]

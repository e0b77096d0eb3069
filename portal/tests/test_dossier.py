"""The skills dossier (PDF): what it shows, what it never shows, who may download it."""

import io
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from candidates.models import CandidateSkill, Experience, Project
from interviews import services as interview_services
from interviews.models import Interview
from missions import services
from missions.models import Mission
from portal.cards import ExperienceLine, ProjectLine, SkillLine
from portal.dossier import SkillRow, skill_rows
from tests.factories import CandidateFactory, SkillFactory
from tests.queries import count_queries

# Values only the agency may read: none of them may be in the PDF.
HIDDEN = {
    "email": "octave.secret-mail@hidden.test",
    "phone": "07 99 88 77 66",
    "address": "42 impasse Cachée",
    "last name": "Zabrowski",
    "first name (the dossier shows the initials)": "Octave",
    "internal notes": "Negotiates hard, ask for 580",
    "soft-skill notes": "Private soft-skill remark",
    "project link": "github.com/ozabrowski",
    "freelancer's rate": "613",
    "margin": "177",
    "margin rate": "22.4",
    "interview internal notes": "Has another offer at Nantilus",
    "interview hard-skill notes": "Hesitated on Terraform state locking",
}
VISIBLE = [
    "O. Z.",
    "Kubernetes platform engineer",
    "Senior",
    "Lyon",
    "790 €/d",
    "excl. VAT",
    "Kubernetes",
    "6 yrs",
    "Go",
    "5 months",
    "SRE",
    "Telecom operator",
    "Migrated 40 services to GKE.",
    "Homelab operator",
    "A small operator for a home cluster.",
    "Six years of Kubernetes in production, on call included.",
    "Élodie Martin",
    "Transalp Logistique",
    "M-2026-00001",
]


@pytest.fixture
def profile(db):
    candidate = CandidateFactory(
        first_name="Octave",
        last_name="Zabrowski",
        email=HIDDEN["email"],
        phone=HIDDEN["phone"],
        address="42 impasse Cachée, 69009 Lyon",
        day_rate=613,
        internal_notes=HIDDEN["internal notes"],
        soft_skill_notes=HIDDEN["soft-skill notes"],
        headline="Kubernetes platform engineer",
        location="Lyon",
        available_from=date(2027, 3, 1),
    )
    kubernetes = SkillFactory(name="Kubernetes")
    CandidateSkill.objects.create(candidate=candidate, skill=kubernetes, years=6)
    experience = Experience.objects.create(
        candidate=candidate,
        company="Telecom operator",
        role="SRE",
        start=date(2019, 3, 1),
        end=date(2024, 6, 30),
        description="Migrated 40 services to GKE.",
    )
    experience.technologies.add(kubernetes)
    project = Project.objects.create(
        candidate=candidate,
        name="Homelab operator",
        context=Project.Context.PERSONAL,
        duration_months=5,
        description="A small operator for a home cluster.",
        link="https://github.com/ozabrowski/secret-repo",
    )
    project.technologies.add(SkillFactory(name="Go"))
    return candidate


@pytest.fixture
def sent_entry(mission_a, profile, recruiter):
    """Sent to alice's company at 790 €/day for a freelancer asking 613 (margin 177)."""
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=profile, by=recruiter, confirm_warnings=True
    )
    entry.report = "Six years of Kubernetes in production, on call included."
    entry.client_rate = 790
    entry.save()
    services.send_shortlist(mission=mission_a, by=recruiter)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def interview_with_private_notes(sent_entry, recruiter):
    interview = interview_services.schedule_interview(
        entry=sent_entry,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=1),
        recruiter=recruiter,
    )
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=3)
    )
    interview.refresh_from_db()
    return interview_services.record_feedback(
        interview=interview,
        by=recruiter,
        hard_skills_rating=4,
        hard_skills_notes=HIDDEN["interview hard-skill notes"],
        soft_skills_rating=5,
        verdict="go",
        internal_notes=HIDDEN["interview internal notes"],
    )


def pdf_text(response):
    """The text of every page, with the line breaks and runs of spaces made single spaces."""
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def download(client, user, entry, name="portal:dossier"):
    client.force_login(user)
    return client.get(reverse(name, args=[entry.pk]))


def test_the_dossier_shows_what_a_client_may_see(client, alice, sent_entry):
    response = download(client, alice, sent_entry)

    assert response.status_code == 200
    text = pdf_text(response)
    for value in VISIBLE:
        assert value in text, value


def test_the_dossier_shows_nothing_a_client_may_not_see(
    client, alice, sent_entry, interview_with_private_notes
):
    text = pdf_text(download(client, alice, sent_entry))

    for what, value in HIDDEN.items():
        assert value not in text, what


def test_the_recruiters_copy_is_the_clients_dossier(client, recruiter, sent_entry):
    text = pdf_text(download(client, recruiter, sent_entry, "missions:entry_dossier"))

    assert "Six years of Kubernetes in production, on call included." in text
    for what, value in HIDDEN.items():
        assert value not in text, what


def test_the_dossier_is_an_a4_download_that_no_cache_keeps(client, alice, sent_entry):
    response = download(client, alice, sent_entry)

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="skills-dossier-oz-m-2026-00001.pdf"'
    )
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)


@pytest.mark.french
def test_the_dossier_is_in_the_readers_language(client, alice, sent_entry):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    text = pdf_text(client.get(reverse("portal:dossier", args=[sent_entry.pk])))

    assert "790 €/j HT" in text
    assert "TJM PROPOSÉ" in text  # a label in capitals
    assert "1 mars 2027" in text
    assert "Compétences" in text


def test_a_long_career_runs_over_several_pages_with_every_experience(
    client, alice, sent_entry, profile
):
    for year in range(2000, 2019):
        Experience.objects.create(
            candidate=profile,
            company=f"Client of {year}",
            role="Platform engineer",
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            description="Ran the clusters of a payment platform. " * 6,
        )

    reader = PdfReader(io.BytesIO(download(client, alice, sent_entry).content))

    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "Client of 2000" in text
    assert "Client of 2018" in text


def test_another_companys_contact_gets_404(client, bob, sent_entry):
    assert download(client, bob, sent_entry).status_code == 404


def test_a_profile_not_sent_yet_is_a_404_for_the_client(
    client, alice, mission_a, recruiter, sent_entry
):
    draft = services.shortlist_candidate(
        mission=mission_a, candidate=CandidateFactory(), by=recruiter, confirm_warnings=True
    )

    assert download(client, alice, draft).status_code == 404
    assert download(client, recruiter, draft, "missions:entry_dossier").status_code == 200


def test_without_weasyprint_the_download_says_so_and_sends_back_to_the_profile(
    client, alice, sent_entry, monkeypatch
):
    # What a server without pango gives: the import fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    response = download(client, alice, sent_entry)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:entry", args=[sent_entry.pk])
    page = client.get(response["Location"])
    assert "The skills dossier cannot be produced on this server at the moment." in page.text


def test_the_app_starts_without_weasyprint():
    # A fresh interpreter where WeasyPrint cannot be imported loads every URL and view.
    code = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "import django; django.setup()\n"
        "from django.urls import reverse, get_resolver; get_resolver().url_patterns\n"
        "print(reverse('portal:dossier', args=[1]))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code],
        cwd=Path(settings.BASE_DIR),
        env={"DJANGO_SETTINGS_MODULE": "staffing.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/portal/profiles/1/dossier.pdf"


def test_the_dossier_is_drawn_in_a_constant_number_of_queries(client, alice, sent_entry, profile):
    client.force_login(alice)
    url = reverse("portal:dossier", args=[sent_entry.pk])
    one = count_queries(client, url)
    for n in range(19):
        experience = Experience.objects.create(
            candidate=profile, company=f"Company {n}", role="SRE", start=date(2010, 1, 1)
        )
        experience.technologies.add(SkillFactory(name=f"Tool {n}"))
        CandidateSkill.objects.create(candidate=profile, skill=SkillFactory(name=f"Lang {n}"))
        Project.objects.create(candidate=profile, name=f"Project {n}", duration_months=2)

    assert count_queries(client, url) == one


def test_the_shortlist_email_links_each_profiles_dossier_in_the_portal(
    mission_a, alice, recruiter, profile, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://desk.example.com"
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=profile, by=recruiter, confirm_warnings=True
    )
    entry.report = "Six years of Kubernetes in production."
    entry.client_rate = 790
    entry.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_shortlist(mission=mission_a, by=recruiter)

    (email,) = [m for m in mailoutbox if alice.email in m.to]
    assert (
        f"- Octave Z., Kubernetes platform engineer: "
        f"http://desk.example.com/portal/profiles/{entry.pk}/dossier.pdf"
    ) in email.body
    assert "Zabrowski" not in email.body


def test_the_portal_card_and_the_mission_page_link_the_dossier(
    client, alice, recruiter, sent_entry
):
    client.force_login(alice)
    card = client.get(reverse("portal:entry", args=[sent_entry.pk]))
    client.force_login(recruiter)
    desk = client.get(reverse("missions:detail", args=[sent_entry.mission_id]))

    assert f'href="/portal/profiles/{sent_entry.pk}/dossier.pdf"' in card.text
    assert f'href="/missions/entries/{sent_entry.pk}/dossier.pdf"' in desk.text


def test_skill_rows_add_the_months_of_projects_to_each_skill():
    card = type(
        "Card",
        (),
        {
            "skills": (SkillLine("Python", Decimal("4.5")), SkillLine("Django", Decimal(3))),
            "projects": (
                ProjectLine("Bot", "Personal", 6, "", ("python", "Rust")),
                ProjectLine("School app", "School", 4, "", ("Python", "Vue.js")),
                ProjectLine("Game", "Personal", 2, "", ("Rust",)),
            ),
            "experiences": (ExperienceLine("Dev", "Acme", date(2020, 1, 1), None, 12, "", ()),),
        },
    )

    assert skill_rows(card) == [
        SkillRow("Python", Decimal("4.5"), 10),
        SkillRow("Django", Decimal(3), 0),
        SkillRow("Rust", Decimal(0), 8),
        SkillRow("Vue.js", Decimal(0), 4),
    ]


def test_a_mission_reference_with_spaces_gives_a_plain_filename(client, alice, sent_entry):
    Mission.objects.filter(pk=sent_entry.mission_id).update(reference="REF 12/B")

    response = download(client, alice, sent_entry)

    assert response["Content-Disposition"] == (
        'attachment; filename="skills-dossier-oz-ref-12b.pdf"'
    )

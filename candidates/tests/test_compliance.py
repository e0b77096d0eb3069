"""R9 — compliance before contract: the documents a profile must hold by legal form, their
validity, who checked them, the selection refused without them (or with an audited
exception), the flags on the pages and the reminders before expiry."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidates import compliance, gdpr
from candidates import services as candidate_services
from candidates.models import (
    ComplianceDocument,
    ComplianceRequirement,
    DocumentType,
    LegalForm,
    PortageCompany,
)
from candidates.reminders import remind_expiring_documents
from missions import services
from missions.models import ComplianceException, EntryState, Event, MissionState, ShortlistEntry
from tests.factories import CandidateFactory
from tests.queries import count_queries

pytestmark = pytest.mark.compliance  # keep the seeded mandatory documents

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TODAY = date(2026, 12, 3)


def add(candidate, document_type, issued_on, *, by, checked=True, **holder):
    return candidate_services.add_compliance_document(
        by=by,
        candidate=None if holder else candidate,
        document_type=document_type,
        file=ContentFile(PDF, name="document.pdf"),
        issued_on=issued_on,
        checked=checked,
        today=issued_on,
        **holder,
    )


def complete(candidate, *, by, issued_on, skip=()):
    """Every document the micro-entrepreneur owes, issued on `issued_on`, but `skip`."""
    for document_type in ("urssaf", "registration", "insurance"):
        if document_type not in skip:
            add(candidate, document_type, issued_on, by=by)


def sent_entry(mission, candidate):
    mission.state = MissionState.SHORTLIST_SENT
    mission.save(update_fields=["state"])
    return ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        state=EntryState.SENT,
        slot=1,
        candidate_rate=550,
        client_rate=700,
        report="Strong Django.",
        sent_at=timezone.now(),
    )


@pytest.fixture
def micro(db):
    return CandidateFactory(
        first_name="Camille", last_name="Lefèvre", legal_form=LegalForm.MICRO, day_rate=550
    )


# ---------------------------------------------------------------- validity and requirements


def test_an_urssaf_attestation_issued_on_1_may_2026_expires_on_1_november_2026():
    assert candidate_services.expiry_of(DocumentType.URSSAF, date(2026, 5, 1)) == date(2026, 11, 1)


def test_an_attestation_holds_until_the_day_before_it_expires(micro, recruiter):
    complete(micro, by=recruiter, issued_on=date(2026, 5, 1))

    assert compliance.missing_documents(micro, day=date(2026, 10, 31)) == []
    assert compliance.missing_documents(micro, day=date(2026, 11, 1)) == [
        DocumentType.URSSAF,
        DocumentType.REGISTRATION,
    ]


def test_the_migration_seeds_the_documents_each_legal_form_owes(db):
    seeded = set(ComplianceRequirement.objects.values_list("legal_form", "document_type"))

    assert seeded == {
        ("micro", "urssaf"),
        ("micro", "registration"),
        ("micro", "insurance"),
        ("company", "urssaf"),
        ("company", "registration"),
        ("company", "insurance"),
        ("portage", "urssaf"),
        ("portage", "registration"),
        ("portage", "insurance"),
        ("portage", "portage_guarantee"),
    }


def test_a_document_not_checked_yet_does_not_count(micro, recruiter):
    complete(micro, by=recruiter, issued_on=date(2026, 11, 2), skip=["urssaf"])
    document = add(micro, "urssaf", date(2026, 11, 2), by=recruiter, checked=False)

    assert compliance.missing_documents(micro, day=TODAY) == [DocumentType.URSSAF]
    candidate_services.check_compliance_document(document=document, by=recruiter)
    assert compliance.missing_documents(micro, day=TODAY) == []
    document.refresh_from_db()
    assert document.checked_by == recruiter


def test_the_mandatory_documents_follow_the_admins_table(micro, recruiter):
    complete(micro, by=recruiter, issued_on=date(2026, 11, 2), skip=["insurance"])
    assert compliance.missing_documents(micro, day=TODAY) == [DocumentType.INSURANCE]

    ComplianceRequirement.objects.filter(legal_form="micro", document_type="insurance").delete()

    assert compliance.missing_documents(micro, day=TODAY) == []


def test_the_portage_companys_documents_count_for_its_freelancers(recruiter):
    company = PortageCompany.objects.create(name="Portage Plus")
    freelancer = CandidateFactory(legal_form=LegalForm.PORTAGE, portage_company=company)
    for document_type in ("urssaf", "registration", "insurance", "portage_guarantee"):
        add(None, document_type, date(2026, 11, 2), by=recruiter, portage_company=company)

    assert compliance.missing_documents(freelancer, day=TODAY) == []


def test_an_issue_date_in_the_future_is_refused(micro, recruiter):
    with pytest.raises(ValidationError) as refused:
        candidate_services.add_compliance_document(
            by=recruiter,
            candidate=micro,
            document_type="urssaf",
            file=ContentFile(PDF, name="a.pdf"),
            issued_on=date(2026, 12, 4),
            today=TODAY,
        )

    assert refused.value.code == "issued_in_future"
    assert ComplianceDocument.objects.count() == 0


# ---------------------------------------------------------------- the selection (R9)


def test_a_profile_with_an_expired_attestation_cannot_be_selected(micro, mission_a, recruiter):
    complete(micro, by=recruiter, issued_on=date(2026, 5, 1))  # expired on 1 Nov 2026
    entry = sent_entry(mission_a, micro)

    with pytest.raises(ValidationError) as refused:
        services.select_candidate(entry=entry, by=recruiter)

    assert refused.value.code == "compliance_missing"
    assert refused.value.messages == [
        "Camille Lefèvre cannot be selected: mandatory compliance documents are missing or "
        "expired (URSSAF attestation de vigilance, Company registration extract (Kbis / "
        "INSEE)). Upload them, or record an exception with its reason."
    ]
    entry.refresh_from_db()
    mission_a.refresh_from_db()
    assert (entry.state, mission_a.state) == (EntryState.SENT, MissionState.SHORTLIST_SENT)
    assert not hasattr(entry, "placement") or entry.placement is None


def test_after_uploading_a_valid_attestation_the_profile_can_be_selected(
    micro, mission_a, recruiter
):
    complete(micro, by=recruiter, issued_on=date(2026, 5, 1))
    entry = sent_entry(mission_a, micro)
    with pytest.raises(ValidationError):
        services.select_candidate(entry=entry, by=recruiter)

    today = timezone.localdate()
    for document_type in ("urssaf", "registration"):
        add(micro, document_type, today - timedelta(days=3), by=recruiter)
    services.select_candidate(entry=entry, by=recruiter)

    entry.refresh_from_db()
    assert entry.state == EntryState.SELECTED


def test_a_recorded_exception_lets_the_selection_through_and_is_audited(
    micro, mission_a, recruiter
):
    entry = sent_entry(mission_a, micro)

    services.select_candidate(
        entry=entry, by=recruiter, compliance_exception="Attestation promised for Monday."
    )

    entry.refresh_from_db()
    assert entry.state == EntryState.SELECTED
    exception = ComplianceException.objects.get(entry=entry)
    assert exception.author == recruiter
    assert exception.reason == "Attestation promised for Monday."
    assert exception.missing == (
        "URSSAF attestation de vigilance, Company registration extract (Kbis / INSEE), "
        "Professional liability insurance"
    )
    step = Event.objects.get(entry=entry, message="Compliance exception for Camille Lefèvre")
    assert step.author == recruiter
    assert "Reason: Attestation promised for Monday." in step.note


def test_the_desk_shows_what_is_missing_and_records_the_exception(
    client, micro, mission_a, recruiter
):
    entry = sent_entry(mission_a, micro)
    client.force_login(recruiter)
    url = reverse("missions:entry_select", args=[entry.pk])

    page = client.get(url).text
    refused = client.post(url, {})
    allowed = client.post(url, {"compliance_exception": "Renewal under way at the insurer."})

    assert "Compliance documents missing or expired:" in page
    assert "Professional liability insurance" in page
    assert refused.status_code == 200
    assert "cannot be selected: mandatory compliance documents" in refused.text
    assert allowed.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.SELECTED


def test_the_client_cannot_select_a_profile_missing_documents(client, micro, mission_a, alice):
    entry = sent_entry(mission_a, micro)
    client.force_login(alice)

    response = client.post(reverse("portal:select", args=[entry.pk]), {"note": ""})

    assert response.status_code == 200
    assert (
        "The agency is still collecting this freelancer&#x27;s contract documents" in response.text
    )
    assert "record an exception" not in response.text
    entry.refresh_from_db()
    assert entry.state == EntryState.SENT


# ---------------------------------------------------------------- flags on the pages


def test_the_shortlist_flags_a_profile_missing_documents(client, micro, mission_a, recruiter):
    complete(micro, by=recruiter, issued_on=date(2026, 5, 1))
    sent_entry(mission_a, micro)
    client.force_login(recruiter)

    html = client.get(mission_a.get_absolute_url()).text

    assert "Compliance documents missing or expired:" in html
    assert "URSSAF attestation de vigilance, Company registration extract (Kbis / INSEE)" in html


def test_the_profile_and_the_dashboard_flag_missing_documents(client, micro, mission_a, recruiter):
    sent_entry(mission_a, micro)
    client.force_login(recruiter)

    profile = client.get(micro.get_absolute_url()).text
    dashboard = client.get(reverse("missions:dashboard")).text

    assert "Compliance documents missing or expired:" in profile
    assert "Compliance documents to collect" in dashboard
    assert reverse("candidates:documents", args=[micro.pk]) in dashboard


def test_the_mission_page_costs_the_same_queries_with_1_and_4_profiles_flagged(
    client, mission_a, recruiter
):
    client.force_login(recruiter)
    sent_entry(mission_a, CandidateFactory())
    with_one = count_queries(client, mission_a.get_absolute_url())
    for slot in (2, 3, 4):
        ShortlistEntry.objects.create(
            mission=mission_a,
            candidate=CandidateFactory(),
            state=EntryState.SENT,
            slot=slot,
            candidate_rate=500,
            sent_at=timezone.now(),
        )

    assert count_queries(client, mission_a.get_absolute_url()) == with_one


# ---------------------------------------------------------------- upload and download


def upload(client, candidate, **fields):
    data = {
        "holder": "profile",
        "document_type": "urssaf",
        "file": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        "issued_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "checked": "on",
        **fields,
    }
    return client.post(reverse("candidates:documents", args=[candidate.pk]), data)


def test_an_uploaded_attestation_is_stored_privately_with_its_expiry_and_checker(
    client, micro, recruiter
):
    client.force_login(recruiter)

    response = upload(client, micro, issued_on="2026-05-01")

    assert response.status_code == 302
    document = ComplianceDocument.objects.get(candidate=micro)
    assert (document.issued_on, document.expires_on) == (date(2026, 5, 1), date(2026, 11, 1))
    assert document.checked_by == recruiter
    assert document.file.name.startswith("compliance/")
    download = client.get(reverse("candidates:document_file", args=[document.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_with_a_message(client, micro, recruiter):
    client.force_login(recruiter)

    response = upload(
        client, micro, file=SimpleUploadedFile("a.pdf", b"MZ\x90\x00", content_type="x")
    )

    assert response.status_code == 200
    assert "Upload a PDF, a JPEG or a PNG file." in response.text
    assert ComplianceDocument.objects.count() == 0


# ---------------------------------------------------------------- reminders before expiry


def test_the_recruiter_is_told_once_when_a_document_expires_within_30_days(
    micro, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    micro.owner = recruiter
    micro.save(update_fields=["owner"])
    add(micro, "urssaf", date(2026, 6, 20), by=recruiter)  # expires 20 Dec 2026
    add(micro, "insurance", date(2026, 6, 20), by=recruiter)  # expires 20 Jun 2027
    now = timezone.make_aware(timezone.datetime(2026, 12, 3, 8))

    with django_capture_on_commit_callbacks(execute=True):
        first = remind_expiring_documents(now=now)
        again = remind_expiring_documents(now=now)

    assert (first, again) == (1, 0)
    assert mailoutbox[0].to == [recruiter.email]
    assert mailoutbox[0].subject == (
        "URSSAF attestation de vigilance of Camille Lefèvre expires soon"
    )
    assert "expires in 17 days, on 20 December 2026" in mailoutbox[0].body


def test_a_document_already_replaced_is_not_reminded(micro, recruiter):
    add(micro, "urssaf", date(2026, 6, 20), by=recruiter)
    add(micro, "urssaf", date(2026, 11, 30), by=recruiter)
    now = timezone.make_aware(timezone.datetime(2026, 12, 3, 8))

    assert remind_expiring_documents(now=now) == 0


def test_anonymising_a_profile_deletes_its_compliance_documents_and_their_files(
    micro, recruiter, django_capture_on_commit_callbacks
):
    document = add(micro, "urssaf", date(2026, 11, 2), by=recruiter)
    storage, name = document.file.storage, document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        gdpr.anonymise_candidate(candidate=micro, by=recruiter)

    assert ComplianceDocument.objects.filter(candidate=micro).count() == 0
    assert not storage.exists(name)

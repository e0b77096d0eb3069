"""Merging two profiles of one person: everything of the absorbed profile moves onto the
kept one, the absorbed one is anonymised and archived, and a merge that would break a rule
is refused with the reason."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from candidates import services as candidate_services
from candidates.merging import merge_profiles
from candidates.models import (
    Candidate,
    CandidateSkill,
    CvSkillSuggestion,
    CvText,
    DocumentType,
    Experience,
    Project,
)
from interviews import services as interview_services
from missions import services
from missions.models import EntryState, Event, Placement, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, SkillFactory, place
from tests.queries import count_queries

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def keep(db):
    return CandidateFactory(
        first_name="Camille",
        last_name="Lefèvre",
        email="camille.lefevre@mail.test",
        phone="",
        address="",
        location="Lyon",
        internal_notes="Met at a meetup.",
    )


@pytest.fixture
def absorb(db):
    return CandidateFactory(
        first_name="Camille",
        last_name="Lefevre",
        email="c.lefevre@other.test",
        phone="06 98 76 54 32",
        address="3 quai Saint-Antoine, 69002 Lyon",
        location="Paris",
        internal_notes="Imported from the 2024 spreadsheet.",
    )


def shortlisted(mission, candidate, recruiter, *, send=False):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    if send:
        entry.report = "Knows the domain."
        entry.client_rate = 700
        entry.save(update_fields=["report", "client_rate"])
        services.send_shortlist(mission=mission, by=recruiter)
        entry.refresh_from_db()
    return entry


def closed(entry, recruiter):
    return services.withdraw_entry(entry=entry, by=recruiter, reason="availability")


def test_merge_moves_processes_interviews_and_the_timeline(keep, absorb, recruiter, client_a):
    mission = MissionFactory(client=client_a, reference="M-2027-001", budget=900)
    entry = shortlisted(mission, absorb, recruiter, send=True)
    interview = interview_services.schedule_interview(
        entry=entry,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=3),
        recruiter=recruiter,
    )

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    entry.refresh_from_db()
    assert entry.candidate_id == keep.pk
    assert interview.entry.pk == entry.pk
    assert list(keep.shortlist_entries.values_list("mission__reference", flat=True)) == [
        "M-2027-001"
    ]
    # "added to the shortlist", "sent", "interview scheduled"… now on the kept profile.
    assert Event.objects.filter(candidate=absorb, mission=mission).count() == 0
    assert Event.objects.filter(candidate=keep, mission=mission).count() >= 2


def test_merge_moves_documents_cv_downloads_experiences_and_projects(
    keep, absorb, recruiter, settings
):
    candidate_services.add_compliance_document(
        by=recruiter,
        candidate=absorb,
        document_type=DocumentType.URSSAF,
        file=ContentFile(PDF, name="attestation.pdf"),
        issued_on=date.today() - timedelta(days=10),
    )
    candidate_services.record_cv_download(candidate=absorb, by=recruiter)
    Experience.objects.create(
        candidate=absorb, company="Decathlon", role="Développeuse", start=date(2021, 1, 1)
    )
    Project.objects.create(candidate=absorb, name="Bibliothèque", context="school")

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert list(keep.compliance_documents.values_list("document_type", flat=True)) == ["urssaf"]
    assert keep.cv_downloads.count() == 1
    assert list(keep.experiences.values_list("company", flat=True)) == ["Decathlon"]
    assert list(keep.projects.values_list("name", flat=True)) == ["Bibliothèque"]


def test_pool_memberships_move_and_a_pool_both_are_in_holds_the_kept_profile_once(
    keep, absorb, recruiter
):
    lyon = candidate_services.create_pool(name="Lyon Java", by=recruiter)
    autumn = candidate_services.create_pool(name="To call in September", by=recruiter)
    candidate_services.add_to_pool(pool=lyon, candidates=[keep, absorb], by=recruiter)
    candidate_services.add_to_pool(pool=autumn, candidates=[absorb], by=recruiter)

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert sorted(keep.pools.values_list("name", flat=True)) == [
        "Lyon Java",
        "To call in September",
    ]
    assert list(lyon.profiles.all()) == [keep]
    assert absorb.pools.count() == 0


def test_a_cv_moves_when_the_kept_profile_has_none(keep, absorb, recruiter):
    absorb.cv.save("cv-camille.pdf", ContentFile(PDF))
    name = absorb.cv.name

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    keep.refresh_from_db()
    assert keep.cv.name == name
    assert keep.cv.storage.exists(name)


def test_the_cvs_text_and_suggestions_move_with_it(keep, absorb, recruiter):
    absorb.cv.save("cv-camille.pdf", ContentFile(PDF))
    kotlin = SkillFactory(name="Kotlin")
    CvText.objects.create(
        candidate=absorb, cv_name=absorb.cv.name, status=CvText.Status.READ, text="Kotlin"
    )
    CvSkillSuggestion.objects.create(candidate=absorb, skill=kotlin)

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert CvText.objects.get(candidate=keep).text == "Kotlin"
    assert list(keep.cv_skill_suggestions.values_list("skill__name", flat=True)) == ["Kotlin"]
    assert not CvText.objects.filter(candidate=absorb).exists()


def test_a_skill_both_hold_keeps_the_higher_years_and_level(keep, absorb, recruiter):
    python, django = SkillFactory(name="Python"), SkillFactory(name="Django")
    CandidateSkill.objects.create(candidate=keep, skill=python, years=Decimal("2.0"), level=3)
    CandidateSkill.objects.create(candidate=absorb, skill=python, years=Decimal("6.5"), level=2)
    CandidateSkill.objects.create(candidate=absorb, skill=django, years=Decimal("1.5"), level=4)

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert sorted(keep.skills.values_list("skill__name", "years", "level")) == [
        ("Django", Decimal("1.5"), 4),
        ("Python", Decimal("6.5"), 3),
    ]


def test_empty_fields_of_the_kept_profile_are_filled_and_notes_joined(keep, absorb, recruiter):
    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    keep.refresh_from_db()
    assert keep.email == "camille.lefevre@mail.test"
    assert keep.phone == "06 98 76 54 32"
    assert keep.address == "3 quai Saint-Antoine, 69002 Lyon"
    assert keep.location == "Lyon"
    assert keep.internal_notes == "Met at a meetup.\n\nImported from the 2024 spreadsheet."


def test_the_absorbed_profile_is_anonymised_archived_and_points_to_the_kept_one(
    keep, absorb, recruiter
):
    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    absorb.refresh_from_db()
    assert absorb.merged_into_id == keep.pk
    assert absorb.first_name == "Anonymised"
    assert absorb.email == ""
    assert absorb.archived_at is not None
    assert absorb.anonymised_at is not None
    assert absorb.skills.count() == 0


def test_the_merge_is_a_step_on_both_timelines(keep, absorb, recruiter):
    absorb_pk = absorb.pk
    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    kept_step = Event.objects.get(candidate=keep, subject="profile")
    absorbed_step = Event.objects.get(candidate=absorb, subject="profile")
    assert kept_step.mission is None
    assert kept_step.text == f"Camille Lefevre (profile #{absorb_pk}) merged into this profile"
    assert absorbed_step.text == f"Merged into Camille Lefèvre (profile #{keep.pk})"
    assert kept_step.author == recruiter


def test_merge_is_refused_when_both_profiles_are_active_on_one_mission(
    keep, absorb, recruiter, client_a
):
    mission = MissionFactory(client=client_a, reference="M-2027-002", budget=900)
    shortlisted(mission, keep, recruiter)
    shortlisted(mission, absorb, recruiter)

    with pytest.raises(ValidationError) as refusal:
        merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert refusal.value.code == "both_on_mission"
    assert refusal.value.messages == [
        "Both profiles are active on M-2027-002: a profile appears once per mission. "
        "Close one of the two processes first."
    ]
    absorb.refresh_from_db()
    assert absorb.merged_into_id is None
    assert absorb.anonymised_at is None
    assert ShortlistEntry.objects.filter(candidate=absorb).count() == 1


def test_merge_is_refused_when_only_the_absorbed_process_is_still_active(
    keep, absorb, recruiter, client_a
):
    mission = MissionFactory(client=client_a, reference="M-2027-003", budget=900)
    closed(shortlisted(mission, keep, recruiter), recruiter)
    shortlisted(mission, absorb, recruiter)

    with pytest.raises(ValidationError) as refusal:
        merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert refusal.value.code == "both_on_mission"
    assert "keep the other profile instead" in refusal.value.messages[0]


def test_a_closed_process_on_a_shared_mission_stays_with_the_absorbed_profile(
    keep, absorb, recruiter, client_a
):
    mission = MissionFactory(client=client_a, reference="M-2027-004", budget=900)
    kept_entry = shortlisted(mission, keep, recruiter)
    absorbed_entry = closed(shortlisted(mission, absorb, recruiter), recruiter)

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    kept_entry.refresh_from_db()
    absorbed_entry.refresh_from_db()
    assert kept_entry.candidate_id == keep.pk
    assert absorbed_entry.candidate_id == absorb.pk
    assert absorbed_entry.state == EntryState.WITHDRAWN


def placed(candidate, client, start, reference):
    mission = MissionFactory(
        client=client, reference=reference, start_date=start, duration_months=3, budget=900
    )
    entry = ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        state=EntryState.SELECTED,
        slot=1,
        candidate_rate=550,
        client_rate=700,
        sent_at=timezone.now(),
    )
    return place(entry)


def test_merge_is_refused_when_the_two_profiles_are_placed_over_the_same_days(
    keep, absorb, recruiter, client_a, client_b
):
    placed(keep, client_a, date(2027, 1, 4), "M-2027-010")
    placed(absorb, client_b, date(2027, 2, 1), "M-2027-011")

    with pytest.raises(ValidationError) as refusal:
        merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert refusal.value.code == "placements_overlap"
    assert refusal.value.messages == [
        "The two profiles are placed over the same days (M-2027-010 and M-2027-011): "
        "one placement at a time."
    ]
    assert Placement.objects.filter(candidate=absorb).count() == 1


def test_placements_one_after_the_other_move_onto_the_kept_profile(
    keep, absorb, recruiter, client_a, client_b
):
    placed(keep, client_a, date(2027, 1, 4), "M-2027-012")
    placed(absorb, client_b, date(2027, 6, 1), "M-2027-013")

    merge_profiles(keep=keep, absorb=absorb, by=recruiter)

    assert sorted(keep.placements.values_list("mission__reference", flat=True)) == [
        "M-2027-012",
        "M-2027-013",
    ]


def test_a_profile_cannot_be_merged_with_itself(keep, recruiter):
    with pytest.raises(ValidationError) as refusal:
        merge_profiles(keep=keep, absorb=keep, by=recruiter)

    assert refusal.value.code == "same_profile"


def test_a_profile_already_merged_cannot_be_merged_again(keep, absorb, recruiter):
    merge_profiles(keep=keep, absorb=absorb, by=recruiter)
    absorb.refresh_from_db()

    with pytest.raises(ValidationError) as refusal:
        merge_profiles(keep=CandidateFactory(), absorb=absorb, by=recruiter)

    assert refusal.value.code == "profile_anonymised"


def test_every_link_to_a_profile_is_known_to_the_merge():
    """A new model pointing at profiles must be handled by `merge_profiles` (moved, or left
    with the absorbed profile on purpose), then added here."""
    links = {
        f"{rel.related_model._meta.label}.{rel.field.name}"
        for rel in Candidate._meta.related_objects
    }
    assert links == {
        "candidates.CandidateSkill.candidate",
        "candidates.Experience.candidate",
        "candidates.Project.candidate",
        "candidates.CvDownload.candidate",
        "candidates.PoolMembership.candidate",
        "candidates.TalentPool.profiles",  # through PoolMembership
        "candidates.ComplianceDocument.candidate",
        "candidates.CvText.candidate",  # with the CV, when it moves
        "candidates.CvSkillSuggestion.candidate",  # with the CV, when it moves
        "missions.ShortlistEntry.candidate",
        "missions.Placement.candidate",
        "missions.Event.candidate",
    }


# ------------------------------------------------------------------ the desk's pages


@pytest.fixture
def gdpr_recruiter(recruiter):
    recruiter.user_permissions.add(Permission.objects.get(codename="handle_personal_data"))
    return recruiter


def test_the_merge_page_finds_the_duplicate_by_name(client, gdpr_recruiter, keep, absorb):
    client.force_login(gdpr_recruiter)

    response = client.get(reverse("candidates:merge", args=[keep.pk]), {"q": "Lefevre"})

    assert response.status_code == 200
    assert [c.pk for c in response.context["choices"]] == [absorb.pk]


def test_the_merge_page_shows_what_moves_side_by_side(
    client, gdpr_recruiter, keep, absorb, client_a
):
    shortlisted(MissionFactory(client=client_a, budget=900), absorb, gdpr_recruiter)
    client.force_login(gdpr_recruiter)

    response = client.get(reverse("candidates:merge", args=[keep.pk]), {"other": absorb.pk})

    assert response.status_code == 200
    assert response.context["preview"]["Processes (shortlist entries)"] == (0, 1)
    assert b"06 98 76 54 32" in response.content


def test_confirming_merges_and_goes_to_the_kept_profile(client, gdpr_recruiter, keep, absorb):
    client.force_login(gdpr_recruiter)

    response = client.post(
        reverse("candidates:merge_confirm", args=[keep.pk]), {"other": absorb.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == keep.get_absolute_url()
    assert Candidate.objects.get(pk=absorb.pk).merged_into_id == keep.pk


def test_a_refused_merge_shows_the_reason_and_changes_nothing(
    client, gdpr_recruiter, keep, absorb, client_a
):
    mission = MissionFactory(client=client_a, reference="M-2027-005", budget=900)
    shortlisted(mission, keep, gdpr_recruiter)
    shortlisted(mission, absorb, gdpr_recruiter)
    client.force_login(gdpr_recruiter)

    response = client.post(
        reverse("candidates:merge_confirm", args=[keep.pk]), {"other": absorb.pk}, follow=True
    )

    assert b"Both profiles are active on M-2027-005" in response.content
    assert Candidate.objects.get(pk=absorb.pk).merged_into_id is None


def test_the_merge_page_runs_as_many_queries_for_one_process_as_for_twenty(
    client, gdpr_recruiter, keep, absorb, client_a
):
    client.force_login(gdpr_recruiter)
    url = reverse("candidates:merge", args=[keep.pk]) + f"?other={absorb.pk}"
    shortlisted(MissionFactory(client=client_a, budget=900), absorb, gdpr_recruiter)
    with_one = count_queries(client, url)
    for _n in range(19):
        mission = MissionFactory(client=client_a, budget=900)
        ShortlistEntry.objects.create(
            mission=mission, candidate=absorb, state="declined", candidate_rate=550
        )

    assert count_queries(client, url) == with_one


def test_the_admin_action_leads_to_the_desks_confirmation_keeping_the_older_profile(
    client, admin_user, keep, absorb
):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "merge_two_profiles", "_selected_action": [absorb.pk, keep.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/profiles/{keep.pk}/merge/?other={absorb.pk}"
    assert Candidate.objects.get(pk=absorb.pk).merged_into_id is None


def test_the_admin_action_asks_for_exactly_two_profiles(client, admin_user, keep):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "merge_two_profiles", "_selected_action": [keep.pk]},
        follow=True,
    )

    assert b"Select exactly two profiles to merge." in response.content

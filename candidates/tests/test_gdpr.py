"""GDPR (R5): export all that is held on a person, anonymise it keeping the anonymous history,
and find the profiles kept past the retention period."""

import io
import json
import logging
from datetime import date, datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from candidates import gdpr
from candidates.models import Candidate, Experience, Project
from interviews import services as interview_services
from interviews.models import Interview
from missions import services
from missions.models import EntryState, Event, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, SkillFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CHANGELIST = reverse("admin:candidates_candidate_changelist")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def shortlist(mission, candidate, recruiter, *, send=True):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    entry.report = f"{candidate.first_name} {candidate.last_name} knows logistics."
    entry.client_rate = 700
    entry.save(update_fields=["report", "client_rate"])
    if send:
        services.send_shortlist(mission=mission, by=recruiter)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def history(candidate, mission_a, recruiter):
    """Camille's full record: skills, an experience, a project, a CV, and a closed process
    with an interview and its feedback (nothing under way any more)."""
    candidate.skills.create(skill=SkillFactory(name="Django"), years=6, level=4)
    experience = Experience.objects.create(
        candidate=candidate,
        company="Transalp",
        role="Back-end developer",
        start=date(2019, 1, 1),
        end=date(2023, 6, 30),
        description="Led the Camille Lefèvre rewrite of the routing engine.",
    )
    experience.technologies.add(SkillFactory(name="Django"))
    Project.objects.create(
        candidate=candidate,
        name="Route planner",
        context=Project.Context.PERSONAL,
        link="https://github.com/camille-lefevre/routes",
    )
    candidate.languages = "French, English"
    candidate.soft_skill_notes = "Calm, explains well."
    candidate.consent_on = date(2025, 3, 1)
    candidate.cv.save("cv-camille.pdf", ContentFile(PDF))
    entry = shortlist(mission_a, candidate, recruiter)
    interview = interview_services.schedule_interview(
        entry=entry, by=recruiter, scheduled_at=timezone.now() - timedelta(days=3)
    )
    interview_services.record_feedback(
        interview=interview,
        by=recruiter,
        hard_skills_rating=4,
        soft_skills_rating=2,
        verdict="no_go",
        hard_skills_notes="Lefèvre is solid on Django.",
        summary="Camille lacked domain knowledge.",
        causes=["soft_skills"],
    )
    services.mark_not_retained(entry=entry, by=recruiter, reason="soft_skills")
    candidate.refresh_from_db()
    return candidate


def export_of(candidate):
    return gdpr.export_candidate(gdpr.export_queryset().get(pk=candidate.pk))


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def run_admin_action(admin_client, action, *candidates, follow=False, **extra):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in candidates], **extra},
        follow=follow,
    )


# ---------------------------------------------------------------- export


def test_the_export_holds_identity_contact_skills_experiences_projects_and_cv(history):
    exported = export_of(history)

    profile = exported["profile"]
    assert (profile["first_name"], profile["last_name"]) == ("Camille", "Lefèvre")
    assert profile["email"] == history.email
    assert profile["phone"] and profile["address"] and profile["languages"]
    assert profile["consent_on"] == date(2025, 3, 1)
    assert profile["cv"] == history.cv.name
    assert [row["skill"] for row in exported["skills"]] == ["Django"]
    assert exported["experiences"][0]["company"] == "Transalp"
    assert exported["experiences"][0]["technologies"] == ["Django"]
    assert exported["projects"][0]["link"] == "https://github.com/camille-lefevre/routes"


def test_the_export_holds_shortlists_with_missions_interviews_feedback_and_timeline(
    history, mission_a
):
    exported = export_of(history)

    (entry,) = exported["shortlist_entries"]
    assert entry["mission"]["reference"] == mission_a.reference
    assert entry["mission"]["client"] == mission_a.client.name
    assert entry["state"] == EntryState.NOT_RETAINED
    assert "knows logistics" in entry["report"]
    (interview,) = entry["interviews"]
    assert interview["hard_skills_rating"] == 4
    assert interview["summary"] == "Camille lacked domain knowledge."
    assert interview["failure_causes"] == ["soft_skills"]
    assert len(exported["timeline"]) == Event.objects.filter(candidate=history).count() > 0
    assert {event["mission"] for event in exported["timeline"]} == {mission_a.reference}


def test_the_export_reads_in_the_same_number_of_queries_however_long_the_history(
    candidate, recruiter, client_a
):
    def queries():
        with CaptureQueriesContext(connection) as context:
            gdpr.export_json(gdpr.export_queryset().filter(pk=candidate.pk))
        return len(context)

    shortlist(MissionFactory(client=client_a), candidate, recruiter)
    small = queries()
    for _ in range(3):
        shortlist(MissionFactory(client=client_a), candidate, recruiter)
    assert queries() == small


def test_the_export_command_prints_the_json_and_logs_the_export(history, caplog):
    out = io.StringIO()

    with caplog.at_level(logging.INFO, logger="staffing.gdpr"):
        call_command("export_candidate", str(history.pk), stdout=out)

    exported = json.loads(out.getvalue())
    assert exported["id"] == history.pk
    assert exported["profile"]["email"] == history.email
    (record,) = [r for r in caplog.records if r.name == "staffing.gdpr"]
    assert record.candidate_id == history.pk


def test_the_export_command_refuses_an_unknown_profile(db):
    with pytest.raises(CommandError):
        call_command("export_candidate", "999999", stdout=io.StringIO())


def test_the_admin_downloads_the_export_as_a_json_file(admin_client, history):
    response = run_admin_action(admin_client, "export_as_json", history)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="profile-{history.pk}.json"'
    assert json.loads(response.content)["profile"]["email"] == history.email


# ---------------------------------------------------------------- anonymisation


def test_anonymising_wipes_identity_contact_notes_and_deletes_the_cv(
    history, django_capture_on_commit_callbacks
):
    cv_name, storage = history.cv.name, history.cv.storage

    with django_capture_on_commit_callbacks(execute=True):
        gdpr.anonymise_candidate(candidate=history)

    history.refresh_from_db()
    assert (history.first_name, history.last_name) == ("Anonymised", f"#{history.pk}")
    for field in ("email", "phone", "address", "languages", "soft_skill_notes", "internal_notes"):
        assert getattr(history, field) == "", field
    assert not history.cv
    assert not storage.exists(cv_name)
    assert list(history.experiences.values_list("description", flat=True)) == [""]
    assert list(history.projects.values_list("link", flat=True)) == [""]
    assert history.anonymised_at is not None
    assert history.archived_at is not None, "an anonymised profile leaves the list and matching"


def test_anonymising_keeps_skills_rates_and_the_history(history):
    entry = history.shortlist_entries.get()
    before = {
        "skills": list(history.skills.values_list("skill__name", "years", "level")),
        "profile": (history.seniority, history.day_rate, history.channel, history.headline),
        "entry": (entry.state, entry.candidate_rate, entry.client_rate, entry.end_reason),
        "interviews": list(
            Interview.objects.filter(entry=entry).values_list("verdict", "hard_skills_rating")
        ),
        "events": Event.objects.filter(candidate=history).count(),
        "experiences": list(history.experiences.values_list("company", "role", "start")),
    }

    gdpr.anonymise_candidate(candidate=history)

    history.refresh_from_db()
    entry.refresh_from_db()
    assert before == {
        "skills": list(history.skills.values_list("skill__name", "years", "level")),
        "profile": (history.seniority, history.day_rate, history.channel, history.headline),
        "entry": (entry.state, entry.candidate_rate, entry.client_rate, entry.end_reason),
        "interviews": list(
            Interview.objects.filter(entry=entry).values_list("verdict", "hard_skills_rating")
        ),
        "events": Event.objects.filter(candidate=history).count(),
        "experiences": list(history.experiences.values_list("company", "role", "start")),
    }


def test_the_kept_history_no_longer_names_the_person(history):
    gdpr.anonymise_candidate(candidate=history)

    events = Event.objects.filter(candidate=history)
    texts = [
        *events.values_list("message", "note"),
        *[(str(event.message_params), event.text) for event in events],
        *ShortlistEntry.objects.filter(candidate=history).values_list("report", "end_note"),
        *Interview.objects.filter(entry__candidate=history).values_list(
            "hard_skills_notes", "summary"
        ),
    ]
    text = " ".join(value for row in texts for value in row)
    assert "Camille" not in text and "Lefèvre" not in text
    assert f"Anonymised #{history.pk} knows logistics." in text


def test_anonymising_is_recorded_in_the_admin_history_and_the_audit_log(
    history, admin_user, caplog
):
    with caplog.at_level(logging.INFO, logger="staffing.gdpr"):
        gdpr.anonymise_candidate(candidate=history, by=admin_user)

    entry = LogEntry.objects.get(object_id=str(history.pk), user=admin_user)
    assert entry.change_message == "Anonymised"
    assert [r.candidate_id for r in caplog.records if r.name == "staffing.gdpr"] == [history.pk]


def test_a_profile_in_a_process_under_way_is_not_anonymised(candidate, mission_a, recruiter):
    shortlist(mission_a, candidate, recruiter)

    with pytest.raises(ValidationError) as refused:
        gdpr.anonymise_candidate(candidate=candidate)

    assert refused.value.code == "process_in_progress"
    assert mission_a.reference in refused.value.messages[0]
    candidate.refresh_from_db()
    assert candidate.first_name == "Camille" and candidate.anonymised_at is None


def placed(candidate, recruiter, client, *, start):
    mission = MissionFactory(client=client, start_date=start, duration_months=3)
    entry = shortlist(mission, candidate, recruiter)
    services.select_candidate(entry=entry, by=recruiter)
    return mission


def test_a_current_placement_keeps_the_profile_but_an_ended_one_does_not(recruiter, client_a):
    on_mission = CandidateFactory()
    placed(on_mission, recruiter, client_a, start=date.today() - timedelta(days=30))
    mission_over = CandidateFactory()
    placed(mission_over, recruiter, client_a, start=date.today() - timedelta(days=200))

    with pytest.raises(ValidationError):
        gdpr.anonymise_candidate(candidate=on_mission)
    gdpr.anonymise_candidate(candidate=mission_over)

    mission_over.refresh_from_db()
    assert mission_over.anonymised_at is not None


def test_anonymising_twice_is_refused(history):
    gdpr.anonymise_candidate(candidate=history)

    with pytest.raises(ValidationError) as refused:
        gdpr.anonymise_candidate(candidate=history)
    assert refused.value.code == "already_anonymised"


def test_the_anonymise_command_anonymises_or_says_why_not(history, mission_b, recruiter):
    out = io.StringIO()
    call_command("anonymise_candidate", str(history.pk), "--no-input", stdout=out)
    busy = CandidateFactory()
    shortlist(mission_b, busy, recruiter)

    assert f"#{history.pk} anonymised" in out.getvalue()
    assert Candidate.objects.get(pk=history.pk).anonymised_at is not None
    with pytest.raises(CommandError, match=mission_b.reference):
        call_command("anonymise_candidate", str(busy.pk), "--no-input", stdout=io.StringIO())


def test_the_anonymise_command_asks_first(history, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda question: "no")

    with pytest.raises(CommandError):
        call_command("anonymise_candidate", str(history.pk), stdout=io.StringIO())
    assert Candidate.objects.get(pk=history.pk).anonymised_at is None


def test_the_admin_action_asks_for_confirmation_then_anonymises(admin_client, history):
    asked = run_admin_action(admin_client, "anonymise_profiles", history)

    assert asked.status_code == 200
    assert "admin/candidates/candidate/anonymise_confirmation.html" in [
        t.name for t in asked.templates
    ]
    assert Candidate.objects.get(pk=history.pk).anonymised_at is None

    done = run_admin_action(admin_client, "anonymise_profiles", history, confirm="yes")

    assert done.status_code == 302
    assert Candidate.objects.get(pk=history.pk).anonymised_at is not None


def test_the_admin_action_reports_a_refusal_and_anonymises_the_others(
    admin_client, history, mission_b, recruiter
):
    busy = CandidateFactory()
    shortlist(mission_b, busy, recruiter)

    response = run_admin_action(
        admin_client, "anonymise_profiles", history, busy, confirm="yes", follow=True
    )

    assert Candidate.objects.get(pk=history.pk).anonymised_at is not None
    assert Candidate.objects.get(pk=busy.pk).anonymised_at is None
    assert any(mission_b.reference in str(m) for m in response.context["messages"])


# ---------------------------------------------------------------- retention


def age(candidate, *, months, event_months=None):
    """Make a profile look untouched for `months` (and its timeline for `event_months`)."""
    moment = gdpr.months_before(timezone.now(), months) - timedelta(days=1)
    Candidate.objects.filter(pk=candidate.pk).update(
        updated_at=moment, availability_confirmed_on=moment.date()
    )
    if event_months is not None:
        old = gdpr.months_before(timezone.now(), event_months) - timedelta(days=1)
        Event.objects.filter(candidate=candidate).update(at=old)
    return candidate


def test_retention_finds_profiles_without_any_sign_of_life(db, recruiter, client_a):
    old = age(CandidateFactory(last_name="Old"), months=25)
    recent = age(CandidateFactory(last_name="Recent"), months=3)
    confirmed = age(CandidateFactory(last_name="Confirmed"), months=25)
    Candidate.objects.filter(pk=confirmed.pk).update(availability_confirmed_on=date.today())
    on_timeline = CandidateFactory(last_name="Timeline")
    shortlist(MissionFactory(client=client_a), on_timeline, recruiter, send=False)
    age(on_timeline, months=25)
    anonymised = age(CandidateFactory(anonymised_at=timezone.now()), months=25)

    stale = list(gdpr.stale_profiles(months=24))

    assert stale == [old]
    assert recent not in stale and anonymised not in stale


def test_the_retention_period_is_a_number_of_months(db):
    profile = age(CandidateFactory(), months=7)

    assert list(gdpr.stale_profiles(months=6)) == [profile]
    assert list(gdpr.stale_profiles()) == []


def test_the_retention_command_lists_then_anonymises_all_but_profiles_in_a_process(
    recruiter, client_a
):
    idle = age(CandidateFactory(), months=30)
    busy = CandidateFactory()
    mission = MissionFactory(client=client_a)
    shortlist(mission, busy, recruiter)
    age(busy, months=30, event_months=30)
    listing = io.StringIO()

    call_command("retention", "--months", "24", stdout=listing)

    assert f"#{idle.pk}\t" in listing.getvalue()
    assert f"kept: process under way ({mission.reference})" in listing.getvalue()
    assert not Candidate.objects.filter(anonymised_at__isnull=False).exists()

    call_command("retention", "--anonymise", "--no-input", stdout=io.StringIO())

    assert Candidate.objects.get(pk=idle.pk).anonymised_at is not None
    assert Candidate.objects.get(pk=busy.pk).anonymised_at is None


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 12), 1, datetime(2026, 2, 28, 12)),
        (datetime(2026, 1, 15), 24, datetime(2024, 1, 15)),
        (datetime(2024, 2, 29), 12, datetime(2023, 2, 28)),
    ],
)
def test_months_before_stays_on_a_real_day(moment, months, expected):
    assert gdpr.months_before(moment, months) == expected

"""`seed_demo`: the demo data set is complete, keeps the rules, and is careful with databases."""

import re
from collections import defaultdict
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.test.utils import override_settings
from django.utils import timezone

from candidates.models import Candidate, Channel, LegalForm, Seniority, Skill
from candidates.services import skill_years_from_experiences, skill_years_from_projects
from demo import catalogue, narratives
from demo.profiles import RATE_RANGES
from interviews.models import Interview, InterviewState
from missions.models import (
    ENTRY_ACTIVE_STATES,
    SHORTLIST_CAP,
    ClientContact,
    Event,
    Mission,
    MissionState,
    ShortlistEntry,
)
from staffing import access

# Enough profiles for the story missions and a bulk part (300 // 6 = 50 missions, 15 of them
# told through the services, the others written in bulk).
PROFILES = 300
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One seeded database for a test class, rolled back at its end (like setUpTestData)."""
    # The fast hasher the root conftest gives each test, for the users seeded once here.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            call_command("seed_demo", "--force", "--profiles", str(PROFILES), verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.mark.usefixtures("seeded")
class TestTheSeededDataSet:
    """Each test reads (or changes, then rolls back) the same seeded database."""

    def test_demo_users_have_their_roles_and_the_demo_password(self, db):
        users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
        assert users["admin"].is_superuser and users["admin"].is_staff
        assert access.is_admin(users["admin"])
        recruiter = users["recruiter"]
        assert access.is_recruiter(recruiter) and not recruiter.is_staff
        assert (recruiter.first_name, recruiter.last_name) == ("Élodie", "Martin")
        assert recruiter.email
        assert access.is_recruiter(users["thomas"])
        assert access.client_of(users["alice"]).name == "Transalp Logistique"
        assert access.client_of(users["bob"]).name == "Brenner Assurances"
        for username in ("admin", "recruiter", "thomas", "alice", "bob"):
            assert users[username].check_password("demo")

    def test_every_mission_state_is_present(self, db):
        states = set(Mission.objects.values_list("state", flat=True))
        assert states == set(MissionState.values)

    def test_alice_submitted_a_draft_from_the_portal(self, db):
        draft = Mission.objects.get(submitted_by__username="alice")
        assert draft.state == MissionState.DRAFT
        assert draft.client.name == "Transalp Logistique"

    def test_no_mission_holds_more_than_four_active_entries(self, db):
        """R1 in the seeded data, bulk part included; slots are the distinct 1..4."""
        missions = Mission.objects.annotate(
            active=Count("shortlist", filter=Q(shortlist__state__in=ENTRY_ACTIVE_STATES))
        )
        assert max(m.active for m in missions) <= SHORTLIST_CAP
        assert missions.filter(active=SHORTLIST_CAP).exists()
        for entry in ShortlistEntry.objects.all():
            assert (entry.slot is not None) == (entry.state in ENTRY_ACTIVE_STATES)

    def test_no_entry_has_more_than_three_interviews_that_count(self, db):
        """R2 in the seeded data; the story has a profile at its third interview."""
        counted = ShortlistEntry.objects.annotate(
            n=Count("interviews", filter=~Q(interviews__state=InterviewState.CANCELLED))
        )
        assert max(e.n for e in counted) == 3
        for entry in ShortlistEntry.objects.prefetch_related("interviews"):
            numbers = [i.number for i in entry.interviews.all() if i.state != "cancelled"]
            assert len(numbers) == len(set(numbers)) and set(numbers) <= {1, 2, 3}

    def test_some_interviews_are_coming_in_the_next_days(self, db):
        upcoming = Interview.objects.filter(
            state=InterviewState.SCHEDULED, scheduled_at__gt=timezone.now()
        )
        assert upcoming.exists()
        assert not Interview.objects.filter(
            state=InterviewState.SCHEDULED, scheduled_at__lt=timezone.now()
        ).exists()

    def test_timeline_is_spread_over_months_and_never_in_the_future(self, db):
        oldest = Event.objects.order_by("at").first().at
        assert (timezone.now() - oldest).days > 90
        assert not Event.objects.filter(at__gt=timezone.now()).exists()

    def test_every_mission_timeline_starts_with_its_creation_and_ends_in_its_state(self, db):
        for mission in Mission.objects.prefetch_related("events"):
            moves = sorted(
                (e for e in mission.events.all() if e.subject == Event.Subject.MISSION),
                key=lambda e: (e.at, e.pk),
            )
            assert moves[0].to_state == MissionState.DRAFT and not moves[0].from_state
            assert moves[-1].to_state == mission.state, mission.reference

    def test_entries_reach_their_state_through_their_timeline(self, db):
        for entry in ShortlistEntry.objects.prefetch_related("events"):
            moves = [e for e in entry.events.all() if e.subject == Event.Subject.ENTRY]
            last = max(moves, key=lambda e: (e.at, e.pk))
            assert last.to_state == entry.state

    def test_bulk_timeline_reads_like_the_services_timeline(self, db):
        """The bulk part writes its events itself: each one must be worded as the service that
        makes the same move words it (names replaced, so entries can be compared)."""
        story = set(Mission.objects.order_by("pk")[:15].values_list("pk", flat=True))
        wording = defaultdict(lambda: {"story": set(), "bulk": set()})
        for event in Event.objects.select_related("candidate"):
            message = event.message
            if event.candidate:
                message = message.replace(event.candidate.full_name, "{name}")
            message = re.sub(r"\d+", "{n}", message)
            key = (event.subject, event.from_state, event.to_state)
            wording[key]["story" if event.mission_id in story else "bulk"].add(message)
        compared = 0
        for key, seen in wording.items():
            if seen["story"] and seen["bulk"]:
                assert seen["bulk"] <= seen["story"], key
                compared += 1
        assert compared >= 8

    def test_day_rates_follow_seniority(self, db):
        for seniority, (low, high) in RATE_RANGES.items():
            rates = Candidate.objects.filter(seniority=seniority).values_list("day_rate", flat=True)
            assert rates and all(low <= rate <= high for rate in rates)

    def test_profiles_come_through_linkedin_and_portage_companies(self, db):
        channels = set(Candidate.objects.values_list("channel", flat=True))
        assert {Channel.LINKEDIN, Channel.PORTAGE} <= channels
        portage = Candidate.objects.filter(channel=Channel.PORTAGE)
        assert not portage.exclude(legal_form=LegalForm.PORTAGE).exists()
        assert not portage.filter(portage_company__isnull=True).exists()

    def test_skill_years_are_those_refresh_skill_years_would_compute(self, db):
        checked = 0
        for candidate in Candidate.objects.filter(seniority=Seniority.SENIOR)[:20]:
            expected = skill_years_from_experiences(candidate, today=date.today())
            stored = {cs.skill_id: cs.years for cs in candidate.skills.all()}
            for skill_id, years in expected.items():
                assert stored[skill_id] == years
                checked += 1
        assert checked

    def test_years_in_projects_are_those_refresh_skill_years_would_compute(self, db):
        checked = 0
        for candidate in Candidate.objects.filter(seniority=Seniority.JUNIOR)[:20]:
            expected = skill_years_from_projects(candidate)
            stored = {cs.skill_id: cs.project_years for cs in candidate.skills.all()}
            for skill_id, years in expected.items():
                assert stored[skill_id] == years
                checked += 1
        assert checked

    def test_juniors_show_projects(self, db):
        juniors = Candidate.objects.filter(seniority=Seniority.JUNIOR)
        assert juniors.exists()
        assert not juniors.annotate(n=Count("projects")).filter(n=0).exists()

    def test_every_client_has_one_to_three_contacts(self, db):
        counts = ClientContact.objects.values("client").annotate(n=Count("id"))
        assert counts and all(1 <= row["n"] <= 3 for row in counts)

    def test_catalogue_names_only_known_skills(self, db):
        known = set(Skill.objects.values_list("name", flat=True))
        assert len(known) >= 40
        for family in catalogue.FAMILIES:
            assert set(family.core) | set(family.extras) <= known, family.key

    def test_a_second_run_changes_nothing(self, db, capsys):
        before = (Candidate.objects.count(), Mission.objects.count(), Event.objects.count())
        call_command("seed_demo", "--force")
        assert (Candidate.objects.count(), Mission.objects.count(), Event.objects.count()) == before
        assert "--reset" in capsys.readouterr().out

    def test_reset_replaces_the_data_set(self, db):
        call_command("seed_demo", "--force", "--reset", "--profiles", "40", verbosity=0)
        assert Candidate.objects.count() == 40
        assert get_user_model().objects.filter(username="alice").count() == 1
        assert set(Mission.objects.values_list("state", flat=True)) == set(MissionState.values)

    def test_the_same_seed_gives_the_same_profiles(self, db):
        first = list(Candidate.objects.order_by("pk").values_list("email", "day_rate")[:30])
        call_command("seed_demo", "--force", "--reset", "--profiles", str(PROFILES), verbosity=0)
        again = list(Candidate.objects.order_by("pk").values_list("email", "day_rate")[:30])
        assert again == first


@pytest.mark.django_db
def test_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_runs_when_debug_is_off_with_force(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", "--profiles", "40", verbosity=0)
    assert Candidate.objects.count() == 40


@pytest.mark.django_db
def test_runs_when_debug_is_on(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", "--profiles", "40")
    out = capsys.readouterr().out
    assert "recruiter" in out and "demo" in out
    assert Candidate.objects.count() == 40


@pytest.mark.django_db
def test_refuses_a_pool_too_small_for_the_story(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--profiles"):
        call_command("seed_demo", "--profiles", "10")


@pytest.mark.django_db
def test_reuses_skills_already_recorded_whatever_their_case(settings):
    settings.DEBUG = True
    python = Skill.objects.create(name="python")
    call_command("seed_demo", "--profiles", "40", verbosity=0)
    assert Skill.objects.filter(name__iexact="python").get() == python
    assert python.candidate_skills.exists()


def foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
            "FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


def test_the_seeding_leaves_every_foreign_key_as_it_found_it(db):
    """On PostgreSQL the seeding drops the demo tables' foreign keys while it writes and adds
    them back, checked, before its transaction ends."""
    if connection.vendor != "postgresql":
        pytest.skip("the foreign keys are dropped and added back on PostgreSQL only")
    before = foreign_keys()
    call_command("seed_demo", "--force", "--profiles", "60", verbosity=0)
    assert foreign_keys() == before
    assert any(table == "missions_event" for table, *_ in before)


def test_a_row_that_breaks_a_foreign_key_fails_the_seeding(db, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the foreign keys are dropped and added back on PostgreSQL only")
    told = narratives.tell

    def tell_and_break_a_row(story):
        missions = told(story)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE missions_mission SET client_id = -1 WHERE id = %s", [missions[0].pk]
            )
        return missions

    monkeypatch.setattr(narratives, "tell", tell_and_break_a_row)
    with pytest.raises(IntegrityError):
        call_command("seed_demo", "--force", "--profiles", "60", verbosity=0)

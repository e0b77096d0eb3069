"""Django admin: every model reachable, rule-bound writes through the services, stable queries."""

from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, CandidateSkill, Experience, Skill
from interviews import services as interview_services
from interviews.models import Interview, InterviewState
from missions import services
from missions.models import (
    ClientContact,
    EntryState,
    Event,
    Mission,
    MissionState,
    ShortlistEntry,
)
from staffing import access
from tests.factories import CandidateFactory, MissionFactory, UserFactory
from tests.queries import count_queries

# The apps whose every model the demo data set fills (users and groups included).
DEMO_APPS = {"auth", "candidates", "missions", "interviews"}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def full_shortlist(mission_a, candidates, recruiter):
    for candidate in candidates[:4]:
        services.shortlist_candidate(
            mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
        )
    return mission_a


@pytest.fixture
def sent_entry(mission_a, candidate, recruiter):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Solide.", client_rate=650)
    services.send_shortlist(mission=mission_a, by=recruiter)
    entry.refresh_from_db()
    return entry


# Every registered model ---------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_loads_for_every_registered_model(admin_client, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_add_page_loads_for_every_model_that_can_be_added(admin_client, rf, admin_user, model):
    request = rf.get("/")
    request.user = admin_user
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert admin_client.get(admin_url(model, "add")).status_code == expected


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    # The fast hasher the root conftest gives each test, for the users seeded once here.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            call_command("seed_demo", "--force", "--profiles", "40", verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.mark.usefixtures("seeded")
@pytest.mark.compliance  # the seeded mandatory documents are rows of the data set too
class TestSeededObjects:
    @pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
    def test_change_page_loads_for_a_seeded_object(self, client, db, model):
        client.force_login(get_user_model().objects.get(username="admin"))
        obj = model._default_manager.order_by("pk").last()
        if obj is None and model._meta.app_label not in DEMO_APPS:
            pytest.skip("a third-party model the demo data set does not fill")
        assert obj is not None, "the demo data set has no such row"
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


# Shortlist entries: R1 through shortlist_candidate --------------------------------------------


def test_entry_added_in_admin_goes_through_the_service(admin_client, mission_a, candidate):
    response = admin_client.post(
        admin_url(ShortlistEntry, "add"),
        {"mission": mission_a.pk, "candidate": candidate.pk, "report": "Très bon profil."},
    )
    assert response.status_code == 302
    entry = ShortlistEntry.objects.get()
    assert (entry.state, entry.slot, entry.report) == (EntryState.PROPOSED, 1, "Très bon profil.")
    assert entry.client_rate  # the service's suggested price
    assert Event.objects.filter(entry=entry, to_state=EntryState.PROPOSED).count() == 1


def test_fifth_active_entry_in_admin_is_a_form_error_and_nothing_is_saved(
    admin_client, full_shortlist, candidates
):
    response = admin_client.post(
        admin_url(ShortlistEntry, "add"),
        {"mission": full_shortlist.pk, "candidate": candidates[4].pk},
    )
    assert response.status_code == 200
    assert "The shortlist is full" in response.content.decode()
    assert full_shortlist.shortlist.count() == 4
    assert Event.objects.filter(mission=full_shortlist).count() == 4


def test_same_profile_twice_in_admin_is_a_form_error(admin_client, sent_entry):
    response = admin_client.post(
        admin_url(ShortlistEntry, "add"),
        {"mission": sent_entry.mission_id, "candidate": sent_entry.candidate_id},
    )
    assert response.status_code == 200
    assert "already on this mission" in response.content.decode()
    assert ShortlistEntry.objects.count() == 1


def test_state_and_slot_cannot_be_edited_in_admin(admin_client, sent_entry):
    url = admin_url(ShortlistEntry, "change", sent_entry.pk)
    page = admin_client.get(url)
    assert 'name="state"' not in page.content.decode()
    assert 'name="slot"' not in page.content.decode()
    admin_client.post(
        url,
        {
            "state": EntryState.SELECTED,
            "slot": 3,
            "report": "Corrigé.",
            "client_rate": 640,
            "candidate_rate": sent_entry.candidate_rate,
            "interview_slots": "",
            "interviews-TOTAL_FORMS": 0,
            "interviews-INITIAL_FORMS": 0,
        },
    )
    sent_entry.refresh_from_db()
    assert (sent_entry.state, sent_entry.slot) == (EntryState.SENT, 1)
    assert sent_entry.report == "Corrigé."


def test_withdraw_action_goes_through_the_service_and_frees_the_slot(admin_client, sent_entry):
    admin_client.post(
        admin_url(ShortlistEntry, "changelist"),
        {"action": "withdraw_entries", "_selected_action": [sent_entry.pk]},
    )
    sent_entry.refresh_from_db()
    assert (sent_entry.state, sent_entry.slot) == (EntryState.WITHDRAWN, None)
    assert Event.objects.filter(entry=sent_entry, to_state=EntryState.WITHDRAWN).exists()


def test_entries_cannot_be_deleted_in_admin(admin_client, sent_entry):
    response = admin_client.get(admin_url(ShortlistEntry, "delete", sent_entry.pk))
    assert response.status_code == 403


def test_mission_shortlist_inline_is_read_only_with_links(admin_client, sent_entry):
    page = admin_client.get(admin_url(Mission, "change", sent_entry.mission_id)).content.decode()
    assert admin_url(ShortlistEntry, "change", sent_entry.pk) in page
    assert 'name="shortlist-0-state"' not in page
    assert 'name="shortlist-__prefix__-candidate"' not in page  # no "add another" row


# Interviews: R2 through schedule_interview ----------------------------------------------------


def interview_form(entry, **extra):
    return {
        "entry": entry.pk,
        "kind": "client",
        "scheduled_at_0": str(date.today() + timedelta(days=3)),
        "scheduled_at_1": "10:00",
        "duration_minutes": 60,
        **extra,
    }


def test_interview_added_in_admin_is_numbered_by_the_service(admin_client, sent_entry):
    response = admin_client.post(admin_url(Interview, "add"), interview_form(sent_entry))
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.number == 1
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.INTERVIEWING


def test_fourth_interview_in_admin_is_a_form_error(admin_client, sent_entry, recruiter):
    for day in (1, 2, 3):
        interview_services.schedule_interview(
            entry=sent_entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=day)
        )
    response = admin_client.post(admin_url(Interview, "add"), interview_form(sent_entry))
    assert response.status_code == 200
    assert "no fourth one" in response.content.decode()
    assert Interview.objects.count() == 3


def test_cancel_action_goes_through_the_service(admin_client, sent_entry, recruiter):
    interview = interview_services.schedule_interview(
        entry=sent_entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=1)
    )
    admin_client.post(
        admin_url(Interview, "changelist"),
        {"action": "cancel_interviews", "_selected_action": [interview.pk]},
    )
    interview.refresh_from_db()
    assert interview.state == InterviewState.CANCELLED


# Missions -------------------------------------------------------------------------------------


def test_mission_added_in_admin_gets_a_reference_and_its_first_timeline_step(
    admin_client, client_a
):
    response = admin_client.post(
        admin_url(Mission, "add"),
        {
            "client": client_a.pk,
            "title": "Développeur Go",
            "seniority": "senior",
            "remote_policy": "hybrid",
            "technical_test": "none",
            "skills-TOTAL_FORMS": 0,
            "skills-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mission = Mission.objects.get()
    assert mission.reference.startswith("M-")
    assert mission.state == MissionState.DRAFT
    assert mission.events.filter(to_state=MissionState.DRAFT).count() == 1


def test_cancel_action_closes_the_mission_with_a_note(admin_client, sent_entry):
    admin_client.post(
        admin_url(Mission, "changelist"),
        {"action": "cancel_missions", "_selected_action": [sent_entry.mission_id]},
    )
    mission = Mission.objects.get(pk=sent_entry.mission_id)
    assert mission.state == MissionState.CANCELLED
    assert mission.state_reason == "Changed in admin"
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.NOT_RETAINED


def test_an_illegal_move_is_reported_not_raised(admin_client, mission_a):
    Mission.objects.filter(pk=mission_a.pk).update(state=MissionState.FILLED)
    response = admin_client.post(
        admin_url(Mission, "changelist"),
        {"action": "open_missions", "_selected_action": [mission_a.pk]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("cannot go from" in m for m in messages)
    assert Mission.objects.get(pk=mission_a.pk).state == MissionState.FILLED


# History is protected ------------------------------------------------------------------------


def test_deleting_a_profile_with_history_shows_the_protected_page(admin_client, sent_entry):
    url = admin_url(Candidate, "delete", sent_entry.candidate_id)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["protected"]  # Django's "cannot delete" page lists what holds it
    assert admin_client.post(url, {"post": "yes"}).status_code == 200
    assert Candidate.objects.filter(pk=sent_entry.candidate_id).exists()


def test_deleting_a_skill_in_use_shows_the_protected_page(admin_client, candidate):
    skill = Skill.objects.create(name="Rust")
    CandidateSkill.objects.create(candidate=candidate, skill=skill, years=2)
    url = admin_url(Skill, "delete", skill.pk)
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200 and response.context["protected"]
    assert Skill.objects.filter(pk=skill.pk).exists()


def test_timeline_events_are_read_only(admin_client, sent_entry):
    event = Event.objects.filter(mission=sent_entry.mission).first()
    assert admin_client.get(admin_url(Event, "change", event.pk)).status_code == 200
    assert admin_client.post(admin_url(Event, "change", event.pk), {}).status_code == 403
    assert admin_client.get(admin_url(Event, "delete", event.pk)).status_code == 403


def test_event_changelist_filters_by_subject(admin_client, sent_entry):
    url = admin_url(Event, "changelist") + "?subject__exact=entry"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2  # added, then sent


# Profiles and contacts -----------------------------------------------------------------------


def test_recompute_skill_years_action(admin_client, candidate):
    python = Skill.objects.create(name="Python")
    experience = Experience.objects.create(
        candidate=candidate,
        company="ACME",
        role="Dev",
        start=date(2020, 1, 1),
        end=date(2022, 1, 1),
    )
    experience.technologies.add(python)
    admin_client.post(
        admin_url(Candidate, "changelist"),
        {"action": "recompute_skill_years", "_selected_action": [candidate.pk]},
    )
    assert candidate.skills.get(skill=python).years == 2


def test_contact_added_in_admin_gets_the_contact_role(admin_client, client_a):
    user = UserFactory(username="carole")
    response = admin_client.post(
        admin_url(ClientContact, "add"), {"user": user.pk, "client": client_a.pk}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert access.client_of(user) == client_a


# Constant query counts ------------------------------------------------------------------------


def test_profile_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, recruiter
):
    CandidateFactory(owner=recruiter)
    url = admin_url(Candidate, "changelist")
    with_one = count_queries(admin_client, url)
    CandidateFactory.create_batch(20, owner=recruiter)
    with django_assert_max_num_queries(with_one):
        admin_client.get(url)


def test_mission_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, client_a, recruiter
):
    MissionFactory(client=client_a, owner=recruiter)
    url = admin_url(Mission, "changelist")
    with_one = count_queries(admin_client, url)
    MissionFactory.create_batch(20, owner=recruiter)
    with django_assert_max_num_queries(with_one):
        admin_client.get(url)

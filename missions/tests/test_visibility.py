"""R3: `visible_to(user)` on every model a client can reach. Recruiters see everything, a
client contact only its own company's rows (and only what was sent), anyone else nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from candidates.models import Candidate
from interviews import services as interview_services
from interviews.models import Interview
from missions import services
from missions.models import Client, ClientContact, Mission, MissionState, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, UserFactory


def send_to_client(mission, candidate, by):
    entry = services.shortlist_candidate(mission=mission, candidate=candidate, by=by)
    entry.report = "Good fit."
    entry.save(update_fields=["report"])
    services.send_shortlist(mission=mission, by=by)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def world(mission_a, mission_b, recruiter):
    """For each client: a sent entry with an interview, and a draft entry never sent."""
    sent_a = send_to_client(mission_a, CandidateFactory(last_name="SentA"), recruiter)
    sent_b = send_to_client(mission_b, CandidateFactory(last_name="SentB"), recruiter)
    draft_a = services.shortlist_candidate(
        mission=mission_a, candidate=CandidateFactory(last_name="DraftA"), by=recruiter
    )
    at = timezone.now() + timedelta(days=2)
    return {
        "sent_a": sent_a,
        "sent_b": sent_b,
        "draft_a": draft_a,
        "interview_a": interview_services.schedule_interview(
            entry=sent_a, by=recruiter, scheduled_at=at
        ),
        "interview_b": interview_services.schedule_interview(
            entry=sent_b, by=recruiter, scheduled_at=at
        ),
        "pool_only": CandidateFactory(last_name="PoolOnly"),
    }


def visible(model, user):
    return set(model.objects.visible_to(user))


def test_a_recruiter_sees_every_row(world, recruiter, client_a, client_b):
    assert visible(Client, recruiter) == {client_a, client_b}
    assert visible(Mission, recruiter) == set(Mission.objects.all())
    assert visible(ShortlistEntry, recruiter) == set(ShortlistEntry.objects.all())
    assert visible(Candidate, recruiter) == set(Candidate.objects.all())
    assert visible(Interview, recruiter) == {world["interview_a"], world["interview_b"]}


def test_an_admin_sees_every_row(world, admin_user):
    assert visible(ShortlistEntry, admin_user) == set(ShortlistEntry.objects.all())
    assert visible(Candidate, admin_user) == set(Candidate.objects.all())


def test_a_client_contact_sees_only_its_company_and_what_was_sent(
    world, alice, client_a, mission_a
):
    assert visible(Client, alice) == {client_a}
    assert visible(Mission, alice) == {mission_a}
    assert visible(ShortlistEntry, alice) == {world["sent_a"]}
    assert visible(Candidate, alice) == {world["sent_a"].candidate}
    assert visible(Interview, alice) == {world["interview_a"]}


def test_a_draft_entry_and_its_profile_are_invisible_to_the_client(world, alice):
    draft = world["draft_a"]

    assert not ShortlistEntry.objects.visible_to(alice).filter(pk=draft.pk).exists()
    assert not Candidate.objects.visible_to(alice).filter(pk=draft.candidate_id).exists()


def test_an_interview_of_an_entry_never_sent_is_invisible_to_the_client(world, alice):
    # The service never schedules one; a row written another way must not leak either.
    stray = Interview.objects.create(entry=world["draft_a"], number=1, scheduled_at=timezone.now())

    assert stray not in visible(Interview, alice)


def test_an_entry_stays_visible_to_the_client_once_closed(world, alice):
    services.mark_not_retained(entry=world["sent_a"], by=alice, reason="technical_level")

    assert visible(ShortlistEntry, alice) == {world["sent_a"]}


def test_another_client_sees_none_of_alices_rows(world, bob, client_a, mission_a):
    assert client_a not in visible(Client, bob)
    assert mission_a not in visible(Mission, bob)
    assert not ShortlistEntry.objects.visible_to(bob).filter(mission=mission_a).exists()
    assert world["sent_a"].candidate not in visible(Candidate, bob)
    assert world["interview_a"] not in visible(Interview, bob)
    assert visible(Interview, bob) == {world["interview_b"]}


def test_a_profile_sent_to_both_clients_is_visible_to_both(
    mission_a, mission_b, recruiter, alice, bob
):
    shared = CandidateFactory()
    send_to_client(mission_a, shared, recruiter)
    send_to_client(mission_b, shared, recruiter)

    assert list(Candidate.objects.visible_to(alice)) == [shared], "listed once"
    assert list(Candidate.objects.visible_to(bob)) == [shared]


def test_a_client_sees_a_draft_mission_only_if_it_submitted_it(client_a, alice, recruiter):
    submitted = MissionFactory(client=client_a, state=MissionState.DRAFT, submitted_by=alice)
    internal = MissionFactory(client=client_a, state=MissionState.DRAFT, submitted_by=recruiter)

    assert submitted in visible(Mission, alice)
    assert internal not in visible(Mission, alice)


@pytest.mark.parametrize("model", [Client, Mission, ShortlistEntry, Candidate, Interview])
def test_an_anonymous_user_sees_nothing(world, model):
    assert not model.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("model", [Client, Mission, ShortlistEntry, Candidate, Interview])
def test_a_user_without_a_role_sees_nothing(world, model):
    nobody = UserFactory(username="nobody")

    assert not model.objects.visible_to(nobody).exists()


@pytest.mark.parametrize("model", [Client, Mission, ShortlistEntry, Candidate, Interview])
def test_a_contact_record_without_the_client_role_sees_nothing(world, client_a, model):
    no_group = UserFactory(username="nogroup")
    ClientContact.objects.create(user=no_group, client=client_a)

    assert not model.objects.visible_to(no_group).exists()


@pytest.mark.parametrize("model", [Client, Mission, ShortlistEntry, Candidate, Interview])
def test_a_contact_of_an_inactive_client_sees_nothing(world, alice, client_a, model):
    Client.objects.filter(pk=client_a.pk).update(is_active=False)

    assert not model.objects.visible_to(alice).exists()


@pytest.mark.parametrize("model", [Client, Mission, ShortlistEntry, Candidate, Interview])
def test_a_deactivated_user_sees_nothing(world, alice, recruiter, model):
    for user in (alice, recruiter):
        user.is_active = False

    assert not model.objects.visible_to(alice).exists()
    assert not model.objects.visible_to(recruiter).exists()

"""The caps (R1, R2) hold when many requests arrive at the same moment.

Threads start together behind a barrier, each with its own database connection. The row
lock each service takes makes the others wait and count committed rows, so every request
beyond the cap gets the clean refusal. Without the lock the database constraints would still
stop the extra rows, but as IntegrityErrors (a server error for the user): the tests fail on
any exception other than the expected ValidationError.

Row locks only mean something on PostgreSQL; SQLite serialises writers by other means.
"""

import threading
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from interviews import notifications as interview_notifications
from interviews import services as interview_services
from interviews.models import Interview
from missions import contacts, services
from missions import notifications as mission_notifications
from missions.models import (
    ClientContact,
    EntryState,
    FailureCause,
    Mission,
    MissionState,
    ShortlistEntry,
)
from tests.factories import CandidateFactory, MissionFactory

THREADS = 8

pytestmark = [
    # Real commits, so each thread's connection sees the others' rows; the serialized
    # rollback restores what migrations wrote (the role groups) after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]


@pytest.fixture
def no_emails(monkeypatch):
    """The emails have their own tests; here only the rows matter."""
    monkeypatch.setattr(interview_notifications, "interview_scheduled", lambda *args: None)
    for name in ("shortlist_sent", "client_answered", "candidate_selected"):
        monkeypatch.setattr(mission_notifications, name, lambda *args: None)


def outcome_of(call):
    """What a call in a thread came to: "ok", a ValidationError's code, or the exception."""
    try:
        call()
        return "ok"
    except ValidationError as exc:
        return exc.code
    except Exception as exc:  # any other exception fails the test
        return exc
    finally:
        connection.close()


def run_together(calls):
    """Run each call in its own thread, all released at once; return what each raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        def released_then_called():
            barrier.wait(timeout=30)
            call()

        outcomes[index] = outcome_of(released_then_called)

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def test_simultaneous_shortlisting_never_passes_four_active_entries(client_a, recruiter):
    mission = MissionFactory(client=client_a, budget=900)
    pool = CandidateFactory.create_batch(THREADS, day_rate=500)

    outcomes = run_together(
        [
            lambda c=candidate: services.shortlist_candidate(
                mission=mission, candidate=c, by=recruiter, confirm_warnings=True
            )
            for candidate in pool
        ]
    )

    unexpected = [o for o in outcomes if o not in ("ok", "shortlist_full")]
    assert unexpected == []
    assert outcomes.count("ok") == 4
    assert outcomes.count("shortlist_full") == THREADS - 4
    active = ShortlistEntry.objects.filter(mission=mission).active()
    assert sorted(active.values_list("slot", flat=True)) == [1, 2, 3, 4]


def test_two_clients_selecting_one_freelancer_on_overlapping_missions_place_her_once(
    client_a, client_b, recruiter, no_emails
):
    """R6: each selection locks its own mission and entry, then the profile; the second
    one waits there and finds the first one's placement."""
    freelancer = CandidateFactory(day_rate=500)
    entries = [
        ShortlistEntry.objects.create(
            mission=MissionFactory(
                client=client,
                start_date=start,
                duration_months=3,
                state=MissionState.SHORTLIST_SENT,
            ),
            candidate=freelancer,
            state=EntryState.SENT,
            slot=1,
            candidate_rate=500,
            sent_at=timezone.now(),
        )
        for client, start in ((client_a, date(2027, 1, 1)), (client_b, date(2027, 2, 15)))
    ]

    outcomes = run_together(
        [lambda e=entry: services.select_candidate(entry=e, by=recruiter) for entry in entries]
    )

    assert sorted(outcomes, key=str) == ["already_placed", "ok"]
    selected = ShortlistEntry.objects.filter(candidate=freelancer, state=EntryState.SELECTED)
    assert selected.count() == 1


def test_simultaneous_scheduling_never_passes_three_interviews(client_a, recruiter, no_emails):
    mission = MissionFactory(client=client_a)
    entry = services.shortlist_candidate(
        mission=mission, candidate=CandidateFactory(day_rate=500), by=recruiter
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Good fit.")
    services.send_shortlist(mission=mission, by=recruiter)
    at = timezone.now() + timedelta(days=2)

    outcomes = run_together(
        [
            lambda: interview_services.schedule_interview(
                entry=entry, by=recruiter, scheduled_at=at
            )
            for _ in range(THREADS)
        ]
    )

    unexpected = [o for o in outcomes if o not in ("ok", "interviews_full")]
    assert unexpected == []
    assert outcomes.count("ok") == 3
    assert outcomes.count("interviews_full") == THREADS - 3
    numbers = Interview.objects.filter(entry=entry).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2, 3]
    mission.refresh_from_db()
    assert mission.state == MissionState.INTERVIEWING


# Lock order. A writer that locks the mission and then an entry, and one that locks the entry
# and then the mission, deadlock when each holds its first lock: PostgreSQL then kills one
# with an error. The scenario below forces that interleaving: a third connection holds the
# mission lock while the mission-first writer queues for it, then the entry-first writer
# starts; releasing the mission lets each take its first lock.


def waiting_on_locks():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_until(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)


def race_behind_a_held_mission_lock(mission, mission_first, entry_first):
    held, release = threading.Event(), threading.Event()
    outcomes = {}

    def hold_the_mission():
        def hold():
            with transaction.atomic():
                Mission.objects.select_for_update().get(pk=mission.pk)
                held.set()
                release.wait(timeout=30)

        outcomes["holder"] = outcome_of(hold)

    def record(name, call):
        return threading.Thread(target=lambda: outcomes.__setitem__(name, outcome_of(call)))

    holder = threading.Thread(target=hold_the_mission)
    first, second = record("first", mission_first), record("second", entry_first)
    holder.start()
    held.wait(timeout=30)
    first.start()
    wait_until(lambda: waiting_on_locks() >= 1)
    second.start()
    wait_until(lambda: waiting_on_locks() >= 2 or not second.is_alive())
    release.set()
    for thread in (holder, first, second):
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def interviewing_mission(client_a, recruiter, no_emails):
    """A mission with two sent profiles; the first has had an interview scheduled."""
    mission = MissionFactory(client=client_a)
    for candidate in CandidateFactory.create_batch(2, day_rate=500):
        services.shortlist_candidate(mission=mission, candidate=candidate, by=recruiter)
    mission.shortlist.update(report="Good fit.")
    services.send_shortlist(mission=mission, by=recruiter)
    first, second = mission.shortlist.order_by("position")
    interview = interview_services.schedule_interview(
        entry=first, by=recruiter, scheduled_at=timezone.now() + timedelta(days=1)
    )
    return mission, first, second, interview


# (mission-first writer, entry-first writer, what the second gets once the first committed)
RACES = {
    "select vs schedule": (
        lambda m, e1, e2, i, by: services.select_candidate(entry=e1, by=by),
        lambda m, e1, e2, i, by: interview_services.schedule_interview(
            entry=e1, by=by, scheduled_at=timezone.now() + timedelta(days=3)
        ),
        "entry_not_schedulable",
    ),
    "select vs decline another": (
        lambda m, e1, e2, i, by: services.select_candidate(entry=e1, by=by),
        lambda m, e1, e2, i, by: services.decline_entry(
            entry=e2, by=by, reason=FailureCause.TECHNICAL_LEVEL
        ),
        "illegal_transition",
    ),
    "select vs cancel interview": (
        lambda m, e1, e2, i, by: services.select_candidate(entry=e1, by=by),
        lambda m, e1, e2, i, by: interview_services.cancel_interview(interview=i, by=by),
        "ok",
    ),
    "cancel mission vs decline": (
        lambda m, e1, e2, i, by: services.transition_mission(
            mission=m, to=MissionState.CANCELLED, by=by, note="Budget frozen"
        ),
        lambda m, e1, e2, i, by: services.decline_entry(
            entry=e2, by=by, reason=FailureCause.TECHNICAL_LEVEL
        ),
        "illegal_transition",
    ),
}


@pytest.mark.parametrize("race", RACES)
def test_a_mission_writer_and_an_entry_writer_queue_up_instead_of_deadlocking(
    race, interviewing_mission, recruiter
):
    mission, first_entry, second_entry, interview = interviewing_mission
    mission_first, entry_first, expected = RACES[race]
    args = (mission, first_entry, second_entry, interview, recruiter)

    outcomes = race_behind_a_held_mission_lock(
        mission,
        lambda: mission_first(*args),
        lambda: entry_first(*args),
    )

    assert outcomes["holder"] == "ok"
    assert outcomes["first"] == "ok"
    assert outcomes["second"] == expected


def test_two_invitations_of_one_email_at_the_same_moment_create_one_login(
    client_a, client_b, recruiter, monkeypatch
):
    monkeypatch.setattr(contacts, "send_invitation", lambda *args: None)
    # Two clients, so the client locks do not serialise them: the unique username does.
    # Both wait after their lock, so both check the email before either creates the login.
    both_locked = threading.Barrier(2)
    lock_client = contacts.lock_client

    def lock_then_wait(client):
        locked = lock_client(client)
        both_locked.wait(timeout=30)
        return locked

    monkeypatch.setattr(contacts, "lock_client", lock_then_wait)
    outcomes = run_together(
        [
            lambda client=client: contacts.invite_contact(
                client=client,
                by=recruiter,
                first_name="Chloé",
                last_name="Martin",
                email="chloe@example.com",
            )
            for client in (client_a, client_b)
        ]
    )

    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("email_taken") == 1, outcomes
    assert ClientContact.objects.filter(user__email="chloe@example.com").count() == 1

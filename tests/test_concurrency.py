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
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from candidates import services as candidate_services
from candidates.merging import merge_profiles
from candidates.models import Candidate
from interviews import notifications as interview_notifications
from interviews import services as interview_services
from interviews.models import Interview, InterviewState, Verdict
from missions import contacts, services
from missions import notifications as mission_notifications
from missions.models import (
    ENTRY_ACTIVE_STATES,
    ClientContact,
    EntryState,
    FailureCause,
    Mission,
    MissionState,
    Placement,
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
    for name in ("interview_scheduled", "interview_rescheduled", "interview_cancelled"):
        monkeypatch.setattr(interview_notifications, name, lambda *args: None)
    for name in ("shortlist_sent", "client_answered", "candidate_selected"):
        monkeypatch.setattr(mission_notifications, name, lambda *args, **kwargs: None)


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


def test_two_selections_that_cross_two_profiles_on_two_missions_do_not_deadlock(
    client_a, client_b, recruiter, no_emails
):
    """P and Q are both on missions M and N; P is selected on M while Q is selected on N.
    Each selection closes the other profile's entry (and writes its timeline) before it
    locks its own profile, and the row locks let timeline inserts through: no deadlock."""
    p, q = CandidateFactory(day_rate=500), CandidateFactory(day_rate=520)
    m, n = (
        MissionFactory(client=client, state=MissionState.SHORTLIST_SENT, start_date=start)
        for client, start in ((client_a, date(2027, 1, 1)), (client_b, date(2027, 6, 1)))
    )
    entries = {}
    for mission in (m, n):
        for slot, candidate in enumerate((p, q), start=1):
            entries[mission, candidate] = ShortlistEntry.objects.create(
                mission=mission,
                candidate=candidate,
                state=EntryState.SENT,
                slot=slot,
                candidate_rate=candidate.day_rate,
                sent_at=timezone.now(),
            )

    outcomes = run_together(
        [
            lambda: services.select_candidate(entry=entries[m, p], by=recruiter),
            lambda: services.select_candidate(entry=entries[n, q], by=recruiter),
        ]
    )

    assert outcomes == ["ok", "ok"]
    assert ShortlistEntry.objects.get(pk=entries[m, q].pk).state == EntryState.NOT_RETAINED
    assert ShortlistEntry.objects.get(pk=entries[n, p].pk).state == EntryState.NOT_RETAINED


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


# Two writers on the same rows at the same moment, for every service that writes a row a rule
# governs. Whatever the order the database picks, each gets "ok" or a clean refusal (never a
# deadlock or another error), and the rules hold afterwards.


def assert_the_rules_hold():
    for mission in Mission.objects.all():
        active = mission.shortlist.active()
        assert active.count() <= 4, "R1"
        selected = mission.shortlist.filter(state=EntryState.SELECTED).count()
        assert selected == (1 if mission.state == MissionState.FILLED else 0), "one selection"
    for entry in ShortlistEntry.objects.all():
        assert entry.interviews.counted().count() <= 3, "R2"
        if entry.state not in ENTRY_ACTIVE_STATES:
            assert not entry.interviews.filter(state=InterviewState.SCHEDULED).exists(), "R8"
    done_with_a_draft = Interview.objects.filter(
        state=InterviewState.DONE, feedback_draft__isnull=False
    )
    assert not done_with_a_draft.exists(), "a recorded feedback has no draft left"


def past_interview(entry, by):
    return interview_services.schedule_interview(
        entry=entry, by=by, scheduled_at=timezone.now() - timedelta(hours=1)
    )


def race_on(world, by, first, second):
    mission, e1, e2, interview = world
    return run_together(
        [
            lambda: first(mission, e1, e2, interview, by),
            lambda: second(mission, e1, e2, interview, by),
        ]
    )


# name: (first writer, second writer, the outcomes each may get)
SAME_ROW_RACES = {
    "recruiter feedback vs client feedback": (
        lambda m, e1, e2, i, by: interview_services.record_feedback(
            interview=i, by=by, verdict=Verdict.GO
        ),
        lambda m, e1, e2, i, by: interview_services.record_client_feedback(
            interview=i, by=m.client.contacts.get().user, text="Convincing."
        ),
        {"ok"},
    ),
    "send vs withdraw": (
        lambda m, e1, e2, i, by: services.send_shortlist(mission=m, by=by),
        lambda m, e1, e2, i, by: services.withdraw_entry(
            entry=m.shortlist.get(state=EntryState.PROPOSED), by=by, reason=FailureCause.OTHER
        ),
        {"ok", "nothing_to_send"},
    ),
    "select vs decline the same profile": (
        lambda m, e1, e2, i, by: services.select_candidate(entry=e2, by=by),
        lambda m, e1, e2, i, by: services.decline_entry(
            entry=e2, by=by, reason=FailureCause.TECHNICAL_LEVEL
        ),
        {"ok", "illegal_transition"},
    ),
    "two selections on one mission": (
        lambda m, e1, e2, i, by: services.select_candidate(entry=e1, by=by),
        lambda m, e1, e2, i, by: services.select_candidate(entry=e2, by=by),
        {"ok", "illegal_transition"},
    ),
    "select vs not retained": (
        lambda m, e1, e2, i, by: services.select_candidate(entry=e1, by=by),
        lambda m, e1, e2, i, by: services.mark_not_retained(entry=e1, by=by),
        {"ok", "illegal_transition"},
    ),
    "request interview vs decline": (
        lambda m, e1, e2, i, by: services.request_interview(entry=e2, by=by, slots="Monday"),
        lambda m, e1, e2, i, by: services.decline_entry(
            entry=e2, by=by, reason=FailureCause.RATE_TOO_HIGH
        ),
        {"ok", "illegal_transition"},
    ),
    "schedule vs cancel the mission": (
        lambda m, e1, e2, i, by: interview_services.schedule_interview(
            entry=e2, by=by, scheduled_at=timezone.now() + timedelta(days=4)
        ),
        lambda m, e1, e2, i, by: services.transition_mission(
            mission=m, to=MissionState.CANCELLED, by=by, note="Budget frozen"
        ),
        {"ok", "entry_not_schedulable"},
    ),
    "withdraw vs schedule": (
        lambda m, e1, e2, i, by: services.withdraw_entry(
            entry=e1, by=by, reason=FailureCause.CANDIDATE_WITHDREW
        ),
        lambda m, e1, e2, i, by: interview_services.schedule_interview(
            entry=e1, by=by, scheduled_at=timezone.now() + timedelta(days=4)
        ),
        {"ok", "entry_not_schedulable"},
    ),
    "cancel vs feedback on one interview": (
        lambda m, e1, e2, i, by: interview_services.cancel_interview(interview=i, by=by),
        lambda m, e1, e2, i, by: interview_services.record_feedback(
            interview=i, by=by, verdict=Verdict.NO_GO
        ),
        {"ok", "illegal_transition"},
    ),
    # Whichever comes second: a draft after the feedback is refused; the feedback after a
    # draft replaces it. Never a draft left on a done interview.
    "feedback vs a draft of it": (
        lambda m, e1, e2, i, by: interview_services.record_feedback(
            interview=i, by=by, verdict=Verdict.GO
        ),
        lambda m, e1, e2, i, by: interview_services.save_feedback_draft(
            interview=i, by=by, verdict=Verdict.NO_GO
        ),
        {"ok", "feedback_already_recorded"},
    ),
    "no-show vs reschedule": (
        lambda m, e1, e2, i, by: interview_services.mark_no_show(interview=i, by=by),
        lambda m, e1, e2, i, by: interview_services.reschedule_interview(
            interview=i, by=by, scheduled_at=timezone.now() + timedelta(days=5)
        ),
        {"ok", "illegal_transition"},
    ),
    "put on hold vs select": (
        lambda m, e1, e2, i, by: services.transition_mission(
            mission=m, to=MissionState.ON_HOLD, by=by, note="Budget review"
        ),
        lambda m, e1, e2, i, by: services.select_candidate(entry=e2, by=by),
        {"ok", "illegal_transition"},
    ),
    "move vs remove a draft": (
        lambda m, e1, e2, i, by: services.move_in_shortlist(
            entry=m.shortlist.get(state=EntryState.PROPOSED), by=by, up=True
        ),
        lambda m, e1, e2, i, by: services.remove_from_shortlist(
            entry=m.shortlist.get(state=EntryState.PROPOSED), by=by
        ),
        {"ok", "entry_gone"},
    ),
    "price change vs select": (
        lambda m, e1, e2, i, by: services.update_entry(
            entry=e2, by=by, report="Still a good fit.", client_rate=720
        ),
        lambda m, e1, e2, i, by: services.select_candidate(entry=e2, by=by),
        {"ok", "entry_closed"},
    ),
    "cancel the mission vs archive it": (
        lambda m, e1, e2, i, by: services.transition_mission(
            mission=m, to=MissionState.CANCELLED, by=by, note="Project stopped"
        ),
        lambda m, e1, e2, i, by: services.archive_mission(mission=m, by=by),
        {"ok", "mission_not_final"},
    ),
}


@pytest.fixture
def race_world(interviewing_mission, alice, recruiter):
    """`interviewing_mission` plus a draft entry; its interview's time has passed."""
    mission, first, second, interview = interviewing_mission
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=1)
    )
    services.shortlist_candidate(
        mission=mission, candidate=CandidateFactory(day_rate=500), by=recruiter
    )
    mission.shortlist.filter(state=EntryState.PROPOSED).update(report="Good fit.")
    interview.refresh_from_db()
    return mission, first, second, interview


@pytest.mark.parametrize("race", SAME_ROW_RACES)
def test_two_writers_on_the_same_rows_each_get_an_answer_and_the_rules_hold(
    race, race_world, recruiter
):
    first, second, allowed = SAME_ROW_RACES[race]

    outcomes = race_on(race_world, recruiter, first, second)

    assert set(outcomes) <= allowed, outcomes
    assert "ok" in outcomes
    assert_the_rules_hold()


def test_client_and_recruiter_feedback_at_once_both_land(race_world, recruiter):
    mission, _first, _second, interview = race_world
    first, second, _allowed = SAME_ROW_RACES["recruiter feedback vs client feedback"]

    outcomes = race_on(race_world, recruiter, first, second)

    assert outcomes == ["ok", "ok"]
    interview.refresh_from_db()
    assert (interview.verdict, interview.client_feedback) == (Verdict.GO, "Convincing.")


def test_client_feedback_queues_behind_the_recruiters_instead_of_deadlocking(race_world, recruiter):
    # The interleaving that deadlocked when the portal locked the interview first: the
    # recruiter's feedback waits on the mission, then the client's starts.
    mission, first, second, interview = race_world
    recruiter_feedback, client_feedback, _allowed = SAME_ROW_RACES[
        "recruiter feedback vs client feedback"
    ]
    args = (mission, first, second, interview, recruiter)

    outcomes = race_behind_a_held_mission_lock(
        mission, lambda: recruiter_feedback(*args), lambda: client_feedback(*args)
    )

    assert outcomes == {"holder": "ok", "first": "ok", "second": "ok"}


def test_an_extension_and_a_selection_over_the_same_days_place_the_freelancer_once(
    client_a, client_b, recruiter, no_emails
):
    """R6 on placements: extending the January–March placement to April and selecting the
    freelancer for a mission starting in April, at the same moment. Both lock the profile
    last (one order); the second one reads the first one's dates and is refused."""
    freelancer = CandidateFactory(day_rate=500)
    first = ShortlistEntry.objects.create(
        mission=MissionFactory(
            client=client_a,
            start_date=date(2027, 1, 1),
            duration_months=3,
            state=MissionState.SHORTLIST_SENT,
        ),
        candidate=freelancer,
        state=EntryState.SENT,
        slot=1,
        candidate_rate=500,
        sent_at=timezone.now(),
    )
    services.select_candidate(entry=first, by=recruiter)
    placement = Placement.objects.get(entry=first)
    april = ShortlistEntry.objects.create(
        mission=MissionFactory(
            client=client_b,
            start_date=date(2027, 4, 1),
            duration_months=3,
            state=MissionState.SHORTLIST_SENT,
        ),
        candidate=freelancer,
        state=EntryState.SENT,
        slot=1,
        candidate_rate=500,
        sent_at=timezone.now(),
    )

    outcomes = run_together(
        [
            lambda: services.extend_placement(
                placement=placement, by=recruiter, end=date(2027, 4, 30)
            ),
            lambda: services.select_candidate(entry=april, by=recruiter),
        ]
    )

    assert sorted(outcomes, key=str) == ["already_placed", "ok"]
    spans = sorted(Placement.objects.filter(candidate=freelancer).values_list("start", "end"))
    assert spans in (
        [(date(2027, 1, 1), date(2027, 4, 30))],
        [(date(2027, 1, 1), date(2027, 3, 31)), (date(2027, 4, 1), date(2027, 6, 30))],
    )


def test_postgresql_itself_refuses_two_overlapping_placements_of_one_freelancer(client_a, client_b):
    """The backstop under the service: a write that skips `select_candidate` (a shell, a
    script) still cannot place a freelancer twice over the same days."""
    freelancer = CandidateFactory(day_rate=500)
    entries = [
        ShortlistEntry.objects.create(
            mission=MissionFactory(client=client, state=MissionState.FILLED),
            candidate=freelancer,
            state=EntryState.SELECTED,
            slot=1,
            candidate_rate=500,
        )
        for client in (client_a, client_b)
    ]

    def placement(entry, start, end):
        return Placement.objects.create(
            entry=entry,
            mission=entry.mission,
            candidate=freelancer,
            start=start,
            end=end,
            sold_rate=600,
            bought_rate=500,
        )

    placement(entries[0], date(2027, 1, 1), date(2027, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        placement(entries[1], date(2027, 3, 31), None)
    placement(entries[1], date(2027, 4, 1), None)  # back to back is fine

    assert Placement.objects.filter(candidate=freelancer).count() == 2


def test_merging_a_profile_while_it_is_shortlisted_leaves_no_process_on_the_duplicate(
    client_a, recruiter
):
    """The merge locks the missions of both profiles' entries, then both profiles; the
    shortlisting locks its mission, then the profile. Whichever comes second sees the first:
    a shortlisting after the merge is refused (the duplicate is archived); one before it is
    moved, or the merge asks to be tried again. Never a process left on the duplicate, never
    a deadlock."""
    keep, duplicate = CandidateFactory(day_rate=500), CandidateFactory(day_rate=500)
    mission = MissionFactory(client=client_a, budget=900)

    outcomes = run_together(
        [
            lambda: merge_profiles(keep=keep, absorb=duplicate, by=recruiter),
            lambda: services.shortlist_candidate(
                mission=mission, candidate=duplicate, by=recruiter, confirm_warnings=True
            ),
        ]
    )

    assert outcomes in (["ok", "profile_archived"], ["ok", "ok"], ["changed_meanwhile", "ok"])
    assert ShortlistEntry.objects.filter(candidate=duplicate).active().count() == (
        1 if outcomes[0] == "changed_meanwhile" else 0
    )
    merged = Candidate.objects.get(pk=duplicate.pk).merged_into_id == keep.pk
    assert merged == (outcomes[0] == "ok")


def test_recruiters_adding_one_profile_to_a_pool_at_once_leave_one_membership(recruiter):
    """Adding to a pool is idempotent under a race too: the unique (pool, profile) constraint
    and `ignore_conflicts` turn the losers' inserts into no-ops, not errors."""
    pool = candidate_services.create_pool(name="Lyon Java seniors", by=recruiter)
    camille = CandidateFactory()

    outcomes = run_together(
        [
            lambda: candidate_services.add_to_pool(pool=pool, candidates=[camille], by=recruiter)
            for _ in range(THREADS)
        ]
    )

    assert outcomes == ["ok"] * THREADS
    assert pool.memberships.count() == 1

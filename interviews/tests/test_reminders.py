"""Reminders as scheduled work: each one sent once, to the right person, at the right time."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from candidates.models import Candidate
from interviews.models import Interview
from interviews.reminders import remind_missing_feedback, run_reminders, send_reminders
from interviews.services import record_feedback, reschedule_interview, schedule_interview
from missions import services
from missions.models import ShortlistEntry
from missions.reminders import add_working_days, remind_unanswered_shortlists
from tests.factories import CandidateFactory, make_recruiter

# Friday 6 March 2026, 10:00 in the agency's time zone.
FRIDAY = timezone.make_aware(datetime(2026, 3, 6, 10, 0))


def at(moment, **offset):
    return moment + timedelta(**offset)


def send_on(moment, mission, candidate, by):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    services.update_entry(entry=entry, by=by, report="Knows the domain.", client_rate=700)
    services.send_shortlist(mission=mission, by=by)
    ShortlistEntry.objects.filter(pk=entry.pk).update(sent_at=moment)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def sent_entry(mission_a, candidate, recruiter, alice):
    return send_on(FRIDAY, mission_a, candidate, recruiter)


@pytest.fixture
def interview(sent_entry, recruiter):
    attending = make_recruiter("attending", email="attending@example.com")
    return schedule_interview(
        entry=sent_entry, by=recruiter, scheduled_at=FRIDAY, recruiter=attending
    )


def run(check, now, capture):
    with capture(execute=True):
        return check(now=now)


# ------------------------------------------------------------ feedback missing after 48 h


def test_feedback_reminder_goes_to_the_attending_recruiter_48_hours_after_the_interview(
    interview, mailoutbox, django_capture_on_commit_callbacks
):
    assert (
        run(remind_missing_feedback, at(FRIDAY, hours=47), django_capture_on_commit_callbacks) == 0
    )
    assert mailoutbox == []

    assert (
        run(remind_missing_feedback, at(FRIDAY, hours=49), django_capture_on_commit_callbacks) == 1
    )

    assert [m.to for m in mailoutbox] == [["attending@example.com"]]
    assert f"/interviews/{interview.pk}/feedback/" in mailoutbox[0].body


def test_feedback_reminder_is_sent_once(interview, mailoutbox, django_capture_on_commit_callbacks):
    run(remind_missing_feedback, at(FRIDAY, hours=49), django_capture_on_commit_callbacks)
    assert run(remind_missing_feedback, at(FRIDAY, days=5), django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 1


def test_feedback_reminder_goes_to_the_mission_owner_when_nobody_attended(
    interview, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    Interview.objects.filter(pk=interview.pk).update(recruiter=None)
    run(remind_missing_feedback, at(FRIDAY, hours=49), django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[recruiter.email]]


def test_no_feedback_reminder_once_the_feedback_is_recorded(
    interview, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    record_feedback(interview=interview, by=recruiter, hard_skills_rating=4, verdict="go")
    assert run(remind_missing_feedback, at(FRIDAY, days=3), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_a_moved_interview_is_reminded_again_for_its_new_slot(
    interview, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    run(remind_missing_feedback, at(FRIDAY, hours=49), django_capture_on_commit_callbacks)
    new_slot = at(FRIDAY, days=7)
    reschedule_interview(interview=interview, by=recruiter, scheduled_at=new_slot)
    assert (
        run(remind_missing_feedback, at(new_slot, hours=47), django_capture_on_commit_callbacks)
        == 0
    )
    assert (
        run(remind_missing_feedback, at(new_slot, hours=49), django_capture_on_commit_callbacks)
        == 1
    )
    assert len(mailoutbox) == 2


# ------------------------------------------------------------ shortlists unanswered


@pytest.mark.parametrize(
    ("sent_on", "n", "expected"),
    [
        (date(2026, 3, 6), 3, date(2026, 3, 11)),  # Friday + 3 working days = Wednesday
        (date(2026, 3, 7), 3, date(2026, 3, 11)),  # a Saturday counts from the Monday
        (date(2026, 3, 9), 3, date(2026, 3, 12)),  # Monday → Thursday
        (date(2026, 3, 9), 5, date(2026, 3, 16)),  # Monday → next Monday
    ],
)
def test_working_days_skip_the_weekend(sent_on, n, expected):
    assert add_working_days(sent_on, n) == expected


def test_unanswered_shortlist_reminder_goes_to_the_recruiter_after_three_working_days(
    sent_entry, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    tuesday, wednesday = at(FRIDAY, days=4), at(FRIDAY, days=5)
    assert run(remind_unanswered_shortlists, tuesday, django_capture_on_commit_callbacks) == 0

    assert run(remind_unanswered_shortlists, wednesday, django_capture_on_commit_callbacks) == 1

    assert [m.to for m in mailoutbox] == [[recruiter.email]]
    assert sent_entry.candidate.full_name in mailoutbox[0].body
    assert (
        run(remind_unanswered_shortlists, at(FRIDAY, days=9), django_capture_on_commit_callbacks)
        == 0
    )
    assert len(mailoutbox) == 1


def test_the_number_of_working_days_is_a_setting(
    sent_entry, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SHORTLIST_REMINDER_WORKING_DAYS = 1
    monday = at(FRIDAY, days=3)
    assert run(remind_unanswered_shortlists, monday, django_capture_on_commit_callbacks) == 1


def test_no_unanswered_reminder_once_the_client_answered(
    sent_entry, alice, mailoutbox, django_capture_on_commit_callbacks
):
    services.client_declines(entry=sent_entry, by=alice, reason="rate_too_high")
    mailoutbox.clear()
    assert (
        run(remind_unanswered_shortlists, at(FRIDAY, days=7), django_capture_on_commit_callbacks)
        == 0
    )
    assert mailoutbox == []


# ------------------------------------------------------------ the task and the commands


def test_send_reminders_task_runs_every_check_and_twice_sends_nothing_twice(
    interview, mission_a, recruiter, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    send_on(FRIDAY, mission_a, CandidateFactory(), recruiter)  # still waiting for the client
    stale = CandidateFactory(availability_confirmed_on=date(2026, 2, 1))
    monkeypatch.setattr(timezone, "now", lambda: at(FRIDAY, days=7))
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.enqueue()
    assert result.return_value == {
        "missing_feedback": 1,
        "unanswered_shortlists": 1,
        "stale_availability": 1,
        "placements_ending": 0,
        "expiring_documents": 0,
    }
    assert stale.email in [address for m in mailoutbox for address in m.to]
    with django_capture_on_commit_callbacks(execute=True):
        again = run_reminders(now=at(FRIDAY, days=7, hours=1))
    assert again == {
        "missing_feedback": 0,
        "unanswered_shortlists": 0,
        "stale_availability": 0,
        "placements_ending": 0,
        "expiring_documents": 0,
    }
    assert len(mailoutbox) == 3


def test_send_reminders_command_reports_what_it_sent(interview, capsys):
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(days=3)
    )
    Candidate.objects.update(availability_confirmed_on=timezone.localdate())
    call_command("send_reminders")
    assert "missing_feedback: 1" in capsys.readouterr().out


def test_reminder_clock_enqueues_the_task_each_tick(monkeypatch, capsys, db):
    naps = []
    monkeypatch.setattr("time.sleep", naps.append)
    call_command("reminder_clock", interval=600, ticks=2)
    assert capsys.readouterr().out.count("send_reminders enqueued") == 2
    assert naps == [600]

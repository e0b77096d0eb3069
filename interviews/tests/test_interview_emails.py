"""Who is emailed which invitation when an interview is scheduled, moved or cancelled."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from interviews import services
from interviews.models import InterviewState
from missions import services as mission_services
from missions.models import FailureCause
from tests.factories import make_contact

CLIENT_SIDE = ["alice@example.com", "carla@example.com", "recruiter@example.com"]


@pytest.fixture
def entry(mission_a, candidate, recruiter, alice, client_a):
    make_contact("carla", client_a)
    entry = mission_services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter
    )
    entry.report = "Strong on Django."
    entry.save(update_fields=["report"])
    mission_services.send_shortlist(mission=mission_a, by=recruiter)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def interview(entry, recruiter):
    return services.schedule_interview(
        entry=entry,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=3),
        recruiter=recruiter,
        place="Siège, salle B",
    )


@pytest.fixture
def outbox(mailoutbox, django_capture_on_commit_callbacks):
    """A function running a change in its own transaction, returning the emails it sent."""

    def run(change):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return list(mailoutbox)

    return run


def invite_of(email):
    """(METHOD, UID, SEQUENCE, attendee emails) of an email's one .ics attachment."""
    [(filename, content, mimetype)] = email.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    who = sorted(a.email for a in event["ATTENDEE"])
    return str(calendar["METHOD"]), str(event["UID"]), event["SEQUENCE"], who


def test_scheduling_emails_the_client_side_and_the_freelancer_each_their_own(
    entry, recruiter, candidate, outbox
):
    sent = outbox(
        lambda: services.schedule_interview(
            entry=entry,
            by=recruiter,
            scheduled_at=timezone.now() + timedelta(days=3),
            recruiter=recruiter,
        )
    )

    client_email, freelancer_email = sent
    assert sorted(client_email.to) == CLIENT_SIDE
    assert freelancer_email.to == [candidate.email]
    assert "Hello Camille," in freelancer_email.body
    assert "Transalp Logistique" in freelancer_email.subject
    method, _, sequence, who = invite_of(freelancer_email)
    assert (method, sequence, who) == ("REQUEST", 0, [candidate.email, "recruiter@example.com"])
    assert invite_of(client_email)[3] == CLIENT_SIDE


def test_the_client_email_holds_no_contact_details_of_the_freelancer(
    interview, recruiter, candidate, outbox
):
    emails = outbox(
        lambda: services.reschedule_interview(
            interview=interview, by=recruiter, scheduled_at=interview.scheduled_at
        )
    )
    emails += outbox(lambda: services.cancel_interview(interview=interview, by=recruiter))

    client_emails = [e for e in emails if "alice@example.com" in e.to]
    assert len(client_emails) == 2
    for email in client_emails:
        text = email.subject + email.body + email.attachments[0][1]
        assert candidate.email not in text
        assert candidate.phone not in text
        assert candidate.last_name not in text


def test_a_move_and_a_cancellation_update_the_same_event_with_a_growing_sequence(
    interview, recruiter, candidate, outbox
):
    uid = f"interview-{interview.pk}@staffing-desk"
    freelancer_side = sorted([candidate.email, "recruiter@example.com"])

    moved = outbox(
        lambda: services.reschedule_interview(
            interview=interview,
            by=recruiter,
            scheduled_at=interview.scheduled_at + timedelta(days=1),
        )
    )
    cancelled = outbox(
        lambda: services.cancel_interview(interview=interview, by=recruiter, note="internal")
    )

    assert [sorted(e.to) for e in moved] == [CLIENT_SIDE, [candidate.email]]
    assert [invite_of(e) for e in moved] == [
        ("REQUEST", uid, 1, CLIENT_SIDE),
        ("REQUEST", uid, 1, freelancer_side),
    ]
    assert "moved" in moved[0].subject and "moved" in moved[1].subject
    assert [sorted(e.to) for e in cancelled] == [CLIENT_SIDE, [candidate.email]]
    assert [invite_of(e) for e in cancelled] == [
        ("CANCEL", uid, 2, CLIENT_SIDE),
        ("CANCEL", uid, 2, freelancer_side),
    ]
    assert "STATUS:CANCELLED" in cancelled[0].attachments[0][1]
    assert all("internal" not in e.body for e in cancelled), "the timeline note stays inside"
    assert all(e.attachments[0][2] == "text/calendar; method=CANCEL" for e in cancelled)


def test_an_entry_leaving_the_process_sends_the_cancellation_of_its_interviews(
    entry, interview, recruiter, candidate, outbox
):
    sent = outbox(
        lambda: mission_services.withdraw_entry(
            entry=entry, by=recruiter, reason=FailureCause.CANDIDATE_WITHDREW
        )
    )

    cancellations = [e for e in sent if e.attachments]
    assert [sorted(e.to) for e in cancellations] == [CLIENT_SIDE, [candidate.email]]
    assert {invite_of(e)[:3] for e in cancellations} == {
        ("CANCEL", f"interview-{interview.pk}@staffing-desk", 1)
    }


def test_a_freelancer_without_an_email_address_gets_no_email(entry, recruiter, candidate, outbox):
    candidate.email = ""
    candidate.save(update_fields=["email"])

    sent = outbox(
        lambda: services.schedule_interview(
            entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=3)
        )
    )

    assert [sorted(e.to) for e in sent] == [["alice@example.com", "carla@example.com"]]


def test_nothing_is_sent_before_the_transaction_commits(
    interview, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.cancel_interview(interview=interview, by=recruiter)
        assert mailoutbox == []

    assert len(callbacks) == 2
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    "refused_change",
    [
        lambda i, by: services.reschedule_interview(
            interview=i, by=by, scheduled_at=i.scheduled_at + timedelta(days=1)
        ),
        lambda i, by: services.cancel_interview(interview=i, by=by),
    ],
    ids=["move", "cancel"],
)
def test_nothing_is_sent_when_the_change_is_refused(refused_change, interview, recruiter, outbox):
    outbox(lambda: services.cancel_interview(interview=interview, by=recruiter))

    def attempt():
        with pytest.raises(ValidationError):
            refused_change(interview, recruiter)

    assert outbox(attempt) == []
    interview.refresh_from_db()
    assert (interview.state, interview.sequence) == (InterviewState.CANCELLED, 1)


def test_a_refused_fourth_interview_sends_nothing(entry, recruiter, outbox):
    for days in (1, 2, 3):
        services.schedule_interview(
            entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=days)
        )

    def attempt():
        with pytest.raises(ValidationError):
            services.schedule_interview(
                entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=4)
            )

    assert outbox(attempt) == []

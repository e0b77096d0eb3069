"""Emails are never lost and never wait in a request (issue 11), against a real SMTP server on
the loopback and the real worker (`manage.py db_worker`) on the database queue.

A request only stores the email and its delivery task, in the transaction of the change; the
worker sends it, and a mail server that is down is tried again later until it answers.
"""

import signal
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from interviews.models import Interview
from missions import services
from missions.models import EntryState, ShortlistEntry
from staffing import mail
from staffing.models import EmailStatus, OutgoingEmail

pytestmark = [
    pytest.mark.task_queue,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Inbox:
    """What the SMTP server received: one envelope per message."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def subjects(self):
        return sorted(
            message_from_bytes(envelope.content, policy=policy.default)["subject"]
            for envelope in self.envelopes
        )


class MailServer:
    """An SMTP server on 127.0.0.1 that the test stops and starts on one port."""

    def __init__(self, port):
        self.port = port
        self.inbox = Inbox()
        self._controller = None

    def start(self):
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    """The app's SMTP settings point at the server, which starts *down*."""
    server = MailServer(free_port())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def run_worker():
    """Run the real worker until no task is ready (`--batch`), optionally for `max_tasks`."""
    # The worker installs its SIGINT/SIGTERM handlers (graceful stop): the test runner's
    # own come back afterwards.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run(max_tasks=None):
        options = ["--batch", "--no-reload", "--no-startup-delay", "--interval", "0"]
        if max_tasks:
            options += ["--max-tasks", str(max_tasks)]
        call_command("db_worker", *options, verbosity=0)

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def the_retry_delay_passes():
    # The retries wait minutes (`run_after`); the test moves them to now instead of waiting.
    DBTaskResult.objects.filter(run_after__gt=timezone.now()).update(run_after=timezone.now())


def test_emails_of_requests_made_while_the_mail_server_is_down_arrive_once_it_is_back(
    client, recruiter, alice, mission_a, candidate, mail_server, run_worker
):
    entry = services.shortlist_candidate(mission=mission_a, candidate=candidate, by=recruiter)
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Knows the domain.", client_rate=700)
    client.force_login(recruiter)

    # The mail server is down: both requests succeed without trying to reach it.
    response = client.post(reverse("missions:shortlist_send", args=[mission_a.pk]))
    assert response.status_code == 302
    when = timezone.localtime() + timedelta(days=3)
    response = client.post(
        reverse("interviews:schedule", args=[entry.pk]),
        {
            "kind": "client",
            "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "recruiter": str(recruiter.pk),
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.INTERVIEWING
    assert Interview.objects.filter(entry=entry).count() == 1
    emails = OutgoingEmail.objects.order_by("pk")
    # The shortlist to the client; the interview to the client and recruiter, and to the
    # freelancer on their own.
    assert [(e.status, e.attempts) for e in emails] == [(EmailStatus.QUEUED, 0)] * 3

    # A worker runs while the server is still down: each email is tried once, kept, and
    # its next attempt is scheduled a minute later.
    run_worker()
    assert mail_server.inbox.envelopes == []
    for email in emails.all():
        assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
        assert "ConnectionRefusedError" in email.last_error
        assert (
            timedelta(seconds=50) < email.next_attempt_at - timezone.now() <= timedelta(minutes=1)
        )

    # The server comes back; a worker sends one email and stops, another one takes over.
    mail_server.start()
    the_retry_delay_passes()
    run_worker(max_tasks=1)
    assert len(mail_server.inbox.envelopes) == 1
    run_worker()
    run_worker()  # nothing left to do: nothing sent twice

    shortlist_subject = f"{mission_a.title}: a new profile to review"
    assert len(mail_server.inbox.envelopes) == 3, [
        (e.status, e.attempts, e.last_error[:80], e.next_attempt_at) for e in emails.all()
    ]
    assert shortlist_subject in mail_server.inbox.subjects()
    recipients = sorted(tuple(sorted(e.rcpt_tos)) for e in mail_server.inbox.envelopes)
    assert recipients == sorted(
        [
            ("alice@example.com",),
            tuple(sorted(["alice@example.com", recruiter.email])),
            (candidate.email,),
        ]
    )
    for email in emails.all():
        assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert not DBTaskResult.objects.ready().exists()


def test_a_delivery_enqueued_twice_sends_the_email_once(
    recruiter, alice, mission_a, mail_server, run_worker
):
    mail_server.start()
    email = mail.queue_email(to=["alice@example.com"], subject="Hello", body="Once.")
    mail.retry_email(email=email)  # a second delivery of the same email, e.g. "retry now"

    run_worker()

    assert len(mail_server.inbox.envelopes) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)


def test_a_rolled_back_change_queues_no_email(recruiter, alice, mission_a, candidate):
    entry = services.shortlist_candidate(mission=mission_a, candidate=candidate, by=recruiter)
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Knows the domain.", client_rate=700)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.send_shortlist(mission=mission_a, by=recruiter)
        assert OutgoingEmail.objects.count() == 1  # queued inside the transaction…
        raise RuntimeError("something later in the request fails")

    assert not OutgoingEmail.objects.exists()  # …and gone with it, its task too
    assert not DBTaskResult.objects.exists()
    entry.refresh_from_db()
    assert entry.state == EntryState.PROPOSED

"""The outbox: an email not sent yet is kept, retried later and later, then marked failed for
an admin, who sees it in the admin and can send it again."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from staffing import mail
from staffing.models import OutgoingEmail


class RefusingMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}


@pytest.mark.task_queue
def test_a_refused_email_is_retried_after_1_5_15_60_240_minutes_then_marked_failed(
    db, mail_server_down
):
    email = mail.queue_email(to=["alice@example.com"], subject="Hello", body="Hi.")
    waits = []
    for attempt in range(6):
        (task,) = DBTaskResult.objects.ready()  # one delivery waits, due now
        task.delete()  # what a worker's claim does for the next one, in short
        before = timezone.now()
        mail.deliver_email.call(email.pk, attempt)
        email.refresh_from_db()
        assert email.attempts == attempt + 1
        assert email.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
        if email.next_attempt_at:
            waits.append(round((email.next_attempt_at - before).total_seconds() / 60))
            DBTaskResult.objects.update(run_after=before)  # the wait is over

    assert waits == [1, 5, 15, 60, 240]
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.next_attempt_at is None
    assert not DBTaskResult.objects.exists(), "no attempt after the last one"


def test_without_a_queue_a_refused_email_waits_failed_for_an_admin(db, mail_server_down):
    email = mail.queue_email(to=["alice@example.com"], subject="Hello", body="Hi.")
    mail.deliver_email.call(email.pk, 0)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 1)


def test_an_attachment_in_bytes_arrives_as_it_was_given(db, mailoutbox):
    content = b"%PDF-1.7 \x00\xff"
    email = mail.queue_email(
        to=["alice@example.com"],
        subject="CV",
        body="Attached.",
        attachments=[("cv.pdf", content, "application/pdf"), ("a.ics", "BEGIN", "text/calendar")],
    )
    mail.deliver_email.call(email.pk, 0)

    (message,) = mailoutbox
    assert [(a.filename, a.content) for a in message.attachments] == [
        ("cv.pdf", content),
        ("a.ics", "BEGIN"),
    ]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_admin_lists_an_unsent_email_with_its_status_attempts_and_error(
    admin_client, mail_server_down
):
    email = mail.queue_email(to=["alice@example.com"], subject="Profiles to review", body=".")
    mail.deliver_email.call(email.pk, 0)

    page = admin_client.get(reverse("admin:staffing_outgoingemail_changelist"))

    assert page.status_code == 200
    for text in ("Profiles to review", "alice@example.com", "Failed", "ConnectionRefusedError"):
        assert text in page.text
    detail = admin_client.get(reverse("admin:staffing_outgoingemail_change", args=[email.pk]))
    assert detail.status_code == 200


def test_retry_now_in_the_admin_sends_a_failed_email(
    admin_client, settings, mailoutbox, mail_server_down, django_capture_on_commit_callbacks
):
    email = mail.queue_email(to=["alice@example.com"], subject="Profiles to review", body=".")
    mail.deliver_email.call(email.pk, 0)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:staffing_outgoingemail_changelist"),
            {"action": "retry_now", "_selected_action": [email.pk]},
        )

    assert response.status_code == 302
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutgoingEmail.Status.SENT, 2, "")
    assert [m.subject for m in mailoutbox] == ["Profiles to review"]

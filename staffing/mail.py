"""The one way the app sends an email: rendered now, in the agency's language, stored in the
outbox in the transaction of the change, and delivered by a background task.

`queue_email` writes an `OutgoingEmail` row and enqueues `deliver_email` in the caller's
transaction: the change and its emails commit together or not at all, and no request waits
on the mail server. The worker (`manage.py db_worker`) sends the email; an SMTP or connection
error is recorded on the row and the task is enqueued again later (`RETRY_DELAYS`), until the
email is sent or, after `MAX_ATTEMPTS`, marked failed for an admin to retry. Nothing is
dropped: every email not sent yet is a row that the admin lists.
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend
from django.template.loader import render_to_string
from django.utils import timezone, translation

from staffing.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

# Wait before the 2nd, 3rd… attempt after a failed one; the last failure marks it failed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def absolute_url(path):
    """A link for an email: where the app is served (`SITE_URL`) plus `path`."""
    return settings.SITE_URL + path


def render_email(*, subject_template, body_template, context):
    """(subject, body) rendered in the agency's language, whoever triggered the email."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    return subject, body


def queue_email(*, to, subject, body, attachments=()):
    """Store the email in the outbox and enqueue its delivery, in the current transaction.

    `attachments` are (filename, content, mimetype) triples, content as text or bytes.
    Nothing is sent when the transaction rolls back.
    """
    to = [address for address in to if address]
    if not to:
        return None
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            to=to,
            subject=subject,
            body=body,
            attachments=[_stored_attachment(*attachment) for attachment in attachments],
        )
        _enqueue_delivery(email)
    return email


@transaction.atomic
def retry_email(*, email):
    """Deliver a queued or failed email now (the admin's "retry now"); a sent one is left as
    it is. A delivery scheduled earlier for it becomes stale and is skipped."""
    email = _lock(email.pk)
    if email.status == EmailStatus.SENT:
        return email
    email.status = EmailStatus.QUEUED
    email.next_attempt_at = None
    email.save(update_fields=["status", "next_attempt_at"])
    _enqueue_delivery(email)
    return email


@task
def deliver_email(email_id, attempt):
    """Send one outbox email, exactly once: the row is locked while it is sent, and a row
    already sent (or whose attempt `attempt` was superseded) is skipped."""
    with transaction.atomic():
        email = _lock(email_id)
        if email.status != EmailStatus.QUEUED or email.attempts != attempt:
            return
        email.attempts += 1
        try:
            _send(email)
        except OSError as exc:  # SMTP errors and refused or timed-out connections
            _record_failure(email, exc, retry=True)
        except Exception as exc:  # anything else will not go away by waiting
            _record_failure(email, exc, retry=False)
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.next_attempt_at = None
            email.last_error = ""
        email.save()


def _lock(email_id):
    # The outbox row is locked alone: its transaction takes no other row lock, so it stays
    # out of the domain's lock order (missions/locking.py) and cannot deadlock with it.
    # Locked while the email is sent, so two deliveries of one email (a retry and the
    # scheduled one) queue here and the second sees it sent. On SQLite the transaction
    # holds the database's write lock meanwhile: SQLite is for development only.
    return OutgoingEmail.objects.select_for_update().get(pk=email_id)


def _enqueue_delivery(email):
    delivery = deliver_email
    if email.next_attempt_at is not None:
        delivery = delivery.using(run_after=email.next_attempt_at)
    if isinstance(delivery.get_backend(), ImmediateBackend):
        # The immediate backend (tests) runs a task as it is enqueued: after the commit then,
        # or an email would leave for a change that may still roll back.
        transaction.on_commit(lambda: delivery.enqueue(email.pk, email.attempts))
    else:
        # A queue in the database: the task row commits with the email's row.
        delivery.enqueue(email.pk, email.attempts)


def _record_failure(email, exc, *, retry):
    email.last_error = f"{type(exc).__name__}: {exc}"
    # Without a backend that runs tasks later (the immediate one), only an admin's retry
    # sends it again.
    retry = retry and deliver_email.get_backend().supports_defer
    if not retry or email.attempts >= MAX_ATTEMPTS:
        email.status = EmailStatus.FAILED
        email.next_attempt_at = None
        outcome = "marked failed"
    else:
        email.next_attempt_at = timezone.now() + RETRY_DELAYS[email.attempts - 1]
        _enqueue_delivery(email)
        outcome = f"next attempt at {email.next_attempt_at:%Y-%m-%d %H:%M:%S%z}"
    logger.error(
        "Email %r to %s failed (attempt %s of %s), %s",
        email.subject,
        ", ".join(email.to),
        email.attempts,
        MAX_ATTEMPTS,
        outcome,
        exc_info=exc,
    )


def _send(email):
    message = EmailMultiAlternatives(
        email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to
    )
    for attachment in email.attachments:
        message.attach(attachment["filename"], _content(attachment), attachment["mimetype"])
    message.send()


def _stored_attachment(filename, content, mimetype):
    if isinstance(content, bytes):
        encoded = base64.b64encode(content).decode("ascii")
        return {"filename": filename, "mimetype": mimetype, "content_base64": encoded}
    return {"filename": filename, "mimetype": mimetype, "content": content}


def _content(attachment):
    if "content_base64" in attachment:
        return base64.b64decode(attachment["content_base64"])
    return attachment["content"]

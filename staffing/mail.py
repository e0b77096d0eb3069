"""The one way the app sends an email: rendered now, in the agency's language, delivered once
the current transaction commits. Notifications build their message and call `queue_email`."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


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
    """Send `body` to the addresses `to` once the current transaction commits.

    `attachments` are (filename, content, mimetype) triples. Nothing is sent when the
    transaction rolls back.
    """
    to = [address for address in to if address]
    if not to:
        return
    transaction.on_commit(lambda: _deliver(to, subject, body, attachments))


def _deliver(to, subject, body, attachments):
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:  # a mail outage must not turn the user's committed action into an error
        logger.exception("Email %r to %s failed", subject, to)

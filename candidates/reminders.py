"""Freelancers asked to confirm their availability (one of the checks `send_reminders` runs).

A freelancer whose availability was not confirmed for AVAILABILITY_STALE_WEEKS gets one email
with a signed link to confirm the date or give a new one. One email per stale stretch: the
profile keeps the day it was asked, and is asked again only once a newer confirmation has gone
stale in its turn.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from candidates.availability_link import LINK_MAX_AGE, make_token
from candidates.models import DOCUMENT_REMINDER_DAYS, Candidate, ComplianceDocument
from staffing import access
from staffing.mail import absolute_url, queue_email, render_email

# At most this many emails per run: a first run on a large pool spreads over a few hours
# instead of flooding the mail server (the clock runs the checks again soon).
BATCH = 200

# Not asked yet for the current stretch: never asked, or asked before the last confirmation.
# (Never confirmed and already asked once: compared with NULL, which is not true.)
NOT_ASKED_SINCE_CONFIRMED = Q(availability_reminder_sent_on__isnull=True) | Q(
    availability_reminder_sent_on__lte=F("availability_confirmed_on")
)


def _due(today):
    return (
        Candidate.objects.active()
        .filter(anonymised_at__isnull=True)
        .exclude(email="")
        .availability_stale(today)
        .filter(NOT_ASKED_SINCE_CONFIRMED)
    )


def remind_stale_availability(*, now):
    """Email each freelancer whose availability went stale and who was not asked yet;
    returns the number of emails queued."""
    today = timezone.localdate(now)
    oldest_first = F("availability_confirmed_on").asc(nulls_first=True)
    pks = list(_due(today).order_by(oldest_first, "pk").values_list("pk", flat=True)[:BATCH])
    return sum(_remind(pk, today) for pk in pks)


@transaction.atomic
def _remind(pk, today):
    # Claimed by one conditional UPDATE: of two runs at the same moment, the second finds the
    # row already marked (PostgreSQL re-checks the condition once the first commits), so the
    # freelancer gets one email. The email is queued in the same transaction as the mark.
    if not _due(today).filter(pk=pk).update(availability_reminder_sent_on=today):
        return 0
    candidate = Candidate.objects.get(pk=pk)
    link = absolute_url(reverse("candidates:availability_link", args=[make_token(candidate)]))
    subject, body = render_email(
        subject_template="emails/availability_reminder_subject.txt",
        body_template="emails/availability_reminder.txt",
        context={"candidate": candidate, "url": link, "days": LINK_MAX_AGE.days},
    )
    queue_email(to=[candidate.email], subject=subject, body=body)
    return 1


# ---------------------------------------------------------------- compliance documents (R9)


def _expiring_documents(today):
    """Checked documents expiring within DOCUMENT_REMINDER_DAYS that nothing replaces yet (no
    document of the same type and holder expiring later) and that were not announced."""
    replaced = ComplianceDocument.objects.filter(
        document_type=OuterRef("document_type"),
        expires_on__gt=OuterRef("expires_on"),
    ).filter(
        Q(candidate_id=OuterRef("candidate_id"), candidate_id__isnull=False)
        | Q(portage_company_id=OuterRef("portage_company_id"), portage_company_id__isnull=False)
    )
    return (
        ComplianceDocument.objects.filter(
            checked_at__isnull=False,
            expires_on__gt=today,
            expires_on__lte=today + timedelta(days=DOCUMENT_REMINDER_DAYS),
            expiry_reminder_sent_on__isnull=True,
        )
        .exclude(candidate__archived_at__isnull=False)
        .filter(~Exists(replaced))
    )


def remind_expiring_documents(*, now):
    """Email the recruiters about compliance documents that expire soon, so a new one is asked
    for before the profile can no longer be selected; returns the number of emails queued."""
    today = timezone.localdate(now)
    pks = list(_expiring_documents(today).order_by("expires_on", "pk").values_list("pk", flat=True))
    return sum(_remind_document(pk, today) for pk in pks[:BATCH])


@transaction.atomic
def _remind_document(pk, today):
    # Claimed by one conditional UPDATE, the email queued in the same transaction (`_remind`).
    if not _expiring_documents(today).filter(pk=pk).update(expiry_reminder_sent_on=today):
        return 0
    document = ComplianceDocument.objects.select_related("candidate__owner", "portage_company").get(
        pk=pk
    )
    owner = document.candidate and document.candidate.owner
    if owner is not None and owner.email:
        recipients = [owner.email]
    else:
        recipients = sorted({user.email for user in access.recruiters() if user.email})
    if not recipients:
        return 0
    page = (
        reverse("candidates:documents", args=[document.candidate_id])
        if document.candidate_id
        else reverse("candidates:list")
    )
    subject, body = render_email(
        subject_template="emails/document_expiring_subject.txt",
        body_template="emails/document_expiring.txt",
        context={
            "document": document,
            "holder": document.holder,
            "days": (document.expires_on - today).days,
            "url": absolute_url(page),
        },
    )
    queue_email(to=recipients, subject=subject, body=body)
    return 1

"""The kernel's one table: the outbox of emails (`staffing.mail` writes and delivers it)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """An email as it was rendered in the change that asked for it, kept until it is sent.

    The row commits with that change (or not at all), so a change never loses its emails and
    a rolled-back one sends none; a worker delivers it and keeps it, with the attempts, the
    last error and the time it left, for the admins to see.
    """

    Status = EmailStatus

    to = models.JSONField(_("recipients"))
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    # [{"filename", "mimetype", "content"} or "content_base64" for bytes], as given.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The admin's list of emails not sent yet (queued or failed), newest first.
            models.Index(
                fields=["status", "-created_at"],
                name="staffing_outgoingemail_status",
                condition=~Q(status=EmailStatus.SENT),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True)),
                name="staffing_outgoingemail_sent_at_iff_sent",
                violation_error_message=_("A sent email has a sending time, and only a sent one."),
                violation_error_code="sent_at_mismatch",
            ),
        ]

    def __str__(self):
        return self.subject

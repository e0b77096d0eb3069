"""The outbox in the admin: what was sent, what waits for a retry, what failed and why."""

from django.contrib import admin, messages
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from staffing import mail
from staffing.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    # An email is the record of what left: it is read, retried or deleted, never edited.
    readonly_fields = [
        "to",
        "subject",
        "body",
        "attachment_names",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    exclude = ["attachments"]
    actions = ["retry_now"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("recipients"))
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.display(description=_("last error"))
    def error(self, email):
        return truncatechars(email.last_error, 80)

    @admin.display(description=_("attachments"))
    def attachment_names(self, email):
        return ", ".join(attachment["filename"] for attachment in email.attachments) or "—"

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset):
        retried = 0
        for email in queryset:
            if mail.retry_email(email=email).status != OutgoingEmail.Status.SENT:
                retried += 1
        self.message_user(
            request,
            gettext("Emails queued for delivery: %(count)d.") % {"count": retried},
            messages.SUCCESS,
        )

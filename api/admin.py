"""API tokens in the admin: who holds which, when each was last used, and a revoke action
for a token that leaked. Tokens are created by their owners only (the secret is shown once,
to them), so the admin cannot add one or read a secret."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api import services
from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "user__username", "user__last_name", "hint"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "name",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            services.revoke_token(token=token, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)s token revoked.", "%(n)s tokens revoked.", len(tokens))
            % {"n": len(tokens)},
        )

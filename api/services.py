"""Write operations on API tokens: the only way one is created, used or revoked."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import TOKEN_PREFIX, ApiToken, token_digest
from staffing import access

# A token's last use is written at most this often: a sync tool calling every second must
# not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKENS_PER_USER = 20


@transaction.atomic
def create_token(*, user, name, expires_at=None, now=None):
    """A new token for `user`: returns (token, secret). The secret is not stored anywhere, so
    this is the one moment it can be shown."""
    now = now or timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError(_("The expiry date must be in the future."), code="expiry_in_past")
    if ApiToken.objects.filter(user=user).usable(now).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            _("You already have %(n)s active tokens: revoke one first.")
            % {"n": MAX_TOKENS_PER_USER},
            code="too_many_tokens",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        digest=token_digest(secret),
        hint=secret[: len(TOKEN_PREFIX) + 4],
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token, by, now=None):
    """Revoke a token for good; revoking it again changes nothing. Its owner may, and an
    admin (a token that leaked)."""
    if token.user_id != by.pk and not access.is_admin(by):
        raise ValidationError(_("This token is not yours."), code="not_owner")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def record_use(*, token, now=None):
    """Note that the token was just used (at most once per LAST_USED_RESOLUTION). One UPDATE
    of this column only, outside any lock order: nothing else writes it."""
    now = now or timezone.now()
    last = token.last_used_at
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def authenticate_secret(secret, now=None):
    """The usable token whose secret this is, with its user, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = now or timezone.now()
    return (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(digest=token_digest(secret), user__is_active=True)
        .first()
    )

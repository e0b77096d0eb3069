"""Personal API tokens: stored hashed, shown once, revocable, with an optional expiry and
the time of their last use; a request budget per token."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from api import services
from api.models import ApiToken
from api.tests.conftest import ApiClient


def test_a_token_is_stored_as_the_sha256_of_its_secret_only(recruiter):
    token, secret = services.create_token(user=recruiter, name="Website sync")

    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith("sd_")
    assert secret not in {stored.digest, stored.hint, stored.name}
    assert stored.hint == secret[:7]


def test_a_valid_token_authenticates_and_records_its_last_use(recruiter):
    token, secret = services.create_token(user=recruiter, name="BI")

    response = ApiClient(secret).get("/api/v1/missions/")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_token_scheme_is_accepted_too(recruiter):
    _token, secret = services.create_token(user=recruiter, name="BI")
    client = ApiClient()
    client.headers = {"Authorization": f"Token {secret}"}

    assert client.get("/api/v1/missions/").status_code == 200


def test_a_revoked_token_is_refused_with_a_401(recruiter):
    token, secret = services.create_token(user=recruiter, name="Old script")
    services.revoke_token(token=token, by=recruiter)

    response = ApiClient(secret).get("/api/v1/missions/")

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Invalid, expired or revoked token.",
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_expired_token_is_refused(recruiter):
    token, secret = services.create_token(
        user=recruiter, name="Trial", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert ApiClient(secret).get("/api/v1/missions/").status_code == 401


def test_an_unknown_token_is_refused(db):
    assert ApiClient("sd_not-a-real-token").get("/api/v1/missions/").status_code == 401


def test_no_credentials_is_a_401_asking_for_a_bearer_token(db):
    response = ApiClient().get("/api/v1/missions/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_the_token_of_a_deactivated_user_is_refused(recruiter):
    _token, secret = services.create_token(user=recruiter, name="BI")
    recruiter.is_active = False
    recruiter.save(update_fields=["is_active"])

    assert ApiClient(secret).get("/api/v1/missions/").status_code == 401


def test_an_expiry_in_the_past_is_refused(recruiter):
    with pytest.raises(ValidationError) as refused:
        services.create_token(
            user=recruiter, name="Late", expires_at=timezone.now() - timedelta(days=1)
        )
    assert refused.value.code == "expiry_in_past"


def test_only_its_owner_revokes_a_token(recruiter, alice):
    token, _secret = services.create_token(user=recruiter, name="BI")

    with pytest.raises(ValidationError) as refused:
        services.revoke_token(token=token, by=alice)

    assert refused.value.code == "not_owner"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_shows_a_new_secret_once(client, recruiter):
    client.force_login(recruiter)

    created = client.post("/api/tokens/", {"name": "Website sync"})

    assert created.status_code == 200
    secret = created.context["secret"]
    assert secret in created.content.decode()
    token = ApiToken.objects.get(user=recruiter)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    again = client.get("/api/tokens/")
    assert secret not in again.content.decode()
    assert "Website sync" in again.content.decode()


def test_the_tokens_page_revokes_a_token_and_only_ones_own(client, recruiter, alice):
    token, _secret = services.create_token(user=recruiter, name="BI")
    client.force_login(alice)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404

    client.force_login(recruiter)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_user_menus_link_to_the_tokens_page(client, recruiter, alice):
    for user, home in ((recruiter, "/missions/"), (alice, "/portal/")):
        client.force_login(user)
        assert 'href="/api/tokens/"' in client.get(home).content.decode()


def test_a_token_gets_429_past_its_request_budget(recruiter, settings):
    cache.clear()  # the counts of an earlier test that used the same token id
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "2/minute"},
    }
    _token, secret = services.create_token(user=recruiter, name="Busy")
    _other, other_secret = services.create_token(user=recruiter, name="Quiet")
    busy = ApiClient(secret)

    answers = [busy.get("/api/v1/skills/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert ApiClient(other_secret).get("/api/v1/skills/").status_code == 200


def test_an_admin_revokes_a_leaked_token_from_the_admin(admin_client, recruiter):
    token, secret = services.create_token(user=recruiter, name="Leaked")

    response = admin_client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(secret).get("/api/v1/missions/").status_code == 401


def test_the_admin_cannot_create_a_token_or_read_a_secret(admin_client, recruiter):
    token, secret = services.create_token(user=recruiter, name="BI")

    assert admin_client.get("/admin/api/apitoken/add/").status_code == 403
    page = admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert secret not in page
    assert token.digest not in page

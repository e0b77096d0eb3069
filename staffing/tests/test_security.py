"""Trust: production settings that pass Django's deploy check, a strict Content Security
Policy, login abuse locked out, password reset that tells nothing, private CV files, and
emails that cannot break the action that sent them."""

import json
import logging
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.views.static import serve

from missions import services
from missions.models import EntryState, MissionState
from staffing import settings as project_settings

REPO = Path(__file__).resolve().parents[2]
LOGIN = reverse("login")
# A key like the one `.env.example` tells operators to generate (50+ random characters).
PRODUCTION_KEY = "v7Qm2xKp9LwR4tZb8NcY1sHd6FgJ3eUa5BqX0oVi7MnTy2Wk4Pr9LsDz6Ch8Gf1Ej"
PRODUCTION = {
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "desk.example.com",
    "EMAIL_URL": "smtp+tls://desk:secret@smtp.example.com:587",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def run_python(script, **variables):
    """Run `script` in a fresh interpreter whose environment holds only `variables`; the
    `.env` reader is switched off so a developer's local `.env` cannot change the answer."""
    prelude = "import environ\nenviron.Env.read_env = lambda *args, **kwargs: None\n"
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", prelude + script],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "staffing.settings", **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )


DEPLOY_CHECK = """
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
"""


def deploy_check(**variables):
    result = run_python(DEPLOY_CHECK, **variables)
    return result.returncode, result.stdout + result.stderr


# ---------------------------------------------------------------- production settings


def test_production_settings_pass_the_deploy_check_without_a_warning():
    code, output = deploy_check(**PRODUCTION)

    assert code == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


def test_the_development_secret_key_is_flagged_by_the_deploy_check():
    without_key = {name: value for name, value in PRODUCTION.items() if name != "SECRET_KEY"}

    code, output = deploy_check(**without_key)

    assert code != 0
    assert "security.W009" in output


def test_the_deploy_check_flags_each_https_protection_turned_off():
    code, output = deploy_check(
        **PRODUCTION,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
    )

    assert code != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output


def test_the_deploy_check_refuses_the_console_email_backend():
    code, output = deploy_check(SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="desk.example.com")

    assert code != 0
    assert "mail.E001" in output


PROXY_HEADER = """
import json
from staffing import settings
print(json.dumps(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)))
"""


def test_the_proxy_ssl_header_is_trusted_only_when_enabled():
    enabled = run_python(PROXY_HEADER, SECURE_PROXY_SSL_HEADER_ENABLED="1")
    default = run_python(PROXY_HEADER)

    assert json.loads(enabled.stdout) == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert json.loads(default.stdout) is None


def test_behind_a_tls_proxy_https_requests_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    url = reverse("health")

    assert client.get(url, headers={"x-forwarded-proto": "https"}).status_code == 200
    plain = client.get(url)
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")


# ---------------------------------------------------------------- headers and CSP


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.mark.parametrize(
    ("url_name", "logged_in"),
    [("login", False), ("missions:dashboard", True), ("candidates:list", True)],
)
def test_pages_carry_a_csp_whose_scripts_need_the_nonce(client, recruiter, url_name, logged_in):
    if logged_in:
        client.force_login(recruiter)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    script_src = csp_directives(response)["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    (nonce,) = [value for value in script_src if value.startswith("'nonce-")]
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts, "the page loads htmx"
    assert all(f'nonce="{nonce[7:-1]}"' in tag for tag in scripts)


def test_pages_cannot_be_framed_and_do_not_leak_the_referrer(client):
    response = client.get(LOGIN)

    assert response["X-Frame-Options"] == "DENY"
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------- login abuse


def log_in(client, username, password, address="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="203.0.113.5"):
    return [log_in(client, username, "wrong", address).status_code for _ in range(times)]


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_fifth_failed_login_locks_that_username_from_that_address(client, recruiter):
    assert fail(client, "recruiter", 4) == [200] * 4

    locked = log_in(client, "recruiter", "wrong")

    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert "paused for 15 minutes" in locked.content.decode()
    # Even the right password is refused while the lock holds.
    assert log_in(client, "recruiter", "demo").status_code == 429
    assert not logged_in(client)


def test_a_lock_does_not_reach_other_addresses_or_other_usernames(client, recruiter, alice):
    fail(client, "recruiter", 5)

    assert log_in(client, "recruiter", "demo", address="198.51.100.7").status_code == 302
    client.logout()
    assert log_in(client, "alice", "demo").status_code == 302


def test_an_unknown_username_is_locked_the_same_way(client, db):
    # The lockout page must not tell whether an account exists.
    assert fail(client, "nobody-here", 5)[-1] == 429


def test_a_successful_login_resets_the_count(client, recruiter):
    fail(client, "recruiter", 4)
    assert log_in(client, "recruiter", "demo").status_code == 302
    client.logout()

    assert fail(client, "recruiter", 4) == [200] * 4
    assert log_in(client, "recruiter", "demo").status_code == 302


def test_the_lock_is_lifted_after_fifteen_minutes(client, recruiter):
    fail(client, "recruiter", 5)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert log_in(client, "recruiter", "demo").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "recruiter", "demo").status_code == 302


def test_an_admin_unlocks_by_deleting_the_access_attempt(client, recruiter, admin_user):
    fail(client, "recruiter", 5)
    attempt = AccessAttempt.objects.get(username="recruiter")
    admin = type(client)()
    admin.force_login(admin_user)

    response = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert log_in(client, "recruiter", "demo").status_code == 302


def test_the_admin_login_is_protected_too(client, admin_user):
    url = reverse("admin:login")
    codes = [
        client.post(url, {"username": "admin", "password": "wrong"}).status_code for _ in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]


def test_behind_trusted_proxies_attempts_are_counted_per_forwarded_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = "10.0.0.1, 203.0.113.5"  # the client wrote the first one; the proxy added the last
    request = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", headers={"x-forwarded-for": forged})

    assert project_settings.login_client_ip(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 0
    assert project_settings.login_client_ip(request) == "127.0.0.1"


# ---------------------------------------------------------------- password reset


def without_per_request_tokens(html):
    """The page without what differs on every request anyway (CSRF token, CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r"hx-headers=\'[^\']*\'", "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def test_password_reset_answers_the_same_whether_the_account_exists(client, recruiter, mailoutbox):
    url = reverse("password_reset")

    known = client.post(url, {"email": recruiter.email}, follow=True)
    unknown = client.post(url, {"email": "nobody@example.com"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert without_per_request_tokens(known.content.decode()) == without_per_request_tokens(
        unknown.content.decode()
    )
    assert [message.to for message in mailoutbox] == [[recruiter.email]]


# ---------------------------------------------------------------- private files


def test_cv_storage_has_no_public_url_and_lives_outside_the_static_files():
    options = project_settings.STORAGES["private"]["OPTIONS"]
    private = Path(project_settings.PRIVATE_MEDIA_ROOT).resolve()

    assert options["base_url"] is None
    assert not getattr(project_settings, "MEDIA_URL", "")
    assert Path(options["location"]).resolve() == private
    for public in [project_settings.STATIC_ROOT, *project_settings.STATICFILES_DIRS]:
        public = Path(public).resolve()
        assert not private.is_relative_to(public)
        assert not public.is_relative_to(private)


def file_serving_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from file_serving_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.callback is serve:
            yield pattern


def test_no_url_pattern_serves_the_private_files(settings):
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()

    for pattern in file_serving_patterns(get_resolver().url_patterns):
        root = Path(pattern.default_args.get("document_root", "/")).resolve()
        assert not private.is_relative_to(root), pattern


def test_a_stored_cv_cannot_be_fetched_by_guessing_its_address(desk, candidate):
    candidate.cv.save("cv.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    name = candidate.cv.name

    for guess in (f"/{name}", f"/media/{name}", f"/private/{name}", f"/static/{name}"):
        assert desk.get(guess).status_code == 404, guess
    assert desk.get(reverse("candidates:cv", args=[candidate.pk])).status_code == 200


# ---------------------------------------------------------------- emails


class BrokenMailServer(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def test_a_failing_mail_server_does_not_fail_sending_a_shortlist(
    desk,
    settings,
    mission_a,
    candidate,
    recruiter,
    alice,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}
    entry = services.shortlist_candidate(mission=mission_a, candidate=candidate, by=recruiter)
    entry.report, entry.client_rate = "Knows the domain.", 700
    entry.save(update_fields=["report", "client_rate"])

    # The email goes out once the transaction commits; a callback that raised would
    # propagate here and fail the test, as it would fail the request in production.
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True) as sent:
        response = desk.post(reverse("missions:shortlist_send", args=[mission_a.pk]))

    assert len(sent) >= 1, "the notification ran"
    assert response.status_code == 302
    entry.refresh_from_db()
    mission_a.refresh_from_db()
    assert entry.state == EntryState.SENT
    assert mission_a.state == MissionState.SHORTLIST_SENT
    (record,) = [r for r in caplog.records if r.name == "staffing.mail"]
    assert record.levelno == logging.ERROR
    assert "alice@example.com" in record.getMessage()
    assert record.exc_info[0] is ConnectionRefusedError

"""Settings defaults: safe when the environment says nothing, French and Paris time."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]

# Prints the settings under test as JSON. The `.env` reader is switched off so a developer's
# local `.env` cannot change what "nothing in the environment" means.
PRINT_SETTINGS = """
import json, environ
environ.Env.read_env = lambda *args, **kwargs: None
from staffing import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "LANGUAGE_CODE": s.LANGUAGE_CODE,
    "TIME_ZONE": s.TIME_ZONE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "LANGUAGE_COOKIE_SECURE": s.LANGUAGE_COOKIE_SECURE,
    "LANGUAGE_COOKIE_HTTPONLY": s.LANGUAGE_COOKIE_HTTPONLY,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "DATABASE_ENGINE": s.DATABASES["default"]["ENGINE"],
    "DATABASE_OPTIONS": s.DATABASES["default"].get("OPTIONS", {}),
}))
"""


def settings_with_environment(**variables):
    """The settings module as a fresh process sees it with only `variables` set."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", **variables},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_debug_is_off_when_the_environment_does_not_set_it():
    loaded = settings_with_environment()

    assert loaded["DEBUG"] is False


def test_https_protections_are_on_by_default():
    loaded = settings_with_environment()

    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] > 0


def test_debug_can_be_turned_on_from_the_environment():
    loaded = settings_with_environment(DEBUG="true")

    assert loaded["DEBUG"] is True
    assert loaded["SECURE_SSL_REDIRECT"] is False


def test_the_default_database_is_sqlite_with_immediate_transactions():
    loaded = settings_with_environment()

    assert loaded["DATABASE_ENGINE"] == "django.db.backends.sqlite3"
    # IMMEDIATE serialises writers, which the count-then-insert rules (R1, R2) rely on.
    assert loaded["DATABASE_OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_interface_is_french_on_paris_time_by_default():
    loaded = settings_with_environment()

    assert loaded["LANGUAGE_CODE"] == "fr"
    assert loaded["TIME_ZONE"] == "Europe/Paris"


@pytest.mark.french
def test_the_running_settings_are_french_on_paris_time():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert "en" in dict(settings.LANGUAGES)

"""Browser tests: pytest-django's live server driven by the system Chromium through Playwright.

They run as their own pytest process (`make e2e`) because they relax Django's async-safety check.
Without a Chromium they are skipped, unless E2E_REQUIRED=1 (CI), which turns a missing browser
or a run where no browser test passed into a failure.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client, override_settings

from staffing import access

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls from such a thread. Set before Django serves the first request of this process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS_DIR = E2E_DIR / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
# Flags for a headless Chromium as root in a container, with no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def e2e_required():
    return os.environ.get("E2E_REQUIRED", "") not in ("", "0", "false", "False")


def find_chromium():
    """The browser to drive: CHROMIUM_PATH if set, else a Chromium or Chrome on PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    if find_chromium():
        return
    reason = "no Chromium found (install the 'chromium' package or set CHROMIUM_PATH)"
    if e2e_required():
        raise pytest.UsageError(f"E2E_REQUIRED is set but {reason}.")
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(skip)


def pytest_sessionfinish(session, exitstatus):
    # In CI a green run must mean the browser tests ran, not that they were all skipped.
    if not e2e_required() or exitstatus != pytest.ExitCode.OK:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and not reporter.stats.get("passed"):
        reporter.write_line("E2E_REQUIRED is set but no browser test passed.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": find_chromium(),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def context(context, live_server):
    # The app speaks French unless the language switcher's cookie says otherwise; tests read
    # the English source strings. A test may switch to French with the switcher.
    context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return context


@pytest.fixture(scope="session")
def _plain_http_settings():
    # The live server speaks plain HTTP, and SecurityMiddleware reads its settings once, when
    # the server starts: a per-test override would come too late to stop the HTTPS redirect.
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_settings, live_server):
    return live_server


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    # Live-server tests empty the database after each test, the role groups made by a data
    # migration included. (pytest-django's serialized rollback cannot restore them: once
    # Playwright runs, tests see another connection object than the one holding the data.)
    for name in access.ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def screenshot(page, request):
    """Save the page as e2e/screenshots/<test>[-<label>].png (git-ignored) and return the path."""

    def take(label=""):
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        name = request.node.name + (f"-{label}" if label else "")
        path = SCREENSHOTS_DIR / (re.sub(r"[^\w.-]+", "-", name).strip("-") + ".png")
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def console_errors(page):
    """Errors the page logs to the console, CSP violations included; assert it stays empty."""
    errors = []

    def on_console(message):
        # The browser asks for /favicon.ico on its own; that is not the page's doing.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(" ".join(filter(None, [message.text, message.location.get("url")])))

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def login_as(live_server, context):
    """Log a user in for this browser by handing it a session cookie (skips the login form)."""

    def login(user):
        client = Client()
        client.force_login(user)
        cookie_name = django_settings.SESSION_COOKIE_NAME
        context.add_cookies(
            [
                {
                    "name": cookie_name,
                    "value": client.cookies[cookie_name].value,
                    "url": live_server.url,
                }
            ]
        )
        return user

    return login

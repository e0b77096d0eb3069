"""The app survives its neighbours failing: a database restart and a mail server that is down.

Database: with persistent connections (CONN_MAX_AGE) a worker keeps its connection between
requests; after a PostgreSQL restart that connection is dead. Django checks it at the first
query of each request (CONN_HEALTH_CHECKS) and opens a new one, so the first request after the
restart already succeeds. The requests go through Django's real WSGI handler: the test client
leaves out the connection bookkeeping that runs at the start and end of each request.

Mail: notifications are sent once the transaction has committed; a mail server that refuses
the connection is logged and the action stays done.
"""

import logging
from datetime import timedelta

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview
from missions import services
from missions.models import ClientContact, EntryState, MissionState, ShortlistEntry

# ---------------------------------------------------------------- database restart

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="kills a PostgreSQL backend process (set DATABASE_URL=postgres://…)",
)


def serve(path, session_cookie):
    """GET `path` through Django's WSGI handler, as a production server would."""
    environ = RequestFactory().get(path, HTTP_COOKIE=f"sessionid={session_cookie}").environ
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        b"".join(response)
    finally:
        response.close()  # sends request_finished, as the server does
    return int(statuses[0].split()[0])


def backend_pid():
    return connection.connection.info.backend_pid


def kill_backend(pid):
    """Terminate one server process from a second connection, as a restart would."""
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0], "the backend was not terminated"
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
    finally:
        killer.close()
    raise AssertionError(f"backend {pid} still running")


@pytest.fixture
def recruiter_session(client, recruiter):
    client.force_login(recruiter)
    return client.cookies["sessionid"].value


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_request_after_a_database_restart_succeeds(recruiter_session):
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    dashboard = reverse("missions:dashboard")
    assert serve(dashboard, recruiter_session) == 200
    stale = backend_pid()  # the persistent connection the next request will find

    kill_backend(stale)

    assert serve(dashboard, recruiter_session) == 200
    assert backend_pid() != stale


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_health_check_a_request_fails_after_a_restart(recruiter_session):
    """Why CONN_HEALTH_CHECKS is on: without it the stale connection fails a request."""
    dashboard = reverse("missions:dashboard")
    assert serve(dashboard, recruiter_session) == 200
    connection.health_check_enabled = False  # as if CONN_HEALTH_CHECKS were off
    stale = backend_pid()

    kill_backend(stale)

    assert serve(dashboard, recruiter_session) == 500
    # Django drops a connection that raised at the end of the request: the next one works.
    assert serve(dashboard, recruiter_session) == 200


# ---------------------------------------------------------------- mail server down


class RefusingMailServer(BaseEmailBackend):
    """A mail server that refuses every connection, and counts the tries."""

    tries = 0

    def send_messages(self, email_messages):
        type(self).tries += 1
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}
    RefusingMailServer.tries = 0
    return RefusingMailServer


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def reported_entry(mission, candidate, by):
    entry = services.shortlist_candidate(mission=mission, candidate=candidate, by=by)
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Knows the domain.", client_rate=700)
    return entry


def refused_mail_logged(caplog):
    return [
        record
        for record in caplog.records
        if record.levelno == logging.ERROR
        and record.exc_info
        and isinstance(record.exc_info[1], ConnectionRefusedError)
    ]


def test_sending_a_shortlist_succeeds_when_the_mail_server_is_down(
    desk,
    mission_a,
    alice,
    candidate,
    recruiter,
    mail_server_down,
    caplog,
    django_capture_on_commit_callbacks,
):
    entry = reported_entry(mission_a, candidate, recruiter)

    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = desk.post(reverse("missions:shortlist_send", args=[mission_a.pk]))

    assert response.status_code == 302
    assert callbacks, "the notification is sent after the commit"
    assert mail_server_down.tries == 1
    entry.refresh_from_db()
    mission_a.refresh_from_db()
    assert entry.state == EntryState.SENT
    assert mission_a.state == MissionState.SHORTLIST_SENT
    assert refused_mail_logged(caplog)


def test_inviting_a_contact_succeeds_when_the_mail_server_is_down(
    desk, client_a, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("missions:contact_invite", args=[client_a.pk]),
            {"first_name": "Chloé", "last_name": "Martin", "email": "chloe@example.com"},
        )

    assert response.status_code == 302
    assert mail_server_down.tries == 1
    assert ClientContact.objects.filter(user__email="chloe@example.com").exists()
    assert refused_mail_logged(caplog)


def test_scheduling_an_interview_succeeds_when_the_mail_server_is_down(
    desk,
    mission_a,
    alice,
    candidate,
    recruiter,
    mail_server_down,
    caplog,
    django_capture_on_commit_callbacks,
):
    entry = reported_entry(mission_a, candidate, recruiter)
    services.send_shortlist(mission=mission_a, by=recruiter)
    when = timezone.localtime() + timedelta(days=3)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("interviews:schedule", args=[entry.pk]),
            {
                "kind": "client",
                "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": "60",
                "recruiter": str(recruiter.pk),
            },
        )

    assert response.status_code == 302
    assert mail_server_down.tries >= 1
    assert Interview.objects.filter(entry=entry).count() == 1
    assert refused_mail_logged(caplog)

"""A property-based run of the API against its own OpenAPI schema (schemathesis): every
operation, as a recruiter and as a client contact, with generated requests. No answer may
be a server error or break the schema, and a client never receives another company's data
or a freelancer's contact details.

Marked `slow` (CI runs it, with SLOW_TESTS=1): a handful of examples per operation keeps the
whole run to a few minutes on two cores.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import services as api_services
from interviews import services as interview_services
from missions import services
from tests.factories import CandidateFactory, MissionFactory, SkillFactory

pytestmark = pytest.mark.slow

# Markers only the other company's records carry: none may reach alice.
OTHER_COMPANY_MARKERS = ("Brenner-only mission", "Zébulon", "brenner-secret")
# Every profile's email is at this domain (the factories'): a client never gets one.
CONTACT_DETAIL_MARKERS = ("@mail.test", "06 12 34 56 78", "rue de la Paix")


def shortlist(mission, candidate, recruiter):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    services.update_entry(entry=entry, by=recruiter, report="Solid profile.", client_rate=700)
    return entry


@pytest.fixture
def world(recruiter, client_a, client_b, alice, bob):
    """Both companies with a sent shortlist and an interview, so that ids 1, 2… exist."""
    SkillFactory(name="Python")
    mission_a = MissionFactory(client=client_a, owner=recruiter, title="Transalp mission")
    mission_b = MissionFactory(
        client=client_b, owner=recruiter, title="Brenner-only mission", description="brenner-secret"
    )
    for mission, name in ((mission_a, "Camille"), (mission_b, "Zébulon")):
        entry = shortlist(mission, CandidateFactory(first_name=name), recruiter)
        services.send_shortlist(mission=mission, by=recruiter)
        interview_services.schedule_interview(
            entry=entry, by=recruiter, scheduled_at=timezone.now() - timedelta(days=1)
        )
    return {"recruiter": recruiter, "alice": alice}


@pytest.fixture
def app():
    """The project as a WSGI application, built now so that it reads the test settings (no
    HTTPS redirect). As in Django's test client, a request does not close the database
    connection: it holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema(user, app):
    _token, secret = api_services.create_token(user=user, name="schemathesis")
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, headers=headers)
    schema.auth_headers = headers
    return schema


@pytest.fixture
def recruiter_schema(world, app):
    return _schema(world["recruiter"], app)


@pytest.fixture
def client_schema(world, app):
    return _schema(world["alice"], app)


def nothing_of_another_company(ctx, response, case):
    """A client's answers hold no other company's record and no contact details."""
    text = response.text
    for marker in OTHER_COMPANY_MARKERS + CONTACT_DETAIL_MARKERS:
        if marker in text:
            raise AssertionError(f"A client received {marker!r}: {case.method} {case.path}")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def run_every_operation(schema, checks):
    """Each operation of the schema with generated requests; the failures, all of them."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @BOUNDED
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=schema.auth_headers, checks=checks)

        try:
            run()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - list them all
            failures.append(f"{operation.label}: {failure}")
    return failures


def test_the_api_keeps_its_schema_for_a_recruiter(recruiter_schema):
    failures = run_every_operation(recruiter_schema, CHECKS)
    assert not failures, "\n\n".join(failures)


def test_the_api_keeps_its_schema_and_its_scope_for_a_client(client_schema):
    failures = run_every_operation(client_schema, [*CHECKS, nothing_of_another_company])
    assert not failures, "\n\n".join(failures)

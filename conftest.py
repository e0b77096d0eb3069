"""The shared cast: a recruiter, an admin, alice (contact at Transalp) and bob (contact at
Brenner), an open mission for each client, and static files that need no manifest."""

import os

import pytest
from django.utils import translation

from candidates.models import ComplianceRequirement
from staffing import access
from tests.factories import (
    CandidateFactory,
    ClientFactory,
    MissionFactory,
    UserFactory,
    add_role,
    make_contact,
    make_recruiter,
)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _english_interface(request, settings):
    # Tests read the English source strings; the French default has its own tests (@french).
    if request.node.get_closest_marker("french"):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_immediately(request, settings):
    # A task (an email's delivery) runs as it is enqueued, so a test sees its effect at once
    # (`mailoutbox`); emails are still enqueued only after the commit, as in production
    # they leave only after it (`django_capture_on_commit_callbacks(execute=True)`).
    # Tests about the queue itself are marked `task_queue`: they keep the database queue and
    # run the worker (`manage.py db_worker`).
    if not request.node.get_closest_marker("task_queue"):
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }


@pytest.fixture(autouse=True)
def _api_unthrottled(settings):
    # The API's request budget (API_THROTTLE_RATE) is for production; tests that are about
    # it set a rate of their own.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": None},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher is slow on purpose; tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The default storage gets a folder of its own: a file that went there instead of the
    # private storage would be missing where the tests look for it.
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "default", "base_url": None},
        },
    }


@pytest.fixture
def recruiter(db):
    return make_recruiter("recruiter", first_name="Élodie", last_name="Martin")


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return add_role(user, access.ADMIN)


@pytest.fixture
def client_a(db):
    return ClientFactory(name="Transalp Logistique")


@pytest.fixture
def client_b(db):
    return ClientFactory(name="Brenner Assurances")


@pytest.fixture
def alice(client_a):
    return make_contact("alice", client_a, first_name="Alice", last_name="Moreau")


@pytest.fixture
def bob(client_b):
    return make_contact("bob", client_b, first_name="Bob", last_name="Durand")


@pytest.fixture
def mission_a(client_a, recruiter):
    return MissionFactory(client=client_a, owner=recruiter, reference="M-2026-00001")


@pytest.fixture
def mission_b(client_b, recruiter):
    return MissionFactory(client=client_b, owner=recruiter, reference="M-2026-00002")


@pytest.fixture
def candidate(db):
    return CandidateFactory(first_name="Camille", last_name="Lefèvre", day_rate=550)


@pytest.fixture
def candidates(db):
    return CandidateFactory.create_batch(6)


def _slow(item):
    """Property-based tests (hypothesis) and the benchmark's query counts at two data sizes
    take most of the suite's time: they are marked `slow`."""
    if item.get_closest_marker("slow"):
        return True
    return bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False))


def pytest_collection_modifyitems(config, items):
    # `make test` stays quick: slow tests run with SLOW_TESTS=1 (`make test-all`, and CI).
    # A `-m` expression given on the command line decides on its own.
    slow = [item for item in items if _slow(item)]
    for item in slow:
        item.add_marker(pytest.mark.slow)
    if os.environ.get("SLOW_TESTS", "") not in ("", "0") or config.getoption("markexpr"):
        return
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not _slow(item)]


def _uses_the_database(request):
    if request.node.get_closest_marker("django_db"):
        return True
    return bool({"db", "transactional_db"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _no_mandatory_documents(request):
    # R9's mandatory documents are reference data (seeded by a migration, edited in the
    # admin). Tests of other features select profiles that hold no documents: they run with
    # no document mandatory. Tests of compliance itself are marked `compliance` and keep the
    # seeded requirements.
    if request.node.get_closest_marker("compliance") or not _uses_the_database(request):
        return
    request.getfixturevalue("_django_db_helper")

    ComplianceRequirement.objects.all().delete()

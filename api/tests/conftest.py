"""Tokens and an HTTP client that sends one, as another tool would."""

import pytest
from django.test import Client

from api import services
from tests.factories import SkillFactory


class ApiClient:
    """A Django test client that sends a personal token and speaks JSON."""

    def __init__(self, secret=None):
        self.browser = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, url, data=None):
        return self.browser.get(url, data, headers=self.headers)

    def post(self, url, data=None):
        return self.browser.post(
            url, data or {}, content_type="application/json", headers=self.headers
        )

    def patch(self, url, data):
        return self.browser.patch(url, data, content_type="application/json", headers=self.headers)

    def delete(self, url):
        return self.browser.delete(url, headers=self.headers)


def api_for(user):
    _token, secret = services.create_token(user=user, name="tests")
    return ApiClient(secret)


@pytest.fixture
def recruiter_api(recruiter):
    return api_for(recruiter)


@pytest.fixture
def alice_api(alice):
    return api_for(alice)


@pytest.fixture
def bob_api(bob):
    return api_for(bob)


@pytest.fixture
def python_skill(db):
    return SkillFactory(name="Python")

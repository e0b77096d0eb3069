"""What a signed-in user sees, and every download, stays out of caches (`private, no-store`);
the language cookie is as protected as the session's in production."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from interviews.tests.test_views import schedule, sent_entry_for
from staffing.middleware import PrivateResponsesMiddleware
from staffing.tests.test_settings import settings_with_environment

NO_STORE = "private, no-store"


@pytest.mark.parametrize(
    "url_name",
    [
        "missions:dashboard",
        "missions:list",
        "candidates:list",
        "interviews:list",
        "insights:index",
    ],
)
def test_every_desk_page_is_private_and_not_stored(client, recruiter, url_name):
    client.force_login(recruiter)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


@pytest.mark.parametrize("url_name", ["portal:home", "portal:interviews", "insights:client"])
def test_every_portal_page_is_private_and_not_stored(client, alice, url_name):
    client.force_login(alice)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_redirect_for_a_signed_in_user_is_not_stored_either(client, recruiter):
    client.force_login(recruiter)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Cache-Control"] == NO_STORE


def test_the_csv_export_is_not_stored(client, recruiter):
    client.force_login(recruiter)

    response = client.get(reverse("insights:index"), {"format": "csv", "table": "funnel"})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == NO_STORE


def test_the_calendar_file_is_not_stored(client, alice, mission_a, candidate, recruiter):
    interview = schedule(sent_entry_for(mission_a, candidate, recruiter), recruiter)
    client.force_login(alice)

    response = client.get(reverse("interviews:ics", args=[interview.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == NO_STORE


def test_a_download_is_not_stored_even_without_a_session():
    def attachment(request):
        response = HttpResponse(b"x")
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        return response

    request = RequestFactory().get("/")

    response = PrivateResponsesMiddleware(attachment)(request)

    assert response["Cache-Control"] == NO_STORE


def test_the_language_cookie_is_secure_and_hidden_from_scripts_in_production(
    client, recruiter, settings
):
    production = settings_with_environment()
    settings.LANGUAGE_COOKIE_SECURE = production["LANGUAGE_COOKIE_SECURE"]
    settings.LANGUAGE_COOKIE_HTTPONLY = production["LANGUAGE_COOKIE_HTTPONLY"]
    client.force_login(recruiter)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_the_language_cookie_works_over_plain_http_when_debugging():
    loaded = settings_with_environment(DEBUG="true")

    assert loaded["LANGUAGE_COOKIE_SECURE"] is False
    assert loaded["LANGUAGE_COOKIE_HTTPONLY"] is True

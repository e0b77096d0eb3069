"""French is the agency's language: pages speak French whatever the browser asks, until the
user picks English with the switcher."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.french


def test_pages_are_french_even_for_an_english_browser(client, recruiter):
    client.force_login(recruiter)
    response = client.get(reverse("missions:dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert "Tableau de bord" in response.content.decode()


def test_the_switcher_turns_the_interface_to_english(client, recruiter):
    client.force_login(recruiter)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("missions:dashboard"))
    assert '<html lang="en">' in response.content.decode()
    assert "Dashboard" in response.content.decode()


def test_money_is_written_the_french_way(client, recruiter, mission_a):
    client.force_login(recruiter)
    body = client.get(mission_a.get_absolute_url()).content.decode()
    assert "650\u00a0€/j" in body

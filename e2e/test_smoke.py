"""The application answers in a real browser: the login page renders and logging in works."""

import re

from django.urls import reverse
from playwright.sync_api import expect


def test_an_anonymous_visitor_is_sent_to_the_login_page(page, live_server):
    page.goto(live_server.url + "/")

    expect(page).to_have_url(re.compile(re.escape(reverse("login")) + r"\?next=/$"))


def test_the_login_page_shows_a_form_with_username_and_password(
    page, live_server, screenshot, console_errors
):
    response = page.goto(live_server.url + reverse("login"))

    assert response.status == 200
    form = page.locator("form").filter(has=page.locator("input[name=password]"))
    expect(form.locator("input[name=username]")).to_be_visible()
    expect(form.locator("input[name=password]")).to_have_attribute("type", "password")
    screenshot()
    # The strict Content Security Policy reports blocked scripts and styles here.
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def test_a_recruiter_who_logs_in_lands_on_the_missions_dashboard(page, live_server, recruiter):
    page.goto(live_server.url + reverse("login"))

    page.get_by_label("Username").fill(recruiter.username)
    page.get_by_label("Password").fill("demo")  # the factories' password
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server.url + reverse("missions:dashboard"))


def test_a_logged_in_client_contact_is_sent_to_the_portal(page, live_server, login_as, alice):
    login_as(alice)

    page.goto(live_server.url + "/")

    expect(page).to_have_url(live_server.url + reverse("portal:home"))

"""Insights in a real browser: the server-drawn charts render under the strict CSP."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect


@pytest.fixture
def demo_data():
    """The demo data set: months of missions played through the rule functions."""
    call_command("seed_demo", "--force", verbosity=0)
    users = get_user_model().objects
    return users.get(username="recruiter"), users.get(username="alice")


def test_a_recruiter_sees_the_insights_charts_with_their_tables(
    page, live_server, login_as, demo_data, screenshot, console_errors
):
    recruiter, _alice = demo_data
    login_as(recruiter)

    page.goto(live_server.url + reverse("insights:index"))

    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Insights")).to_have_attribute("aria-current", "page")
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() >= 6
    expect(
        page.get_by_role("img", name="Funnel of the missions opened in the period")
    ).to_be_visible()
    funnel_box = page.locator("svg.chart--funnel").bounding_box()
    assert funnel_box["width"] > 300 and funnel_box["height"] > 150
    expect(page.locator("#t-channels tbody tr").first).to_be_visible()
    screenshot()
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def test_a_client_contact_sees_its_own_figures(
    page, live_server, login_as, demo_data, screenshot, console_errors
):
    _recruiter, alice = demo_data
    login_as(alice)

    page.goto(live_server.url + reverse("portal:home"))
    page.get_by_role("link", name="Figures").click()

    expect(page).to_have_url(live_server.url + reverse("insights:client"))
    expect(page.get_by_role("heading", name="Figures", level=1)).to_be_visible()
    expect(page.locator("svg.chart--funnel")).to_be_visible()
    screenshot()
    page.wait_for_load_state("networkidle")
    assert console_errors == []

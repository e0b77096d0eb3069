"""The desk's tables fit their panels on a laptop and on a phone: no key column hidden
behind a sideways scroll, no name or date cut off, no page wider than the screen."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from missions.models import Mission

WIDTHS = [1366, 390]


@pytest.fixture
def demo(_role_groups):
    call_command("seed_demo", "--force", verbosity=0)
    return get_user_model().objects


def overflowing(page):
    """Table boxes whose content is wider than the box, and whether the page scrolls sideways."""
    return page.evaluate(
        """() => ({
            tables: [...document.querySelectorAll('.table-wrap:has(table.fit)')]
                .filter(box => box.scrollWidth > box.clientWidth + 1).length,
            page: document.documentElement.scrollWidth > window.innerWidth + 1,
        })"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_fits_the_screen(page, live_server, login_as, demo, width):
    login_as(demo.get(username="recruiter"))
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + reverse("missions:dashboard"))

    assert page.locator("#h-wait").is_visible()
    assert page.locator("table.fit tbody tr").count() > 0, "the demo has profiles waiting"
    assert overflowing(page) == {"tables": 0, "page": False}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_mission_and_preview_pages_do_not_scroll_sideways(
    page, live_server, login_as, demo, width
):
    login_as(demo.get(username="recruiter"))
    page.set_viewport_size({"width": width, "height": 900})
    mission = Mission.objects.filter(shortlist__isnull=False).first()

    for name in ("missions:detail", "missions:shortlist_preview", "missions:matching"):
        page.goto(live_server.url + reverse(name, args=[mission.pk]))
        assert overflowing(page)["page"] is False, name

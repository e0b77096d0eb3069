"""An automated accessibility audit (axe-core, WCAG 2.1 A and AA rules) of the key pages of the
desk and the portal, on the demo data set: no serious or critical violation.

axe-core finds what a machine can (labels, contrast, landmarks, table headers, ARIA); it does
not replace trying the pages with a keyboard and a screen reader.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from candidates.models import Candidate
from missions.models import EntryState, Mission, Placement, ShortlistEntry

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo(_role_groups):
    call_command("seed_demo", "--force", verbosity=0)
    return get_user_model().objects


def blocking_violations(page):
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def audit(page, base_url, paths):
    found = {}
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, path
        violations = blocking_violations(page)
        if violations:
            found[path] = violations
    return found


def test_the_recruiter_desk_has_no_serious_accessibility_violation(
    page, live_server, login_as, demo
):
    login_as(demo.get(username="recruiter"))
    mission = Mission.objects.filter(shortlist__isnull=False).first()
    profile = Candidate.objects.filter(shortlist_entries__isnull=False).first()
    placement = Placement.objects.first()
    paths = [
        reverse("missions:dashboard"),
        reverse("missions:list"),
        reverse("missions:detail", args=[mission.pk]),
        reverse("missions:matching", args=[mission.pk]),
        reverse("missions:shortlist_preview", args=[mission.pk]),
        reverse("candidates:list"),
        reverse("candidates:detail", args=[profile.pk]),
        reverse("candidates:create"),
        reverse("candidates:documents", args=[profile.pk]),
        reverse("missions:placement_list"),
        reverse("missions:placement", args=[placement.pk]),
        reverse("insights:index"),
        reverse("api:tokens"),
    ]

    assert audit(page, live_server.url, paths) == {}


def test_the_client_portal_has_no_serious_accessibility_violation(
    page, live_server, login_as, demo
):
    alice = login_as(demo.get(username="alice"))
    sent = ShortlistEntry.objects.visible_to(alice).exclude(state=EntryState.PROPOSED).first()
    paths = [
        reverse("portal:home"),
        reverse("portal:mission", args=[sent.mission_id]),
        reverse("portal:entry", args=[sent.pk]),
        reverse("portal:new_demand"),
        reverse("portal:interviews"),
        reverse("insights:client"),
        reverse("api:tokens"),
    ]

    assert audit(page, live_server.url, paths) == {}

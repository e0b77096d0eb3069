"""The in-process side of the benchmark: picks the pages to load, logs the roles in and counts
each page's SQL queries with Django's test client, against the database the server will use.

Run by `bench/run.py` with DATABASE_URL pointing at a seeded database; prints one JSON object:
the pages (name, label, path, role, queries) and a session cookie per role.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# A logged-in session needs a backend Django can load the user with; the first configured
# one (django-axes) only counts failed logins.
MODEL_BACKEND = "staffing.auth.DeskBackend"
SEARCH_SENIORITY = "senior"
# Every page, in the order they are loaded; `insights` only when its URLs exist.
PAGE_NAMES = [
    "ceiling",
    "floor",
    "admin_changelist",
    "dashboard",
    "mission_list",
    "mission_detail",
    "profile_search",
    "profile_detail",
    "matching",
    "portal_missions",
    "portal_shortlist",
    "insights",
]
SEARCH_MAX_RATE = 700


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings")
    import django  # noqa: PLC0415 - configured by the environment above

    django.setup()


def _most_shortlisted_mission(missions):
    from django.db.models import Count  # noqa: PLC0415

    return missions.annotate(n=Count("shortlist")).order_by("-n", "pk").first()


def _search_skills():
    """The most common skill and the skill most often found with it: a realistic pair that
    many profiles share (the search then has results to rank and page through)."""
    from django.db.models import Count  # noqa: PLC0415

    from candidates.models import CandidateSkill, Skill  # noqa: PLC0415

    top = (CandidateSkill.objects.values("skill").annotate(n=Count("pk")).order_by("-n", "skill"))[
        0
    ]["skill"]
    with_top = CandidateSkill.objects.filter(candidate__skills__skill=top).exclude(skill=top)
    second = with_top.values("skill").annotate(n=Count("pk")).order_by("-n", "skill")[0]["skill"]
    return [Skill.objects.get(pk=top).name, Skill.objects.get(pk=second).name]


def pages():
    """(name, label, path, role) of every page the benchmark loads."""
    from urllib.parse import urlencode  # noqa: PLC0415

    from django.db.models import Count  # noqa: PLC0415
    from django.urls import NoReverseMatch, reverse  # noqa: PLC0415

    from candidates.models import Candidate  # noqa: PLC0415
    from missions.models import ClientContact, Mission, MissionState  # noqa: PLC0415

    mission = _most_shortlisted_mission(Mission.objects.all())
    to_match = (
        Mission.objects.filter(state=MissionState.OPEN)
        .annotate(k=Count("skills"))
        .order_by("-k", "pk")
        .first()
    ) or mission
    # The most positioned profile among those with every part of the page to draw
    # (experiences and projects too): an empty part skips its prefetch query, and the page
    # measured must be the same page at every size.
    profiles = Candidate.objects.annotate(
        n=Count("shortlist_entries", distinct=True),
        experience_count=Count("experiences", distinct=True),
        project_count=Count("projects", distinct=True),
    ).order_by("-n", "pk")
    profile = (
        profiles.filter(experience_count__gt=0, project_count__gt=0).first() or profiles.first()
    )
    alice_client = ClientContact.objects.get(user__username="alice").client
    portal_mission = _most_shortlisted_mission(
        Mission.objects.filter(client=alice_client, shortlist__sent_at__isnull=False)
    )
    search = urlencode(
        {
            "skills": ", ".join(_search_skills()),
            "max_rate": SEARCH_MAX_RATE,
            "seniority": SEARCH_SENIORITY,
        }
    )
    pages = [
        ("ceiling", "Ceiling: /health/ (no database)", reverse("health"), None),
        # The fixed cost of any logged-in page: session, user, roles, a small template.
        ("floor", "Floor: an empty logged-in page", reverse("no_role"), "recruiter"),
        ("admin_changelist", "Admin: profiles changelist", "/admin/candidates/candidate/", "admin"),
        ("dashboard", "Recruiter dashboard", reverse("missions:dashboard"), "recruiter"),
        ("mission_list", "Mission list", reverse("missions:list"), "recruiter"),
        ("mission_detail", "Mission detail", mission.get_absolute_url(), "recruiter"),
        (
            "profile_search",
            "Profile search (2 skills, max rate, seniority)",
            f"{reverse('candidates:list')}?{search}",
            "recruiter",
        ),
        ("profile_detail", "Profile detail", profile.get_absolute_url(), "recruiter"),
        (
            "matching",
            "Matching for a mission",
            reverse("missions:matching", args=[to_match.pk]),
            "recruiter",
        ),
        ("portal_missions", "Portal: mission list", reverse("portal:home"), "alice"),
        (
            "portal_shortlist",
            "Portal: a mission's shortlist",
            reverse("portal:mission", args=[portal_mission.pk]),
            "alice",
        ),
    ]
    try:
        pages.append(("insights", "Insights", reverse("insights:index"), "recruiter"))
    except NoReverseMatch:
        pass  # the insights pages are optional
    return pages


def session_cookie(username):
    from django.conf import settings  # noqa: PLC0415
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    client = Client(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=username), backend=MODEL_BACKEND)
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def count_queries(client, path):
    """(status, queries) of the page's second load: the first fills per-process caches
    (content types, translations) that a running server has already filled."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def probe():
    from django.test import Client  # noqa: PLC0415

    clients, cookies = {None: Client(HTTP_HOST=HOST)}, {}
    for role in ("recruiter", "alice", "admin"):
        clients[role], cookies[role] = session_cookie(role)
    measured = []
    for name, label, path, role in pages():
        started = time.perf_counter()
        status, queries = count_queries(clients[role], path)
        # Two loads: a rough time per load, which the runner sizes the page's load with.
        seconds = (time.perf_counter() - started) / 2
        measured.append(
            {
                "page": name,
                "label": label,
                "path": path,
                "role": role,
                "status": status,
                "queries": queries,
                "probe_ms": round(seconds * 1000, 1),
            }
        )
    return {"pages": measured, "cookies": cookies}


if __name__ == "__main__":
    setup_django()
    json.dump(probe(), sys.stdout)

"""The Nu HTML Checker (vnu) finds no error on the desk's and the portal's pages.

The pages are rendered on the demo data set with Django's test client, as a recruiter and as a
client contact, written to files and checked in one run of the checker (one Java start: it is
slow). The checker comes from npm (`make vnu`); without Java or the jar the test is skipped,
unless VNU_REQUIRED=1 (CI), which turns a missing checker into a failure.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from candidates import imports
from candidates.models import Candidate, ImportJob, ImportStatus
from interviews.models import Interview, InterviewState
from interviews.services import client_feedback_open
from missions.models import Client, Mission, Placement, ShortlistEntry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JAR = ROOT / ".tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_required():
    return os.environ.get("VNU_REQUIRED", "") not in ("", "0", "false", "False")


def vnu_command():
    """The command that runs the checker, or None with the reason it cannot run here."""
    jar = Path(os.environ.get("VNU_JAR", DEFAULT_JAR))
    java = shutil.which("java")
    if java is None:
        return None, "no Java found (install a JRE, e.g. Debian's default-jre-headless)"
    if not jar.is_file():
        return None, f"no checker at {jar} (run `make vnu`, or set VNU_JAR)"
    # The checker's recursion on deep documents overflows Java's default thread stack.
    return [java, "-Xss8m", "-jar", str(jar), "--format", "json", "--stdout"], None


@pytest.fixture
def checker():
    command, reason = vnu_command()
    if command is None:
        if vnu_required():
            pytest.fail(f"VNU_REQUIRED is set but {reason}.")
        pytest.skip(reason)
    return command


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--force", "--profiles", "40", verbosity=0)
    return get_user_model().objects


def recruiter_pages():
    """Every page of the desk once, and the pages whose content varies with the state of
    what they show (missions, profiles, interviews) once per object of the demo set."""
    mission = Mission.objects.filter(shortlist__isnull=False).first()
    entry = ShortlistEntry.objects.filter(mission=mission).first()
    interview = Interview.objects.first()
    done = Interview.objects.filter(state=InterviewState.DONE).first() or interview
    client = Client.objects.first()
    profile = Candidate.objects.filter(shortlist_entries__isnull=False).first()
    pages = {
        "dashboard": reverse("missions:dashboard"),
        "mission-list": reverse("missions:list"),
        "mission-edit": reverse("missions:edit", args=[mission.pk]),
        "mission-create": reverse("missions:create"),
        "matching": reverse("missions:matching", args=[mission.pk]),
        "entry-edit": reverse("missions:entry_edit", args=[entry.pk]),
        "client-list": reverse("missions:client_list"),
        "client-detail": reverse("missions:client_detail", args=[client.pk]),
        "client-edit": reverse("missions:client_edit", args=[client.pk]),
        "profile-list": reverse("candidates:list"),
        "profile-create": reverse("candidates:create"),
        "profile-edit": reverse("candidates:edit", args=[profile.pk]),
        "interview-list": reverse("interviews:list"),
        "interview-feedback": reverse("interviews:feedback", args=[done.pk]),
        "interview-schedule": reverse("interviews:schedule", args=[entry.pk]),
        "insights": reverse("insights:index"),
        "shortlist-preview": reverse("missions:shortlist_preview", args=[mission.pk]),
        "entry-select": reverse("missions:entry_select", args=[entry.pk]),
        "placement-list": reverse("missions:placement_list"),
        "profile-documents": reverse("candidates:documents", args=[profile.pk]),
        "api-tokens": reverse("api:tokens"),
        "pools": reverse("candidates:pools"),
        "catalogue": reverse("candidates:catalogue"),
        **import_pages(profile),
    }
    for each in Placement.objects.all()[:3]:
        pages[f"placement-{each.pk}"] = reverse("missions:placement", args=[each.pk])
    for each in Mission.objects.all():
        pages[f"mission-{each.pk}"] = reverse("missions:detail", args=[each.pk])
    for each in Candidate.objects.filter(shortlist_entries__isnull=False).distinct()[:8]:
        pages[f"profile-{each.pk}"] = reverse("candidates:detail", args=[each.pk])
    for each in Interview.objects.all():
        pages[f"interview-{each.pk}"] = reverse("interviews:detail", args=[each.pk])
    return pages


def import_pages(profile):
    """The import's upload page, a preview with an error and a duplicate, a finished import."""
    csv_file = f"Prénom;Nom;Email;TJM\nAda;Lovelace;x;abc\nA;B;{profile.email};500\n".encode()
    preview = imports.create_job(upload=SimpleUploadedFile("profils.csv", csv_file), by=None)
    done = ImportJob.objects.create(
        original_name="done.csv",
        status=ImportStatus.DONE,
        total_rows=2,
        rows_done=2,
        report=[{"row": 2, "kind": "skipped", "messages": ["x"], "profile": profile.pk}],
    )
    return {
        "import-upload": reverse("candidates:import_upload"),
        "import-preview": reverse("candidates:import_preview", args=[preview.pk]),
        "import-progress": reverse("candidates:import_progress", args=[done.pk]),
    }


def client_pages(contact):
    pages = {
        "portal-home": reverse("portal:home"),
        "portal-interviews": reverse("portal:interviews"),
        "portal-new-demand": reverse("portal:new_demand"),
        "portal-insights": reverse("insights:client"),
        "portal-api-tokens": reverse("api:tokens"),
    }
    for sent in ShortlistEntry.objects.visible_to(contact):
        pages[f"portal-mission-{sent.mission_id}"] = reverse(
            "portal:mission", args=[sent.mission_id]
        )
        pages[f"portal-entry-{sent.pk}"] = reverse("portal:entry", args=[sent.pk])
        if sent.state in ("sent", "interviewing"):
            pages[f"portal-interview-request-{sent.pk}"] = reverse(
                "portal:request_interview", args=[sent.pk]
            )
            pages[f"portal-select-{sent.pk}"] = reverse("portal:select", args=[sent.pk])
    for interview in Interview.objects.visible_to(contact):
        if not client_feedback_open(interview):
            continue  # the page redirects until the interview has taken place
        pages[f"portal-feedback-{interview.pk}"] = reverse("portal:feedback", args=[interview.pk])
    return pages


def render_pages(client, user, pages, folder):
    client.force_login(user)
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        (folder / f"{user.username}-{name}.html").write_bytes(response.content)


def html_errors(command, files):
    """The checker's errors, one line each: file name, line and message."""
    result = subprocess.run(  # noqa: S603 - the checker's fixed command and our own files
        [*command, *map(str, files)], capture_output=True, text=True, check=False
    )
    messages = json.loads(result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def test_the_desk_and_portal_pages_have_no_html_error(checker, demo, client, tmp_path):
    render_pages(client, demo.get(username="recruiter"), recruiter_pages(), tmp_path)
    client.logout()
    alice = demo.get(username="alice")
    render_pages(client, alice, client_pages(alice), tmp_path)
    client.logout()
    render_pages_anonymous(client, tmp_path)

    errors = html_errors(checker, sorted(tmp_path.glob("*.html")))
    assert errors == [], "\n".join(errors)


def render_pages_anonymous(client, folder):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    (folder / "anonymous-login.html").write_bytes(response.content)

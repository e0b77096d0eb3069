#!/usr/bin/env python
"""Mixed load on PostgreSQL: clients browse the desk and the portal while others race to
shortlist profiles on the same few missions and to schedule interviews for the same entries.

It builds a database `load_<name>` (migrate, then `seed_demo --force`), serves the app with
gunicorn (production settings over plain HTTP, 2 workers, bound to 127.0.0.1 on a free port),
drives it with --clients threads for --seconds, stops the server by its PID, then checks in
the database that no mission holds more than four active entries (R1) and no entry more than
three interviews that count (R2), and that no answer was a server error. The figures go to
docs/reliability.md, between its load markers, and to bench/results-load.json.

    .venv/bin/python bench/mixed_load.py --seconds 60 --clients 32

Clients log in through sessions created in the database (posting passwords again and again
would trip the login lockout), and post with the CSRF token of the page they come from, as a
browser does. Exit status 1 when a rule is broken or an answer is a 5xx.
"""

import argparse
import collections
import datetime
import http.client
import http.cookies
import json
import math
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HOST = "127.0.0.1"  # the only address this script ever talks to
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_NAME = re.compile(r"^load_[a-z0-9_]+$")
MAX_REQUESTS = 2_000_000  # a bound on the loops besides the time
REQUEST_TIMEOUT = 30
DOC = ROOT / "docs" / "reliability.md"
START, END = "<!-- load:results:start -->", "<!-- load:results:end -->"
RACED_MISSIONS = 3  # the few open missions every shortlisting client targets
RACED_ENTRIES = 4  # the entries every scheduling client targets
PORTAL_SHARE = 0.25  # share of the clients that are alice, in the portal
ACTIVE_ENTRY_STATES = ("proposed", "sent", "interview_requested", "interviewing", "selected")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="Load time (default 60).")
    parser.add_argument("--clients", type=int, default=32, help="Concurrent clients (32).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--profiles", type=int, default=60, help="seed_demo size (default 60).")
    parser.add_argument("--name", default="load_mixed", help="Database name (load_…).")
    parser.add_argument(
        "--server-url",
        default=os.environ.get("LOAD_SERVER_URL", DEFAULT_SERVER_URL),
        help="A PostgreSQL URL allowed to create databases (default %(default)s).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--no-doc", action="store_true", help="Do not rewrite the doc section.")
    parser.add_argument("--discover", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not DATABASE_NAME.match(args.name):
        parser.error("--name must look like load_<letters, digits, _>")
    return args


def log(message):
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------- database and server


def database_url(server_url, name):
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def app_env(db_url):
    """The benchmark's production settings over plain HTTP on the loopback; mail goes nowhere."""
    sys.path.insert(0, str(ROOT))
    from bench import run  # noqa: PLC0415 - needs the repository on the path

    env = run.app_env(db_url, secrets.token_urlsafe(50))
    env["EMAIL_URL"] = "dummymail://"
    return env


def manage(env, *arguments):
    subprocess.run(  # noqa: S603 - our interpreter, our manage.py
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True
    )


def build_database(args, env):
    import psycopg  # noqa: PLC0415 - only the driver process needs it

    with psycopg.connect(args.server_url, autocommit=True) as server:
        # The name is checked against DATABASE_NAME: safe to put in the statement.
        server.execute(f'DROP DATABASE IF EXISTS "{args.name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{args.name}"')
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--profiles", str(args.profiles), "--force", "-v0")


def drop_database(args):
    import psycopg  # noqa: PLC0415

    with psycopg.connect(args.server_url, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{args.name}" WITH (FORCE)')


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, stopped by its PID."""

    def __init__(self, env, workers):
        self.port = free_port()
        self.log = tempfile.TemporaryFile(mode="w+")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "staffing.wsgi:application",
            f"--workers={workers}",
            f"--bind={HOST}:{self.port}",
            "--log-level=warning",
            "--timeout=60",
            "--graceful-timeout=10",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed options
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait_until_up()

    def _wait_until_up(self):
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start:\n" + self.output())
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/health/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.output()


# ---------------------------------------------------------------- sessions and targets


def discover(clients):
    """In-process, against the load database: a session per client and the ids to aim at.
    Printed as JSON for the driver process."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings")
    import django  # noqa: PLC0415 - configured by the environment above

    django.setup()
    from django.contrib.auth import (  # noqa: PLC0415
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415
    from django.db.models import Count, Q  # noqa: PLC0415

    from candidates.models import Candidate  # noqa: PLC0415
    from missions.models import Mission, MissionState, ShortlistEntry  # noqa: PLC0415

    users = get_user_model().objects

    def session_for(username):
        user = users.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "staffing.auth.DeskBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    portal_clients = max(1, round(clients * PORTAL_SHARE))
    recruiters = ["recruiter", "thomas"]
    sessions = [
        {"role": "recruiter", "session": session_for(recruiters[i % 2])}
        for i in range(clients - portal_clients)
    ] + [{"role": "portal", "session": session_for("alice")} for _ in range(portal_clients)]
    open_states = [MissionState.OPEN, MissionState.SHORTLIST_SENT, MissionState.INTERVIEWING]
    raced = list(
        Mission.objects.filter(state__in=open_states)
        .annotate(active=Count("shortlist", filter=Q(shortlist__state__in=ACTIVE_ENTRY_STATES)))
        .order_by("active", "pk")
        .values_list("pk", flat=True)[:RACED_MISSIONS]
    )
    schedulable = (
        ShortlistEntry.objects.filter(state__in=["sent", "interview_requested", "interviewing"])
        .annotate(n=Count("interviews", filter=~Q(interviews__state="cancelled")))
        .order_by("n", "pk")
    )
    alice = users.get(username="alice")
    return {
        "sessions": sessions,
        "missions": list(Mission.objects.values_list("pk", flat=True)),
        "open_missions": list(
            Mission.objects.filter(state__in=open_states).values_list("pk", flat=True)
        ),
        "raced_missions": raced,
        "raced_entries": list(schedulable.values_list("pk", flat=True)[:RACED_ENTRIES]),
        "candidates": list(Candidate.objects.active().values_list("pk", flat=True)),
        "portal_missions": list(Mission.objects.visible_to(alice).values_list("pk", flat=True)),
    }


def run_discover(env, clients):
    done = subprocess.run(  # noqa: S603 - our interpreter and this script
        [sys.executable, __file__, "--discover", "--clients", str(clients)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


# ---------------------------------------------------------------- the clients


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REMOVE = re.compile(r"/missions/entries/(\d+)/remove/")
INTERVIEW = re.compile(r"/interviews/(\d+)/")


class Stats:
    """What every client saw, gathered under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = collections.defaultdict(list)
        self.statuses = collections.defaultdict(collections.Counter)
        self.errors = collections.Counter()
        self.outcomes = collections.defaultdict(collections.Counter)
        self.count = 0

    def record(self, label, status, seconds):
        with self.lock:
            self.latencies[label].append(seconds * 1000)
            self.statuses[label][status] += 1
            self.count += 1

    def outcome(self, label, outcome):
        with self.lock:
            self.outcomes[label][outcome] += 1

    def failed(self, label, error):
        with self.lock:
            self.errors[f"{label}: {type(error).__name__}"] += 1
            self.count += 1


class Browser:
    """One client: its cookies, and requests timed and recorded by label."""

    def __init__(self, port, session, stats):
        self.port, self.stats = port, stats
        self.cookies = {"sessionid": session}

    def request(self, label, method, path, form=None):
        """Send one request; return its status, body and Location (None if it failed)."""
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.stats.failed(label, error)
            return None, "", None
        self.stats.record(label, response.status, time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, content, response.headers.get("Location")

    def get(self, label, path):
        status, content, _ = self.request(label, "GET", path)
        return status, content

    def post(self, label, path, page, form):
        """POST `form` with the CSRF token of `page` and follow the redirect, as the browser
        that shows the page would; count the action accepted or refused by what it shows."""
        match = TOKEN.search(page)
        if not match:
            self.stats.outcome(label, "no form on the page")
            return
        status, content, location = self.request(
            label, "POST", path, {"csrfmiddlewaretoken": match[1], **form}
        )
        if status == 302 and location:
            _, content, _ = self.request(f"{label} (next page)", "GET", location)
            refused = "callout--danger" in content
        else:
            refused = True  # the form again, with its errors (or no answer)
        self.stats.outcome(label, "refused" if refused else "accepted")


def browse_desk(browser, targets, rng):
    page = rng.choice(
        [
            ("dashboard", "/missions/dashboard/"),
            ("mission list", "/missions/"),
            ("mission detail", f"/missions/{rng.choice(targets['missions'])}/"),
            ("profile list", "/profiles/"),
            ("profile list", "/profiles/?q=python&sort=rate"),
            ("profile detail", f"/profiles/{rng.choice(targets['candidates'])}/"),
            ("matching", f"/missions/{rng.choice(targets['open_missions'])}/matching/"),
        ]
    )
    browser.get(*page)


def race_for_a_slot(browser, targets, rng):
    """Shortlist a profile on one of the raced missions; now and then free a slot again."""
    mission = rng.choice(targets["raced_missions"])
    _, page = browser.get("mission detail", f"/missions/{mission}/")
    removable = REMOVE.findall(page)
    if removable and rng.random() < 0.25:
        entry = rng.choice(removable)
        browser.post("shortlist remove", f"/missions/entries/{entry}/remove/", page, {})
        return
    candidate = rng.choice(targets["candidates"])
    browser.post(
        "shortlist add",
        f"/missions/{mission}/shortlist/add/",
        page,
        {"candidate": candidate, "confirm": "1"},
    )


def race_for_an_interview(browser, targets, rng):
    """Schedule an interview for one of the raced entries; now and then cancel one."""
    entry = rng.choice(targets["raced_entries"])
    _, page = browser.get("schedule form", f"/interviews/schedule/{entry}/")
    interviews = INTERVIEW.findall(page)
    if interviews and rng.random() < 0.25:
        interview = rng.choice(interviews)
        _, detail = browser.get("interview detail", f"/interviews/{interview}/")
        browser.post("interview cancel", f"/interviews/{interview}/cancel/", detail, {})
        return
    when = datetime.datetime.now() + datetime.timedelta(days=rng.randint(1, 30))
    browser.post(
        "interview schedule",
        f"/interviews/schedule/{entry}/",
        page,
        {
            "kind": "client",
            "scheduled_at": when.strftime("%Y-%m-%dT%H:00"),
            "duration_minutes": "60",
            "place": "Lyon",
        },
    )


def browse_portal(browser, targets, rng):
    if targets["portal_missions"] and rng.random() < 0.6:
        browser.get("portal mission", f"/portal/missions/{rng.choice(targets['portal_missions'])}/")
    else:
        browser.get("portal home", "/portal/")


RECRUITER_ACTIONS = [(browse_desk, 0.6), (race_for_a_slot, 0.25), (race_for_an_interview, 0.15)]


def client_loop(browser, role, targets, deadline, stats, seed):
    rng = random.Random(seed)
    actions, weights = zip(*RECRUITER_ACTIONS, strict=True)
    while time.monotonic() < deadline and stats.count < MAX_REQUESTS:
        if role == "portal":
            browse_portal(browser, targets, rng)
        else:
            rng.choices(actions, weights)[0](browser, targets, rng)


def drive(port, targets, seconds):
    stats = Stats()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client_loop,
            args=(Browser(port, client["session"], stats), client["role"], targets),
            kwargs={"deadline": deadline, "stats": stats, "seed": index},
            daemon=True,
        )
        for index, client in enumerate(targets["sessions"])
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT)
    return stats, time.monotonic() - started


# ---------------------------------------------------------------- checks and figures


def rule_checks(db_url, started_at):
    import psycopg  # noqa: PLC0415

    with psycopg.connect(db_url) as db:
        over_four = db.execute(
            "SELECT count(*) FROM (SELECT mission_id FROM missions_shortlistentry "
            "WHERE state = ANY(%s) GROUP BY mission_id HAVING count(*) > 4) AS m",
            [list(ACTIVE_ENTRY_STATES)],
        ).fetchone()[0]
        over_three = db.execute(
            "SELECT count(*) FROM (SELECT entry_id FROM interviews_interview "
            "WHERE state <> 'cancelled' GROUP BY entry_id HAVING count(*) > 3) AS e"
        ).fetchone()[0]
        entries_added = db.execute(
            "SELECT count(*) FROM missions_shortlistentry WHERE created_at >= %s", [started_at]
        ).fetchone()[0]
        interviews_added = db.execute(
            "SELECT count(*) FROM interviews_interview WHERE created_at >= %s", [started_at]
        ).fetchone()[0]
        full_missions = db.execute(
            "SELECT count(*) FROM (SELECT mission_id FROM missions_shortlistentry "
            "WHERE state = ANY(%s) GROUP BY mission_id HAVING count(*) = 4) AS m",
            [list(ACTIVE_ENTRY_STATES)],
        ).fetchone()[0]
        postgres = db.execute("SHOW server_version").fetchone()[0].split()[0]
    return {
        "missions_over_four_active_entries": over_four,
        "entries_over_three_interviews": over_three,
        "missions_with_four_active_entries": full_missions,
        "entries_added_during_run": entries_added,
        "interviews_added_during_run": interviews_added,
        "postgresql": postgres,
    }


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return None
    return round(ordered[max(1, math.ceil(share * len(ordered))) - 1], 1)


def figures(stats, seconds):
    every = [ms for values in stats.latencies.values() for ms in values]
    statuses = collections.Counter()
    pages = {}
    for label in sorted(stats.latencies):
        statuses.update(stats.statuses[label])
        pages[label] = {
            "requests": len(stats.latencies[label]),
            "p50_ms": percentile(stats.latencies[label], 0.5),
            "p95_ms": percentile(stats.latencies[label], 0.95),
            "statuses": dict(sorted(stats.statuses[label].items())),
        }
    return {
        "requests": len(every),
        "seconds": round(seconds, 1),
        "rps": round(len(every) / seconds, 1) if seconds else 0,
        "p50_ms": percentile(every, 0.5),
        "p95_ms": percentile(every, 0.95),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "connection_errors": dict(stats.errors),
        "outcomes": {label: dict(counts) for label, counts in sorted(stats.outcomes.items())},
        "pages": pages,
    }


def memory_gib():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def markdown(result):
    m, f, r = result["machine"], result["figures"], result["rules"]
    load_before = ", ".join(f"{x:.2f}" for x in m["load_before"])
    load_after = ", ".join(f"{x:.2f}" for x in m["load_after"])
    lines = [
        START,
        f"Run of {m['date']}: `bench/mixed_load.py --seconds {result['settings']['seconds']:g} "
        f"--clients {result['settings']['clients']}` "
        f"({result['settings']['workers']} gunicorn sync workers, seed_demo "
        f"{result['settings']['profiles']} profiles, PostgreSQL {r['postgresql']}, "
        f"Python {m['python']}).",
        "",
        f"Machine: {m['nproc']} cores, {m['memory_gib']} GiB of memory; load average "
        f"(1, 5, 15 min) {load_before} before the run and {load_after} after. The load "
        "driver (one Python process, a thread per client), gunicorn, PostgreSQL and any "
        "other process on the machine share these cores: the throughput is this machine's "
        "under that sharing, not the app's ceiling.",
        "",
        "| | |",
        "|---|---|",
        f"| requests | {f['requests']} in {f['seconds']} s |",
        f"| throughput | {f['rps']} req/s |",
        f"| latency p50 / p95 | {f['p50_ms']} ms / {f['p95_ms']} ms |",
        f"| statuses | {', '.join(f'{k}: {v}' for k, v in f['statuses'].items())} |",
        f"| server errors (5xx) | {f['server_errors']} |",
        f"| connection errors | {sum(f['connection_errors'].values())} |",
        f"| missions with more than 4 active entries (R1) | "
        f"{r['missions_over_four_active_entries']} |",
        f"| entries with more than 3 interviews that count (R2) | "
        f"{r['entries_over_three_interviews']} |",
        f"| shortlist entries / interviews created during the run and still there | "
        f"{r['entries_added_during_run']} / {r['interviews_added_during_run']} |",
        f"| missions at the cap of 4 after the run | {r['missions_with_four_active_entries']} |",
        "",
        "Writes that raced: "
        + "; ".join(
            f"{label}: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
            for label, counts in f["outcomes"].items()
        )
        + ".",
        "",
        "| action | requests | p50 ms | p95 ms | statuses |",
        "|---|---:|---:|---:|---|",
    ]
    for label, page in f["pages"].items():
        statuses = ", ".join(f"{k}: {v}" for k, v in page["statuses"].items())
        lines.append(
            f"| {label} | {page['requests']} | {page['p50_ms']} | {page['p95_ms']} | {statuses} |"
        )
    lines.append(END)
    return "\n".join(lines)


def write_doc(result):
    section = markdown(result)
    text = DOC.read_text() if DOC.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text)


# ---------------------------------------------------------------- main


def main(argv=None):
    args = parse_args(argv)
    if args.discover:
        print(json.dumps(discover(args.clients)))
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the server is stopped
    db_url = database_url(args.server_url, args.name)
    env = app_env(db_url)
    log(f"building {args.name} ({args.profiles} profiles)")
    build_database(args, env)
    targets = run_discover(env, args.clients)
    machine = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "memory_gib": memory_gib(),
        "python": platform.python_version(),
        "load_before": list(os.getloadavg()),
    }
    started_at = datetime.datetime.now(datetime.UTC)
    server = Server(env, args.workers)
    try:
        log(
            f"serving on {HOST}:{server.port} (pid {server.process.pid}); {args.clients} "
            f"clients for {args.seconds:g} s"
        )
        stats, seconds = drive(server.port, targets, args.seconds)
    finally:
        server_log = server.stop()
        log(f"server {server.process.pid} stopped")
    machine["load_after"] = list(os.getloadavg())
    result = {
        "settings": {
            "seconds": args.seconds,
            "clients": args.clients,
            "workers": args.workers,
            "profiles": args.profiles,
        },
        "machine": machine,
        "figures": figures(stats, seconds),
        "rules": rule_checks(db_url, started_at),
        "server_tracebacks": server_log.count("Traceback"),
    }
    if not args.keep:
        drop_database(args)
    (BENCH / "results-load.json").write_text(json.dumps(result, indent=2) + "\n")
    if not args.no_doc:
        write_doc(result)
    print(markdown(result))
    rules = result["rules"]
    broken = (
        rules["missions_over_four_active_entries"]
        or rules["entries_over_three_interviews"]
        or result["figures"]["server_errors"]
    )
    if result["server_tracebacks"]:
        print(server_log[-4000:], file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

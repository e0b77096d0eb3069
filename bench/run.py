#!/usr/bin/env python
"""Benchmark of the key pages on PostgreSQL, side by side with the stack's ceiling.

For each size it builds a database `bench_<size>` with `seed_demo --profiles <size>` (from
1,000,000 profiles on, reuses the one an earlier run built), counts each page's SQL queries
in-process, serves the app with gunicorn (production settings, 2 workers, loopback) and loads
every page over HTTP from a second process. After the largest size it times each page
in-process, SQL apart from Python, and profiles the slowest (`bench/profile_pages.py`). It
writes bench/results.json and the results section of docs/performance.md. See
bench/README.md.

    python bench/run.py            # 10,000, 100,000 and 1,000,000 profiles
    python bench/run.py --quick    # 300 and 1,000 profiles, short runs (CI: no timing checks)

Exit status 1 when a page fails or misses a query-count target; timings are only reported.
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench import cpu, load, report  # noqa: E402 - needs the repository on the path

HOST = "127.0.0.1"
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
FULL = {"sizes": [10_000, 100_000, 1_000_000], "seconds": 10.0, "warmup": 2.0, "repeat": 10}
QUICK = {"sizes": [300, 1_000], "seconds": 1.0, "warmup": 0.5, "repeat": 2}
# A page slower than seconds / this gets a longer load (the in-process time of the probe
# tells); the driver's timeout grows with it, up to the server's.
MIN_REQUESTS_PER_CONNECTION = 5
# In-process loads of a page stop after this many seconds (3 loads at least).
PROFILE_BUDGET_SECONDS = 60
REQUEST_TIMEOUT = 10
SERVER_TIMEOUT = 120
# Seeding takes minutes from this size on: a database of the right count is kept between runs
# unless --rebuild is given.
REUSE_FROM = 1_000_000
# The kept "before" profiles (docs/profiles/before-<page>.txt, written by
# `bench/profile_pages.py --text`): each such page is profiled again after the run.
PROFILES_DIR = ROOT / "docs" / "profiles"
BENCH_DB = re.compile(r"^bench_\d+$")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Small data, short runs.")
    parser.add_argument(
        "--sizes", help="Comma-separated profile counts (default 10000,100000,1000000)."
    )
    parser.add_argument("--seconds", type=float, help="Load time per page (default 10).")
    parser.add_argument("--connections", type=int, default=2, help="Concurrent connections.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--driver", choices=["auto", "wrk", "python"], default="auto")
    reuse = parser.add_mutually_exclusive_group()
    reuse.add_argument(
        "--reuse",
        action="store_true",
        help="Keep a bench_<size> database that already holds <size> profiles (migrated "
        f"again) instead of building it afresh, at every size (the default from {REUSE_FROM:,}).",
    )
    reuse.add_argument(
        "--rebuild",
        action="store_true",
        help=f"Build every database afresh, also those of {REUSE_FROM:,} profiles and more.",
    )
    parser.add_argument(
        "--profile-repeat",
        type=int,
        help="Loads of each page for the in-process split and the profile after the largest "
        "size (default 10, 2 with --quick; 0: skip it).",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL),
        help="A PostgreSQL URL allowed to create databases (default %(default)s).",
    )
    parser.add_argument("--output", type=Path, help="JSON file (default bench/results.json).")
    parser.add_argument(
        "--doc",
        type=Path,
        help="Markdown file whose results section is rewritten (default docs/performance.md; "
        "none with --quick).",
    )
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else defaults["sizes"]
    args.sizes = sorted(sizes)  # the largest last: the targets are checked there
    args.seconds = args.seconds or defaults["seconds"]
    args.warmup = defaults["warmup"]
    if args.profile_repeat is None:
        args.profile_repeat = defaults["repeat"]
    if args.output is None:
        args.output = BENCH / ("results-quick.json" if args.quick else "results.json")
    if args.doc is None and not args.quick:
        args.doc = ROOT / "docs" / "performance.md"
    if args.driver == "auto":
        args.driver = "wrk" if load.wrk_available() else "python"
    return args


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------- Databases ----------


def database_url(admin_url, name):
    """The URL of database `name` on the server of `admin_url`."""
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def app_env(db_url, secret_key):
    """Production settings over plain HTTP on the loopback, and the benchmark's database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DEBUG="0",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
    )
    return env


def _admin(admin_url):
    return psycopg.connect(admin_url, autocommit=True)


def _profile_count(db_url):
    try:
        with psycopg.connect(db_url) as connection:
            return connection.execute("SELECT count(*) FROM candidates_candidate").fetchone()[0]
    except psycopg.Error:
        return None


def manage(env, *arguments):
    command = [sys.executable, "manage.py", *arguments]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our interpreter


def vacuum_if_never_vacuumed(db_url):
    """VACUUM ANALYZE a kept database seeded by hand (never vacuumed): without it the planner
    lacks statistics and the index-only scans read the table (no visibility map yet).
    Whether it was needed is returned."""
    with psycopg.connect(db_url, autocommit=True) as connection:
        never = connection.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE n_live_tup > 0 "
            "AND coalesce(last_vacuum, last_autovacuum) IS NULL"
        ).fetchone()[0]
        if never:
            log(f"{never} tables never vacuumed: VACUUM ANALYZE")
            connection.execute("VACUUM ANALYZE")
    return bool(never)


def reuses(size, args):
    """Whether an existing bench_<size> of the right count is kept rather than built again."""
    if args.rebuild:
        return False
    return args.reuse or size >= REUSE_FROM


def build_database(size, args, env):
    """Create (or, with --reuse, keep) bench_<size>, migrated and seeded; return a dict of
    what it took."""
    name = f"bench_{size}"
    assert BENCH_DB.match(name)
    db_url = env["DATABASE_URL"]
    with _admin(args.database_url) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuses(size, args) and _profile_count(db_url) == size:
            log(f"{name}: reused ({size} profiles), migrating")
            manage(env, "migrate", "--noinput", "-v0")
            started = time.monotonic()
            vacuumed = vacuum_if_never_vacuumed(db_url)
            return {
                "database": name,
                "seeded": False,
                "analyze_seconds": round(time.monotonic() - started, 1) if vacuumed else None,
            }
        if exists:
            log(f"{name}: dropped to be built again")
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    migrated = time.monotonic()
    log(f"{name}: seeding {size} profiles")
    manage(env, "seed_demo", "--profiles", str(size), "--force", "-v1")
    seeded = time.monotonic()
    # Fresh statistics, as autovacuum would give a database in service.
    with psycopg.connect(db_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return {
        "database": name,
        "seeded": True,
        "migrate_seconds": round(migrated - started, 1),
        "seed_seconds": round(seeded - migrated, 1),
        "analyze_seconds": round(time.monotonic() - seeded, 1),
    }


# ---------- Server ----------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_until_up(port, process, deadline=60):
    url = f"http://{HOST}:{port}/health/"
    for _ in range(deadline * 10):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer")


@contextmanager
def serve(env, workers):
    """gunicorn on a free loopback port, yielding (port, pid); stopped (by its PID)
    whatever happens."""
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as server_log:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "staffing.wsgi:application",
            f"--workers={workers}",
            f"--bind={HOST}:{port}",
            "--log-level=warning",
            "--graceful-timeout=5",
            # A slow page at 1,000,000 profiles is measured, not killed by the worker timeout.
            f"--timeout={SERVER_TIMEOUT}",
        ]
        # Its own process group: the CPU it uses is told apart from the machine's other work.
        process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed options
            command,
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(port, process)
            yield port, process.pid
        except BaseException:
            server_log.seek(0)
            sys.stderr.write(server_log.read()[-4000:])
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# ---------- One size ----------


def probe(env):
    done = subprocess.run(  # noqa: S603 - our interpreter and script
        [sys.executable, str(BENCH / "probe.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        raise RuntimeError("the in-process probe of the pages failed")
    return json.loads(done.stdout)


def before_profiles():
    """{page: {"file", "text"}} of the kept "before" profiles."""
    return {
        path.stem.removeprefix("before-"): {
            "file": str(path.relative_to(ROOT)),
            "text": path.read_text(),
        }
        for path in sorted(PROFILES_DIR.glob("before-*.txt"))
    }


def profile_in_process(env, probed, args):
    """Each page timed in-process (SQL apart from Python) on the largest size's database, and
    the cProfile of the slowest and of every page with a kept "before" profile."""
    before = before_profiles()
    log(f"in-process split of each page ({args.profile_repeat} loads) and profiles")
    with tempfile.TemporaryDirectory() as scratch:
        pages_file, result_file = Path(scratch, "pages.json"), Path(scratch, "profile.json")
        pages_file.write_text(json.dumps(probed))
        command = [
            sys.executable,
            str(BENCH / "profile_pages.py"),
            f"--repeat={args.profile_repeat}",
            f"--budget={PROFILE_BUDGET_SECONDS}",
            # More than shown: the frames wrapping the whole request are left out.
            f"--top={report.PROFILE_ROWS + 30}",
            f"--pages-from={pages_file}",
            f"--json={result_file}",
        ]
        for page in before:
            command.append(f"--profile={page}")
        done = subprocess.run(  # noqa: S603 - our interpreter and script
            command, cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            sys.stderr.write(done.stderr[-4000:])
            raise RuntimeError("the in-process profile of the pages failed")
        profiled = json.loads(result_file.read_text())
    profiled["before"] = before
    return profiled


def cookie_for(role, cookies):
    return f"sessionid={cookies[role]}" if role else ""


def page_seconds(page, seconds):
    """The load time of a page: `seconds`, or longer for a page so slow that each connection
    would otherwise complete only a few requests (or none: wrk counts only those done)."""
    return max(seconds, MIN_REQUESTS_PER_CONNECTION * page.get("probe_ms", 0) / 1000)


def load_page(page, port, args, cookies, seconds, *, warmup=False):
    """Load one page (for `seconds` when warming up: a slow page's first requests fill the
    caches all the same); after a slow one, wait for the requests still running in the
    server (the driver stops sending, not the workers serving) before anything is timed."""
    slow = page.get("probe_ms", 0) / 1000
    measure = load.drive(
        args.driver,
        host=HOST,
        port=port,
        path=page["path"],
        cookie=cookie_for(page["role"], cookies),
        seconds=seconds if warmup else page_seconds(page, seconds),
        connections=args.connections,
        timeout=max(REQUEST_TIMEOUT, 4 * slow),
    )
    if slow > 1:
        time.sleep(min(2 * slow, SERVER_TIMEOUT))
    return measure


def bench_size(size, args, env):
    """Every page at one size: query counts, then latency and throughput under load."""
    meta = {"size": size, "load_before": list(os.getloadavg())}
    meta.update(build_database(size, args, env))
    probed = probe(env)
    pages, cookies = probed["pages"], probed["cookies"]
    broken = [page["page"] for page in pages if page["status"] != 200]
    if broken:
        raise RuntimeError(f"pages not answering 200 in-process: {broken}")
    started = time.monotonic()
    log(f"{size} profiles: loading {len(pages)} pages, {args.seconds:g} s each ({args.driver})")
    measured = {}
    with serve(env, args.workers) as (port, server_pid):
        for page in pages:  # each worker fills its caches before anything is timed
            load_page(page, port, args, cookies, args.warmup, warmup=True)
        meter = cpu.Meter(server_pid, meta["database"])
        meter.start()
        ceiling = pages[0]
        first_ceiling = load_page(ceiling, port, args, cookies, args.seconds)
        for page in pages[1:]:
            measured[page["page"]] = load_page(page, port, args, cookies, args.seconds)
            log(f"  {page['page']}: {report.brief(measured[page['page']])}")
        # The ceiling again at the end: the mean of both evens out the other load of the
        # machine over the run.
        last_ceiling = load_page(ceiling, port, args, cookies, args.seconds)
        measured[ceiling["page"]] = report.mean_of(first_ceiling, last_ceiling)
        log(f"  {ceiling['page']}: {report.brief(measured[ceiling['page']])}")
        meta["others_cpu_share"] = meter.others_share()
    meta["load_seconds"] = round(time.monotonic() - started, 1)
    meta["load_after"] = list(os.getloadavg())
    return meta, report.rows(size, pages, measured), probed


# ---------- Machine ----------


def _first_line_with(path, prefix):
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine(args):
    with _admin(args.database_url) as admin:
        postgres = admin.execute("SHOW server_version").fetchone()[0]
    memory_kb = _first_line_with("/proc/meminfo", "MemTotal")
    import django  # noqa: PLC0415 - the version only

    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "memory_gib": round(int(memory_kb.split()[0]) / 1024**2, 1) if memory_kb else None,
        "cpu": _first_line_with("/proc/cpuinfo", "model name") or platform.processor(),
        "postgresql": postgres.split()[0],
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_before": list(os.getloadavg()),
    }


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the server is stopped
    started = time.monotonic()
    info = machine(args)
    settings = {
        "driver": args.driver,
        "workers": args.workers,
        "connections": args.connections,
        "seconds_per_page": args.seconds,
        "quick": args.quick,
    }
    secret_key = secrets.token_urlsafe(50)
    runs, results, profiled = [], [], None
    for size in args.sizes:
        env = app_env(database_url(args.database_url, f"bench_{size}"), secret_key)
        meta, rows, probed = bench_size(size, args, env)
        runs.append(meta)
        results.extend(rows)
    if args.profile_repeat:
        # On the largest size's database, the server stopped: nothing else of ours runs.
        profiled = profile_in_process(env, probed, args)
    info["total_seconds"] = round(time.monotonic() - started, 1)
    checks = report.check_targets(results, args.sizes)
    document = {
        "machine": info,
        "settings": settings,
        "runs": runs,
        "results": results,
        "targets": checks,
        "profile": profiled,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    log(f"wrote {args.output}")
    if args.doc:
        report.write_doc(args.doc, document)
        log(f"wrote the results section of {args.doc}")
    print(report.markdown(document))
    failed = [check for check in checks if check["enforced"] and not check["met"]]
    for check in failed:
        log(f"FAILED: {check['target']} — {check['page']}: {check['measured']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

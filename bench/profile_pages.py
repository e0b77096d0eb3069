"""Where a page's time goes, in-process: each key page rendered by Django's test client against
a seeded database, its time split between SQL (wall clock in the driver) and Python (the rest,
and the process's CPU time), and a cProfile of the slowest one.

    DATABASE_URL=postgres://.../bench_100000 python bench/profile_pages.py [page ...]
        [--repeat 20] [--profile PAGE ...] [--top 25] [--json FILE] [--text FILE]
        [--pages-from PROBE_JSON]

`bench/run.py` runs it after the load of the largest size, for the split and the profile it
writes into docs/performance.md; run by hand it answers "what does this page spend its time
on". `--text docs/profiles/before-{page}.txt` keeps a run as the "before" that the
benchmark's report shows next to its own profile (`{page}`: the page profiled).
"""

import argparse
import cProfile
import datetime
import io
import json
import pstats
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_LOADS = 3
sys.path.insert(0, str(ROOT))

from bench import probe  # noqa: E402


class SqlTimer:
    """Adds up the time spent inside the database driver (execute wrapper)."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


@contextmanager
def sql_timer():
    from django.db import connection  # noqa: PLC0415

    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        yield timer


def _loads(repeat, budget):
    """Up to `repeat` loads, fewer (at least MIN_LOADS) once `budget` seconds have passed:
    a page taking seconds at 1,000,000 profiles must not hold the run for many minutes."""
    started = time.monotonic()
    for index in range(repeat):
        if budget and index >= MIN_LOADS and time.monotonic() - started > budget:
            return
        yield index


def measure(client, path, repeat, budget=None):
    """Median total and SQL milliseconds of `repeat` loads after two warm-up loads."""
    for _ in range(2):
        client.get(path)
    totals, sqls, cpus = [], [], []
    for _ in _loads(repeat, budget):
        with sql_timer() as timer:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            totals.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu_started)
        assert response.status_code == 200, (path, response.status_code)
        sqls.append(timer.seconds)
    total, sql = statistics.median(totals) * 1000, statistics.median(sqls) * 1000
    # The process's own CPU time: what the page costs in Python, less disturbed than the wall
    # clock by other work on a shared machine.
    cpu = statistics.median(cpus) * 1000
    return {
        "total_ms": round(total, 1),
        "sql_ms": round(sql, 1),
        "python_ms": round(total - sql, 1),
        "cpu_ms": round(cpu, 1),
    }


def profile(client, path, repeat, top, budget=None):
    """cProfile of `repeat` loads: the functions with the most own time and the most
    cumulative time, as text."""
    client.get(path)
    profiler = cProfile.Profile()
    loads = 0
    for _ in _loads(repeat, budget):
        profiler.enable()
        client.get(path)
        profiler.disable()
        loads += 1
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return f"{loads} loads\n{out.getvalue()}"


def _pages(pages_from):
    """(name, path, role) of the pages: those the probe picked (its JSON output), or picked
    again here."""
    if pages_from:
        probed = json.loads(pages_from.read_text())["pages"]
        return [(page["page"], page["path"], page["role"]) for page in probed]
    return [(name, path, role) for name, _label, path, role in probe.pages()]


def _database():
    """The database's name and profile count, said at the top of a saved run."""
    from django.db import connection  # noqa: PLC0415

    from candidates.models import Candidate  # noqa: PLC0415

    return connection.settings_dict["NAME"], Candidate.objects.count()


def _commit():
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - a fixed git command
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def split_table(figures):
    """The figures as a fixed-width text table, slowest page first."""
    lines = [f"{'page':18} {'total ms':>9} {'SQL ms':>8} {'Python ms':>10}"]
    for name, figure in sorted(figures.items(), key=lambda item: -item[1]["total_ms"]):
        lines.append(
            f"{name:18} {figure['total_ms']:9.1f} {figure['sql_ms']:8.1f} "
            f"{figure['python_ms']:10.1f}"
        )
    return "\n".join(lines)


def as_text(result, page=None):
    """A run as the text file kept as a "before": where, when, the split, the profile of
    `page` (default: the slowest)."""
    page = page or result["profiled"]
    profile = result.get("profiles_by_page", {}).get(page) or result["profile"]
    text = (
        f"{result['profiles']:,} profiles ({result['database']}), commit {result['commit']}, "
        f"{result['date']}; medians of {result['repeat']} loads in-process.\n\n"
        f"{split_table(result['figures'])}\n\n"
        f"Profile of {page}, {profile}"
    )
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="Page names (default: every key page).")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        help="Profile this page too (repeatable); the slowest measured always is.",
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--budget",
        type=float,
        help=f"Seconds per page after which no more loads are made (at least {MIN_LOADS}).",
    )
    parser.add_argument("--json", type=Path, help="Write the figures and the profiles here.")
    parser.add_argument(
        "--text",
        help="Write the split and the slowest page's profile here; with {page} in the name, "
        "one file per page profiled.",
    )
    parser.add_argument(
        "--pages-from", type=Path, help="The probe's JSON output: load the pages it picked."
    )
    args = parser.parse_args(argv)
    probe.setup_django()
    clients = {}
    for role in ("recruiter", "alice", "admin"):
        clients[role], _ = probe.session_cookie(role)
    figures = {}
    paths = {}
    for name, path, role in _pages(args.pages_from):
        if role is None or (args.pages and name not in args.pages):
            continue
        paths[name] = (clients[role], path)
        figures[name] = measure(clients[role], path, args.repeat, args.budget)
        print(f"{name:18} {figures[name]}", flush=True)
    # The admin is a comparison, not one of the desk's pages.
    slowest = max(
        (name for name in figures if name != "admin_changelist"),
        key=lambda name: figures[name]["total_ms"],
    )
    profiles = {}
    for name in dict.fromkeys([slowest, *args.profile]):
        if name in paths:
            profiles[name] = profile(*paths[name], args.repeat, args.top, args.budget)
    print(f"\nProfile of {slowest}, {profiles[slowest]}")
    database, count = _database()
    result = {
        "database": database,
        "profiles": count,
        "commit": _commit(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "repeat": args.repeat,
        "figures": figures,
        "profiled": slowest,
        "profile": profiles[slowest],
        "profiles_by_page": profiles,
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    if args.text:
        for page in profiles if "{page}" in args.text else [slowest]:
            Path(args.text.format(page=page)).write_text(as_text(result, page))


if __name__ == "__main__":
    main()

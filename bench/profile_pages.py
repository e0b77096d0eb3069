"""Where a page's time goes, in-process: each key page rendered by Django's test client against
a seeded database, its time split between SQL (wall clock in the driver) and Python (the rest,
and the process's CPU time), and a cProfile of the slowest one.

    DATABASE_URL=postgres://.../bench_100000 python bench/profile_pages.py [page ...]
        [--repeat 20] [--profile PAGE] [--top 25] [--json FILE]

`bench/run.py` runs it after the load of the largest size, for the profile it writes into
docs/performance.md; run by hand it answers "what does this page spend its time on".
"""

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def measure(client, path, repeat):
    """Median total and SQL milliseconds of `repeat` loads after two warm-up loads."""
    for _ in range(2):
        client.get(path)
    totals, sqls, cpus = [], [], []
    for _ in range(repeat):
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


def profile(client, path, repeat, top):
    """cProfile of `repeat` loads: the functions with the most own time and the most
    cumulative time, as text."""
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="Page names (default: every key page).")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", help="Profile this page (default: the slowest measured).")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--json", type=Path, help="Write the figures and the profile here.")
    args = parser.parse_args(argv)
    probe.setup_django()
    clients = {}
    for role in ("recruiter", "alice", "admin"):
        clients[role], _ = probe.session_cookie(role)
    figures = {}
    paths = {}
    for name, _label, path, role in probe.pages():
        if role is None or (args.pages and name not in args.pages):
            continue
        paths[name] = (clients[role], path)
        figures[name] = measure(clients[role], path, args.repeat)
        print(f"{name:18} {figures[name]}", flush=True)
    slowest = args.profile or max(
        (name for name in figures if name != "admin_changelist"),
        key=lambda name: figures[name]["total_ms"],
    )
    client, path = paths[slowest]
    text = profile(client, path, args.repeat, args.top)
    print(f"\nProfile of {slowest} ({args.repeat} loads)\n{text}")
    if args.json:
        args.json.write_text(
            json.dumps({"figures": figures, "profiled": slowest, "profile": text}, indent=1)
        )


if __name__ == "__main__":
    main()

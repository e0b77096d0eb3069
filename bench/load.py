"""Load drivers: `wrk` when it is installed, else a small Python driver (threads and
http.client). Both stop by themselves after a time (and the Python one after a count) and
return the same summary: requests, seconds, p50/p95 latency in ms, and failures."""

import http.client
import json
import math
import shutil
import subprocess
import threading
import time
from pathlib import Path

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"


def percentile(sorted_values, share):
    """Nearest-rank percentile of an ascending list (share between 0 and 1)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(*, requests, seconds, p50_ms, p95_ms, failures):
    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "p50_ms": round(p50_ms, 2) if p50_ms is not None else None,
        "p95_ms": round(p95_ms, 2) if p95_ms is not None else None,
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "failures": failures,
    }


def wrk_available():
    return shutil.which("wrk") is not None


def run_wrk(*, host, port, path, cookie, seconds, connections, timeout=10):
    command = [
        "wrk",
        "-t1",  # one thread drives the two workers; a second would only take CPU from them
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        f"{max(1, round(timeout))}s",
        "-s",
        str(WRK_SCRIPT),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{host}:{port}{path}")
    # Our own fixed command line: wrk, its options, a loopback URL.
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    report = json.loads(output.strip().splitlines()[-1])
    return summary(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p95_ms=report["p95_us"] / 1000,
        failures=report["socket_errors"] + report["not_200"],
    )


class _Worker(threading.Thread):
    """One connection: GET the page again and again until the deadline or the shared count."""

    def __init__(self, *, host, port, path, headers, deadline, budget, timeout=10):
        super().__init__(daemon=True)
        self.target = (host, port, path, headers)
        self.timeout = timeout
        self.deadline, self.budget = deadline, budget
        self.latencies, self.failures = [], 0

    def run(self):
        host, port, path, headers = self.target
        connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        try:
            while time.monotonic() < self.deadline and self.budget.take():
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    self.failures += 1
                    connection.close()  # reopened by the next request
                    continue
                self.latencies.append(time.perf_counter() - started)
                if response.status != 200:
                    self.failures += 1
        finally:
            connection.close()


class _Budget:
    def __init__(self, count):
        self.left, self.lock = count, threading.Lock()

    def take(self):
        with self.lock:
            self.left -= 1
            return self.left >= 0


def run_python(*, host, port, path, cookie, seconds, connections, timeout=10, max_requests=100_000):
    headers = {"Cookie": cookie} if cookie else {}
    started = time.monotonic()
    budget = _Budget(max_requests)
    workers = [
        _Worker(
            host=host,
            port=port,
            path=path,
            headers=headers,
            deadline=started + seconds,
            budget=budget,
            timeout=timeout,
        )
        for _ in range(connections)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    latencies = sorted(value for worker in workers for value in worker.latencies)
    return summary(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=_ms(percentile(latencies, 0.50)),
        p95_ms=_ms(percentile(latencies, 0.95)),
        failures=sum(worker.failures for worker in workers),
    )


def _ms(value):
    return None if value is None else value * 1000


def drive(driver, **target):
    """Load one page with the chosen driver ("wrk" or "python")."""
    if driver == "wrk":
        return run_wrk(**target)
    return run_python(**target)

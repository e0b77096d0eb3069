"""How much of the machine's CPU other processes used while the pages were loaded (Linux).

The benchmark's own work is gunicorn (the server's process group), the PostgreSQL backends
connected to its database, wrk (a child process of the benchmark, counted once reaped) and
the benchmark itself; everything else busy on the machine is "others".
"""

import os
from pathlib import Path

PROC = Path("/proc")


def _machine_ticks():
    """(busy, total) clock ticks of the whole machine since boot, all CPUs together."""
    fields = [int(f) for f in (PROC / "stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def _process_ticks(pid):
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def _ours(server_pgid, database):
    """PIDs of the server's process group and of the PostgreSQL backends of `database`."""
    pids = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            if os.getpgid(pid) == server_pgid:
                pids.append(pid)
                continue
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres:") and f" {database} " in command:
            pids.append(pid)
    return pids


class Meter:
    """`start()` before the load, `others_share()` after it, while the server still runs."""

    def __init__(self, server_pgid, database):
        self.server_pgid, self.database = server_pgid, database
        self.begin = None

    def start(self):
        if (PROC / "stat").exists():
            self.begin = self._snapshot()

    def _snapshot(self):
        busy, total = _machine_ticks()
        own = os.times()
        return {
            "busy": busy,
            "total": total,
            "processes": {
                pid: _process_ticks(pid) for pid in _ours(self.server_pgid, self.database)
            },
            "self_seconds": own.user + own.system + own.children_user + own.children_system,
        }

    def others_share(self):
        """Share (0 to 1) of the machine's CPU capacity used by other processes since
        `start()`; None when it cannot be known (not Linux)."""
        if self.begin is None:
            return None
        end, begin = self._snapshot(), self.begin
        ours = (end["self_seconds"] - begin["self_seconds"]) * os.sysconf("SC_CLK_TCK")
        for pid, ticks in end["processes"].items():
            ours += ticks - begin["processes"].get(pid, 0)
        capacity = end["total"] - begin["total"]
        others = max(0, end["busy"] - begin["busy"] - ours)
        return round(others / capacity, 3) if capacity else None

"""Results of the benchmark: rows per page and size, the targets they meet or miss, and the
Markdown section written into docs/performance.md."""

from pathlib import Path

CEILING = "ceiling"
FLOOR = "floor"
ADMIN = "admin_changelist"
SEARCH = "profile_search"
# Pages that rank or filter the whole pool get a wider latency budget.
P95_BUDGET_MS = {"matching": 100, SEARCH: 100}
DEFAULT_P95_BUDGET_MS = 50
MAX_QUERIES = 12
# Pages known to run more queries than MAX_QUERIES, with the count they may not exceed: the
# run reports them as missing the target and fails only if they grow further.
QUERY_EXCEPTIONS = {
    # Over the budget since the placements, compliance documents, mission contacts, CV
    # downloads and text, talent pools, a client's history and the navigation counts were
    # added (one or two queries each); constant with the data, and to be brought back under
    # MAX_QUERIES with the rest of the speed work.
    "mission_detail": 14,
    "profile_detail": 22,
}
MIN_CEILING_RATIO = 0.25
MIN_SEARCH_OVER_ADMIN = 2.0
MAX_P95_GROWTH = 1.5
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def brief(measure):
    return f"{measure['rps']:.0f} req/s, p50 {measure['p50_ms']} ms, p95 {measure['p95_ms']} ms" + (
        f", {measure['failures']} failed" if measure["failures"] else ""
    )


def mean_of(first, second):
    """Two runs of one page as one: requests over time, latencies averaged."""
    seconds = first["seconds"] + second["seconds"]
    requests = first["requests"] + second["requests"]
    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "p50_ms": round((first["p50_ms"] + second["p50_ms"]) / 2, 2),
        "p95_ms": round((first["p95_ms"] + second["p95_ms"]) / 2, 2),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "failures": first["failures"] + second["failures"],
    }


def rows(size, pages, measured):
    """One result object per page, its throughput as a share of the ceiling's."""
    ceiling_rps = measured[CEILING]["rps"]
    result = []
    for page in pages:
        measure = measured[page["page"]]
        result.append(
            {
                "page": page["page"],
                "size": size,
                "queries": page["queries"],
                "p50_ms": measure["p50_ms"],
                "p95_ms": measure["p95_ms"],
                "rps": measure["rps"],
                "ratio_to_ceiling": round(measure["rps"] / ceiling_rps, 3) if ceiling_rps else None,
                "label": page["label"],
                "path": page["path"],
                "requests": measure["requests"],
                "failures": measure["failures"],
            }
        )
    return result


def key_page(name):
    """The application's pages, as opposed to the references they are compared with."""
    return name not in (CEILING, FLOOR, ADMIN)


def _check(target, page, measured, met, *, enforced=False, size=None):
    return {
        "target": target,
        "page": page,
        "size": size,
        "measured": measured,
        "met": bool(met),
        "enforced": enforced,
    }


def check_targets(results, sizes):
    """Every target against the measures. Query counts and failed responses are `enforced`
    (the run fails); timings depend on the machine and are reported only."""
    by = {(row["page"], row["size"]): row for row in results}
    pages = list(dict.fromkeys(row["page"] for row in results))
    smallest, largest = min(sizes), max(sizes)
    checks = []
    for page in pages:
        counts = [by[page, size]["queries"] for size in sizes]
        failures = sum(by[page, size]["failures"] for size in sizes)
        checks.append(_check("every response 200", page, failures, not failures, enforced=True))
        if not key_page(page):
            continue
        checks.append(
            _check(
                f"≤ {MAX_QUERIES} queries",
                page,
                max(counts),
                max(counts) <= MAX_QUERIES,
                enforced=page not in QUERY_EXCEPTIONS,
            )
        )
        if page in QUERY_EXCEPTIONS:
            known = QUERY_EXCEPTIONS[page]
            checks.append(
                _check(
                    f"≤ {known} queries (known excess)",
                    page,
                    max(counts),
                    max(counts) <= known,
                    enforced=True,
                )
            )
        if len(sizes) > 1:
            shown = " / ".join(str(count) for count in counts)
            checks.append(
                _check(
                    "same queries at every size", page, shown, len(set(counts)) == 1, enforced=True
                )
            )
        row = by[page, largest]
        budget = P95_BUDGET_MS.get(page, DEFAULT_P95_BUDGET_MS)
        checks.append(
            _check(
                f"p95 ≤ {budget} ms",
                page,
                f"{row['p95_ms']} ms",
                row["p95_ms"] <= budget,
                size=largest,
            )
        )
        checks.append(
            _check(
                f"≥ {MIN_CEILING_RATIO} × ceiling req/s",
                page,
                f"{row['ratio_to_ceiling']:.2f}",
                row["ratio_to_ceiling"] >= MIN_CEILING_RATIO,
                size=largest,
            )
        )
        if len(sizes) > 1:
            growth = row["p95_ms"] / by[page, smallest]["p95_ms"]
            checks.append(
                _check(
                    f"p95 at {largest:,} ≤ {MAX_P95_GROWTH} × p95 at {smallest:,}",
                    page,
                    f"× {growth:.2f}",
                    growth <= MAX_P95_GROWTH,
                    size=largest,
                )
            )
    if (SEARCH, largest) in by and (ADMIN, largest) in by:
        over_admin = by[SEARCH, largest]["rps"] / by[ADMIN, largest]["rps"]
        checks.append(
            _check(
                f"≥ {MIN_SEARCH_OVER_ADMIN:g} × admin changelist req/s",
                SEARCH,
                f"× {over_admin:.2f}",
                over_admin >= MIN_SEARCH_OVER_ADMIN,
                size=largest,
            )
        )
    return checks


# ---------- Markdown ----------


def _machine_lines(document):
    info, settings = document["machine"], document["settings"]
    load = " / ".join(f"{value:.2f}" for value in info["load_before"])
    lines = [
        f"Run on {info['date']}: {info['nproc']} cores ({info['cpu']}), "
        f"{info['memory_gib']} GiB of memory, PostgreSQL {info['postgresql']}, "
        f"Python {info['python']}, Django {info['django']}.",
        "",
        f"Load average (1, 5, 15 min) before the run: {load}. "
        f"Driver: {settings['driver']}, {settings['connections']} connections, "
        f"{settings['seconds_per_page']:g} s per page; gunicorn with "
        f"{settings['workers']} sync workers. Whole run: {info['total_seconds']:.0f} s.",
        "",
    ]
    for run in document["runs"]:
        during = " / ".join(f"{value:.2f}" for value in run["load_before"])
        if run["seeded"]:
            built = (
                f"migrated in {run['migrate_seconds']:g} s, seeded in {run['seed_seconds']:g} s, "
                f"analysed in {run['analyze_seconds']:g} s"
            )
        else:
            built = "reused from an earlier run"
        others = run.get("others_cpu_share")
        shared = (
            f"; other processes used {others:.0%} of the machine's CPU while the pages were loaded"
            if others is not None
            else ""
        )
        lines.append(
            f"- {run['size']:,} profiles: database {built}; pages loaded in "
            f"{run['load_seconds']:g} s; load average before: {during}{shared}."
        )
    return lines


def _results_table(document):
    lines = [
        "| Page | Profiles | Queries | p50 ms | p95 ms | req/s | × ceiling |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    pages = list(dict.fromkeys(row["page"] for row in document["results"]))
    for page in pages:
        for row in (row for row in document["results"] if row["page"] == page):
            lines.append(
                f"| {row['label']} | {row['size']:,} | {row['queries']} | {row['p50_ms']:.1f} "
                f"| {row['p95_ms']:.1f} | {row['rps']:.0f} | {row['ratio_to_ceiling']:.2f} |"
            )
    return lines


def _targets_table(document):
    labels = {row["page"]: row["label"] for row in document["results"]}
    lines = ["| Target | Page | Measured | Met |", "|---|---|---|---|"]
    for check in document["targets"]:
        if check["target"] == "every response 200" and check["met"]:
            continue  # said once below the table
        lines.append(
            f"| {check['target']} | {labels[check['page']]} | {check['measured']} | "
            f"{'yes' if check['met'] else '**no**'} |"
        )
    failures = [c for c in document["targets"] if c["target"] == "every response 200"]
    if all(check["met"] for check in failures):
        lines += ["", "Every response of every page was a 200."]
    return lines


def markdown(document):
    return "\n".join(
        [
            *_machine_lines(document),
            "",
            *_results_table(document),
            "",
            *_targets_table(document),
        ]
    )


def write_doc(path, document):
    """Replace the generated section of `path` (between the markers), or append one."""
    path = Path(path)
    section = f"{START}\n{markdown(document)}\n{END}"
    text = path.read_text() if path.exists() else "# Performance\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)

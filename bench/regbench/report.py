"""The machine, and docs/benchmarks.md: only the part between the registry-bench markers."""

import os
import platform
import sqlite3
from pathlib import Path

from regbench.common import FULL_IMPORT_ROWS, FULL_PEOPLE, write_section

START = "<!-- registry-bench:start -->"
END = "<!-- registry-bench:end -->"
SEARCH_P95_MS = 100
IMPORT_ROWS_PER_S = 2000
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
KIND_LABELS = {
    "arabic_part": "one Arabic name part",
    "latin_part": "one Latin spelling",
    "given_family": "given + family name",
    "reference": "household number",
    "phone": "phone number",
    "document": "document number",
}


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu or "unknown",
        "ram_gib": round(ram, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def _triple(stats: dict) -> str:
    if not stats or not stats.get("n"):
        return "–"
    return f"{stats['p50']:.1f} / {stats['p95']:.1f} / {stats['p99']:.1f}"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{seconds:.1f} s"


def _verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


def _row(label: str, cells: list[str]) -> str:
    return f"| {label} | " + " | ".join(cells) + " |"


def figures_table(results: dict) -> list[str]:
    labels = list(results)
    lines = [
        "| Measure | " + " | ".join(NAMES[x] for x in labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    cols = [results[x] for x in labels]

    def build(r):
        b = r["build"]
        text = _duration(b["build_seconds"])
        if b.get("analyse_seconds"):
            text += f" (incl. VACUUM ANALYZE {_duration(b['analyse_seconds'])})"
        return text + (f", reused from {b['built_at'][:10]}" if r["reused"] else "")

    def migrated(r):
        entries = r["build"].get("migration_log") or []
        if not entries:
            return "none"
        texts = []
        for entry in entries:
            text = f"{', '.join(entry['applied'])}: {_duration(entry['seconds'])}"
            if entry.get("vacuum_seconds"):
                text += f", then VACUUM ANALYZE {_duration(entry['vacuum_seconds'])}"
            texts.append(text)
        return "; ".join(texts)

    def optional(key, sub):
        return [_triple(r[key].get(sub, {})) if key in r else "–" for r in cols]

    lines += [
        _row(
            "People / households / search tokens",
            ["{people:,} / {households:,} / {tokens:,}".format(**r["build"]) for r in cols],
        ),
        _row("Build (generate_households, seeded batches)", [build(r) for r in cols]),
        _row("Migrations applied to the registry after it was built", [migrated(r) for r in cols]),
        _row(
            "Database size",
            [f"{r['database_mib'] / 1024:.1f} GiB" if r.get("database_mib") else "–" for r in cols],
        ),
        _row(
            "Search, `search_people(...)` first page of 25 by `-pk`, p50 / p95 / p99 ms",
            [_triple(r["search"]["all"]) for r in cols],
        ),
        _row(
            "Search, the list view's own function (`{}`), p50 / p95 / p99 ms".format(
                cols[0]["search"].get("view_function", "–")
            ),
            optional("search", "view"),
        ),
        _row(
            "the same as a registration clerk of one camp ({}), p50 / p95 / p99 ms".format(
                cols[0]["search"].get("clerk_site", "–")
            ),
            optional("search", "clerk"),
        ),
        _row(
            "Search, `GET /households/?q=` end to end, p50 / p95 / p99 ms",
            [_triple(r["pages"]["all"]) for r in cols],
        ),
        _row(
            "the same, CPU time of the Django process only, p50 / p95 / p99 ms",
            [_triple(r["pages"].get("cpu", {})) for r in cols],
        ),
        _row(
            "Search as typed, the same with `HX-Request` (results only), p50 / p95 / p99 ms",
            [_triple(r["partials"]["all"]) for r in cols],
        ),
        _row(
            "Household page `GET /households/<id>/`, p50 / p95 / p99 ms",
            [_triple(r["households"]["all"]) for r in cols],
        ),
    ]
    rows = cols[0]["import"]["rows"]
    for stage, label in (
        ("read", "`read_table`"),
        ("check", "`check_table`"),
        ("write", "`import_households`"),
    ):
        lines.append(
            _row(
                f"Import {rows:,} rows: {label}",
                [
                    "{:.1f} s ({:,} rows/s)".format(
                        r["import"][f"{stage}_seconds"], r["import"][f"{stage}_rows_per_s"]
                    )
                    for r in cols
                ],
            )
        )
    lines += [
        _row(
            f"Import {rows:,} rows: all three stages",
            [
                f"{r['import']['total_seconds']:.1f} s (**{r['import']['rows_per_s']:,} rows/s**)"
                for r in cols
            ],
        ),
        _row(
            "Peak memory of the benchmark process (ru_maxrss)",
            [
                f"{r['peak_rss_mib']:,.0f} MiB"
                + (" (build reused)" if r["reused"] else " (incl. the build)")
                for r in cols
            ],
        ),
    ]
    return lines


def kinds_table(results: dict) -> list[str]:
    labels = list(results)
    lines = [
        "| Query kind | "
        + " | ".join(f"{NAMES[x]}: `search_people` | {NAMES[x]}: page" for x in labels)
        + " | rows on the first page (median) |",
        "|---|" + "---:|---:|" * len(labels) + "---:|",
    ]
    first = results[labels[0]]
    for kind, label in KIND_LABELS.items():
        cells = []
        for x in labels:
            f = results[x]["search"]["by_kind"].get(kind, {})
            p = results[x]["pages"]["by_kind"].get(kind, {})
            cells.append(f"{f.get('p50', 0):.1f} / {f.get('p95', 0):.1f}")
            cells.append(f"{p.get('p50', 0):.1f} / {p.get('p95', 0):.1f}")
        cells.append(f"{first['search']['median_matches'].get(kind, 0):,}")
        lines.append(_row(label, cells))
    return lines


def floors_table(results: dict, full: bool, full_import: bool | None = None) -> list[str]:
    """`full`: a million people; `full_import`: the import had its full 100,000 rows too."""
    full_import = full if full_import is None else full_import
    labels = list(results)
    lines = [
        "| Floor (from the issue) | " + " | ".join(NAMES[x] for x in labels) + " |",
        "|---|" + "---|" * len(labels),
    ]
    checks = [
        (
            f"Search p95 ≤ {SEARCH_P95_MS} ms, `search_people` first page",
            lambda r: r["search"]["all"]["p95"],
            SEARCH_P95_MS,
            "ms",
            True,
        ),
        (
            f"Search p95 ≤ {SEARCH_P95_MS} ms, the list view's own search function",
            lambda r: r["search"].get("view", {}).get("p95"),
            SEARCH_P95_MS,
            "ms",
            True,
        ),
        (
            f"Search p95 ≤ {SEARCH_P95_MS} ms, the same as a clerk of one camp",
            lambda r: r["search"].get("clerk", {}).get("p95"),
            SEARCH_P95_MS,
            "ms",
            True,
        ),
        (
            f"Search p95 ≤ {SEARCH_P95_MS} ms, `/households/?q=` end to end",
            lambda r: r["pages"]["all"]["p95"],
            SEARCH_P95_MS,
            "ms",
            True,
        ),
        (
            f"Search p95 ≤ {SEARCH_P95_MS} ms, as typed (`HX-Request`)",
            lambda r: r["partials"]["all"]["p95"],
            SEARCH_P95_MS,
            "ms",
            True,
        ),
        (
            f"Import ≥ {IMPORT_ROWS_PER_S:,} rows/s (read + check + write)",
            lambda r: r["import"]["rows_per_s"],
            IMPORT_ROWS_PER_S,
            "rows/s",
            False,
        ),
    ]
    for label, value, floor, unit, at_most in checks:
        cells = []
        if all(value(results[x]) is None for x in labels):
            continue
        for x in labels:
            v = value(results[x])
            if v is None:
                cells.append("–")
                continue
            ok = v <= floor if at_most else v >= floor
            shown = f"{v:.1f} {unit}" if unit == "ms" else f"{v:,} {unit}"
            scaled = not (full_import if unit == "rows/s" else full)
            cells.append(f"{shown}: {_verdict(ok)}" + (" (scaled-down run)" if scaled else ""))
        lines.append(_row(label, cells))
    return lines


def _dates(results: dict) -> str:
    dates = {r["measured_at"] for r in results.values()}
    if len(dates) == 1:
        return dates.pop()
    return ", ".join(f"{r['measured_at']} ({NAMES[x]})" for x, r in results.items())


def _commits(results: dict) -> str:
    def one(r):
        return f"`{r['commit']}`" + (" with local changes" if r["dirty"] else "")

    commits = {one(r) for r in results.values()}
    if len(commits) == 1:
        return f"Mawa at commit {commits.pop()}"
    return "Mawa at commit " + ", ".join(f"{one(r)} ({NAMES[x]})" for x, r in results.items())


def render(results: dict, run: dict) -> str:
    m = run["machine"]
    full = run["people"] == FULL_PEOPLE and run["import_rows"] == FULL_IMPORT_ROWS
    versions = ", ".join(f"{NAMES[x]} {results[x]['server_version']}" for x in results)
    lines = [
        START,
        "## Registry: search, household page and import at a million people",
        "",
        "_This section is written by `make bench` (bench/run.py); edits inside the markers are "
        "overwritten._",
        "",
        f"Measured {_dates(results)} on {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"{m['os']}, Python {m['python']}, {versions}. {_commits(results)}. "
        "One-minute load average when "
        "measuring began: "
        + ", ".join(f"{NAMES[x]} {results[x]['load_average_at_start'][0]}" for x in results)
        + " (other work on the machine shows up here and in the p99s).",
        "",
        f"The registry holds {run['people']:,} synthetic people made by "
        f"`mawa.registry.synthetic.generate_households` (seed {run['seed']}) across the "
        f"{next(iter(results.values()))['sites']} camps of 2017. Search runs {run['queries']} "
        "seeded queries, the same on each database, "
        "as the site-wide administrator: first through "
        "`search_people(Person.objects.filter(household__site__in=...), q)` taking the first "
        "page of 25 by `-pk`; then through the list view's own search function when it has "
        "one (also as a registration clerk of the busiest camp); then through Django's test "
        "client on `/households/?q=` (session, middleware, "
        "view, template), once as a full page and once as the search box asks while typing "
        "(`HX-Request`: the results only). "
        f"{run['pages']} random household pages are rendered the same way.",
        "",
    ]
    if run.get("skipped"):
        lines += [f"Not measured: {run['skipped']}.", ""]
    lines += figures_table(results) + [""]
    lines += ["Search by query kind, p50 / p95 in milliseconds:", ""] + kinds_table(results)
    lines += [""]
    lines += floors_table(results, run["people"] == FULL_PEOPLE, full) + [""]
    lines += [
        "To reproduce: `make bench` (both databases; PostgreSQL when `mawa_bench` can be "
        "created on 127.0.0.1, or set `MAWA_BENCH_POSTGRES_URL`). "
        "`.venv/bin/python bench/run.py --no-postgres --people 20000` is a quick run on SQLite "
        "only (scaled-down runs leave this file alone unless given `--docs`). The first run "
        "builds the registry (SQLite file under `bench/results/registry/`, PostgreSQL database "
        "`mawa_bench`); later runs reuse it while its size, seed and the search tokens of "
        "`mawa.namekeys` are unchanged (`--rebuild` forces a new one). Raw figures, per-query "
        "times and the plans of the slowest searches are in `bench/results/registry/`.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_docs(path: Path, section: str) -> None:
    write_section(path, section, START, END)

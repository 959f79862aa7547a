"""`make bench`: the registry benchmark at a million people, on SQLite and PostgreSQL.

    .venv/bin/python bench/run.py                          # 1,000,000 people, both databases
    .venv/bin/python bench/run.py --no-postgres --people 20000   # a quick run on SQLite

For each database a worker process (this script with --worker) builds or reuses the registry,
times search, household pages and a 100,000-row import, and reports its peak memory. The
parent collects the figures into bench/results/registry/ and, for a full-size run, into
docs/benchmarks.md between the registry-bench markers. See docs/benchmarks.md.
"""

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time

from regbench.common import (
    DOCS,
    FULL_IMPORT_ROWS,
    FULL_PEOPLE,
    RESULTS,
    log,
    peak_rss_mib,
    wait_for_quiet,
)
from regbench.databases import (
    DEFAULT_POSTGRES,
    Target,
    postgres_reachable,
    postgres_target,
    recreate,
    sqlite_target,
)

SEED = 2017


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=FULL_PEOPLE, help="registry size")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--queries", type=int, default=240, help="search queries (≥ 200)")
    parser.add_argument("--pages", type=int, default=200, help="household pages to render")
    parser.add_argument("--import-rows", type=int, help="rows in the import CSV")
    parser.add_argument(
        "--postgres",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also (or not) run on PostgreSQL; by default, when it is reachable",
    )
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--postgres-url", default=os.environ.get("MAWA_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--rebuild", action="store_true", help="build the registry afresh")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=600,
        metavar="SECONDS",
        help="before measuring, wait up to this long for the machine's load to settle",
    )
    parser.add_argument(
        "--docs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write docs/benchmarks.md (by default only for a full-size run)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write the report from the last results of each database",
    )
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_rows is None:
        args.import_rows = (
            FULL_IMPORT_ROWS if args.people >= FULL_PEOPLE else max(1000, args.people // 10)
        )
    return args


# --- the worker: one database, one process ------------------------------------------------


PG_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "random_page_cost",
    "autovacuum",
)


def _server(connection) -> tuple[str, float]:
    """The database's version (and PostgreSQL's main settings), and its size in MiB."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
            settings = []
            for name in PG_SETTINGS:
                cursor.execute(f"SHOW {name}")
                settings.append(f"{name}={cursor.fetchone()[0]}")
            version += f" ({', '.join(settings)})"
            cursor.execute("SELECT pg_database_size(current_database())")
            return version, cursor.fetchone()[0] / 2**20
        cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    name = str(connection.settings_dict["NAME"])
    size = sum(os.path.getsize(name + s) for s in ("", "-wal") if os.path.exists(name + s))
    return version, size / 2**20


def _migrate() -> dict:
    """Apply Mawa's migrations; which ones ran and how long they took (on a reused registry,
    that is what upgrading a million-person deployment costs)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    applied = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    if applied:
        log(f"applying {len(applied)} migrations: {', '.join(applied)}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    result = {"applied": applied, "seconds": round(time.perf_counter() - started, 1)}
    if applied and connection.vendor == "postgresql":
        # A migration that rewrites rows leaves them dead until (auto)vacuum runs, and stale
        # statistics: do now what autovacuum would do in the next minutes (if it is on).
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        result["vacuum_seconds"] = round(time.perf_counter() - started, 1)
    return result


def _ensure_registry(args, target: Target) -> tuple[object, dict, bool]:
    from django.core.management import call_command
    from django.db import connections

    from regbench.build import (
        build,
        prepare_places_and_admin,
        read_state,
        reusable,
        token_fingerprint,
        write_state,
    )
    from regbench.importer import remove_import_sites

    migrations = _migrate()
    admin = prepare_places_and_admin()
    remove_import_sites()
    fingerprint = token_fingerprint()
    state = read_state()
    why = "--rebuild" if args.rebuild else reusable(state, args.people, args.seed, fingerprint)
    if why is None:
        log(f"reusing the registry built {state['built_at']} ({state['people']:,} people)")
        if migrations["applied"]:
            stamp = dt.datetime.now().isoformat(timespec="seconds")
            state.setdefault("migration_log", []).append({**migrations, "at": stamp})
            write_state(state)
        return admin, state, True
    log(f"building a new registry of {args.people:,} people: {why}")
    connections.close_all()
    recreate(target)
    call_command("migrate", verbosity=0, interactive=False)
    admin = prepare_places_and_admin()
    state = build(people=args.people, seed=args.seed, admin=admin, vendor=target.label)
    state.update(
        people_target=args.people,
        seed=args.seed,
        fingerprint=fingerprint,
        built_at=dt.datetime.now().isoformat(timespec="seconds"),
    )
    write_state(state)
    log(f"built in {state['build_seconds']:.0f} s")
    return admin, state, False


def worker(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
    import django

    django.setup()
    from django.db import connection
    from django.urls import get_resolver

    # Import every view now, not midway through the measurements.
    log(f"{len(get_resolver().url_patterns)} URL patterns loaded")

    from regbench import measure
    from regbench.build import prepare_clerk, registry_sites
    from regbench.importer import remove_import_sites, run_import
    from regbench.queries import make_queries, sample_numbers

    target = Target(args.worker, os.environ["DATABASE_URL"])
    admin, state, reused = _ensure_registry(args, target)
    rss_after_build = peak_rss_mib()
    load_at_start = wait_for_quiet(args.quiet_wait)

    numbers = sample_numbers()
    queries = make_queries(random.Random(args.seed + 1), numbers, args.queries)
    warmup = make_queries(random.Random(args.seed + 2), numbers, 60)
    clerk = prepare_clerk()
    log(f"warming up, then {len(queries)} searches through search_people")
    measure.search_function(warmup, admin, clerk)
    search = measure.search_function(queries, admin, clerk)
    log(f"search_people p95 {search['all']['p95']:.1f} ms; now through /households/?q=")
    client = measure.logged_in_client(admin)
    measure.search_pages(warmup[:12], client)
    pages = measure.search_pages(queries, client)
    log(f"/households/?q= p95 {pages['all']['p95']:.1f} ms; now as typed (HX-Request)")
    partials = measure.search_pages(queries, client, htmx=True)
    log(f"HX-Request p95 {partials['all']['p95']:.1f} ms; now {args.pages} household pages")
    household_ids = random.Random(args.seed + 3).sample(numbers["household_ids"], args.pages)
    households = measure.household_pages(household_ids, client)
    log(f"household page p95 {households['all']['p95']:.1f} ms")
    profiles = measure.profile_slowest(client, pages, connection.vendor)
    rss_before_import = peak_rss_mib()

    version, size_mib = _server(connection)
    log(f"importing {args.import_rows:,} rows")
    imported = run_import(
        admin=admin,
        rows=args.import_rows,
        seed=args.seed + 4,
        path=RESULTS / f"import-{args.import_rows}.csv",
    )
    result = {
        "measured_at": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "database": target.label,
        "params": {
            "people": args.people,
            "seed": args.seed,
            "queries": len(queries),
            "pages": len(household_ids),
            "import_rows": args.import_rows,
        },
        "sites": len(registry_sites()),
        "server_version": version,
        "database_mib": round(size_mib),
        "reused": reused,
        "build": state,
        "search": search,
        "pages": pages,
        "partials": partials,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "load_average_at_start": load_at_start,
        "households": households,
        "profiles": profiles,
        "import": imported,
        "peak_rss_mib": peak_rss_mib(),
        "rss_mib_after_build": rss_after_build,
        "rss_mib_before_import": rss_before_import,
    }
    remove_import_sites()
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1, default=str)
    return 0


# --- the parent: which databases, then the report ------------------------------------------


def _git(*command: str) -> str:
    try:
        return subprocess.run(
            ["git", *command], capture_output=True, text=True, check=True, cwd=DOCS.parent.parent
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _targets(args) -> tuple[list[Target], str]:
    targets, skipped = [], ""
    if args.sqlite:
        targets.append(sqlite_target(args.people))
    if args.postgres is not False:
        target = postgres_target(args.postgres_url, args.people)
        reason = postgres_reachable(target.url)
        if reason is None:
            targets.append(target)
        elif args.postgres:
            raise SystemExit(f"PostgreSQL is not reachable at {target.url}: {reason}")
        else:
            skipped = f"PostgreSQL ({reason})"
            log(f"PostgreSQL skipped: {reason}")
    return targets, skipped


def _result_path(label: str, people: int):
    return RESULTS / f"result-{label}-{people}.json"


def _run_worker(args, target: Target, argv: list[str]) -> dict:
    out = _result_path(target.label, args.people)
    out.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": target.url, "DJANGO_SETTINGS_MODULE": "mawa.settings"}
    command = [sys.executable, os.path.abspath(__file__), *argv, "--worker", target.label]
    log(f"{target.label}: {target.url}")
    completed = subprocess.run([*command, "--out", str(out)], env=env)
    if completed.returncode != 0:
        raise SystemExit(f"the {target.label} worker failed ({completed.returncode})")
    return json.loads(out.read_text(encoding="utf-8"))


def _write_plans(label: str, profiles: list[dict]) -> None:
    lines = []
    for profile in profiles:
        lines.append(
            f"=== {profile['kind']}: {profile['q']!r}: {profile['ms']} ms, "
            f"{profile['statements']} statements, {profile['sql_ms']} ms in SQL"
        )
        for statement in profile["slowest"]:
            lines += [
                f"--- {statement['ms']} ms",
                statement["sql"],
                f"params: {statement['params']}",
                statement["plan"],
                "",
            ]
    (RESULTS / f"plans-{label}.txt").write_text("\n".join(lines), encoding="utf-8")


def _summary(label: str, r: dict) -> str:
    return (
        f"{label:<10} build {r['build']['build_seconds']:.0f} s"
        f"{' (reused)' if r['reused'] else ''} | search p95 {r['search']['all']['p95']:.1f} ms"
        f" | page p95 {r['pages']['all']['p95']:.1f} ms"
        f" | household p95 {r['households']['all']['p95']:.1f} ms"
        f" | import {r['import']['rows_per_s']:,} rows/s | peak {r['peak_rss_mib']:,.0f} MiB"
    )


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker:
        return worker(args)
    from regbench.report import machine, render, write_docs

    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.report_only:
        labels = [
            x
            for x, wanted in (("sqlite", args.sqlite), ("postgresql", args.postgres))
            if wanted is not False
        ]
        results = {
            label: json.loads(_result_path(label, args.people).read_text(encoding="utf-8"))
            for label in labels
            if _result_path(label, args.people).exists()
        }
        skipped = ""
    else:
        targets, skipped = _targets(args)
        results = {t.label: _run_worker(args, t, argv) for t in targets}
    if not results:
        raise SystemExit("no database measured")
    run = {
        "date": max(r["measured_at"] for r in results.values()),
        "machine": machine(),
        "commit": results[next(iter(results))]["commit"],
        "dirty": any(r["dirty"] for r in results.values()),
        **results[next(iter(results))]["params"],
        "skipped": skipped,
        "seconds": round(time.perf_counter() - started),
    }
    (RESULTS / "registry-latest.json").write_text(
        json.dumps({"run": run, "results": results}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    for label, result in results.items():
        _write_plans(label, result["profiles"])
        print(_summary(label, result))
    full = run["people"] == FULL_PEOPLE and run["import_rows"] == FULL_IMPORT_ROWS
    if args.docs or (args.docs is None and full):
        write_docs(DOCS, render(results, run))
        print(f"wrote {DOCS.relative_to(DOCS.parent.parent)}")
    else:
        print("docs/benchmarks.md left alone (scaled-down run; --docs writes it anyway)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Field nodes: ingestion at headquarters, a node's start from its package, a node's scans.

    .venv/bin/python bench/field.py                       # SQLite and PostgreSQL, full size
    .venv/bin/python bench/field.py --no-postgres --households 5000 --events 20000   # quick

1. Ingestion: 100,000 events (redemptions with their stock lines, and scans) from 10 nodes,
   sealed in bundles of 5,000 as the nodes would send them, ingested at headquarters (one
   database on SQLite, one on PostgreSQL). 5% of households are served at two nodes, so the
   doubles are flagged during ingestion. The events are written directly in the shape
   `mawa.assistance.offline.redemption_data` gives (making 50,000 redemptions through the
   distribution screen on ten nodes first would take longer than the ingestion measured).
2. Start: headquarters makes the package of a node serving 25,000 households; a fresh
   laptop database (SQLite, then SQLCipher) is made that node by `node_init`.
3. Scans: on that node, 2,000 cards presented through the distribution screen's Give
   request (Django test client: URL routing, session, permission checks, the template), and
   through `redemption_record` alone; p50/p95/p99.
Targets: ingestion ≤ 60 s, start ≤ 10 s, scan p99 ≤ 20 ms. Writes its section of
docs/benchmarks.md between <!-- field-bench:start --> and <!-- field-bench:end -->.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
os.environ.setdefault("MAWA_NODE_PASSPHRASE", "bench laptop passphrase")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from mawa.assistance.models import (  # noqa: E402
    Cycle,
    Redemption,
    StockEntry,
    StockLocation,
)
from mawa.assistance.services import redemption_record, stock_record  # noqa: E402
from mawa.core.models import User  # noqa: E402
from mawa.field import services  # noqa: E402
from mawa.field.synthetic import connected_to, field_world, synthetic_bundles  # noqa: E402
from mawa.settings import database_from_url  # noqa: E402
from regbench.common import write_section  # noqa: E402
from regbench.databases import Target, recreate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "field"
DOC = ROOT / "docs" / "benchmarks.md"
PASSPHRASE = "bench package passphrase"
SEED = 2016


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def database(url: str):
    return connected_to(database_from_url(url))


def _fresh(target: Target) -> str:
    recreate(target)
    with database(target.url):
        call_command("migrate", verbosity=0, interactive=False)
    return target.url


def fresh_sqlite(path: Path, scheme: str = "sqlite") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    return _fresh(Target("sqlite", f"{scheme}:///{path}"))


def fresh_postgres(name: str) -> str:
    return _fresh(Target("postgresql", f"postgres://postgres@127.0.0.1:5432/{name}"))


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50": round(pick(0.50), 2),
        "p95": round(pick(0.95), 2),
        "p99": round(pick(0.99), 2),
        "max": round(ordered[-1], 2),
        "n": len(values),
    }


# --- 1. ingestion ----------------------------------------------------------------------------


def bench_ingest(url: str, *, households: int, events: int, nodes: int) -> dict:
    with database(url):
        started = time.perf_counter()
        field_world(households=households, nodes=nodes, seed=SEED)
        built = time.perf_counter() - started
        log(f"headquarters with {households:,} households built in {built:.0f} s")
        bundles, doubles = synthetic_bundles(events_total=events, seed=SEED)
        log(f"{len(bundles)} bundles sealed ({sum(map(len, bundles)) / 2**20:.1f} MiB)")
        times = []
        started, cpu = time.perf_counter(), time.process_time()
        for blob in bundles:
            one = time.perf_counter()
            report = services.bundle_ingest(blob)
            times.append(time.perf_counter() - one)
            assert report.duplicates == 0
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu
        stored = Redemption.objects.count()
        flagged = Redemption.objects.exclude(double_of=None).count()
        assert flagged == doubles, (flagged, doubles)
        again = time.perf_counter()
        report = services.bundle_ingest(bundles[0])  # a bundle delivered twice
        replay = time.perf_counter() - again
        assert report.new == 0
        ledger = StockEntry.objects.filter(kind="distribution").count()
    return {
        "events": events,
        "nodes": nodes,
        "bundles": len(bundles),
        "seconds": round(total, 1),
        "cpu_seconds": round(cpu, 1),
        "events_per_second": round(events / total),
        "slowest_bundle_s": round(max(times), 2),
        "redemptions": stored,
        "doubles_flagged": flagged,
        "ledger_lines": ledger,
        "replayed_bundle_s": round(replay, 2),
    }


# --- 2. start and 3. scans --------------------------------------------------------------------


def bench_node(households: int, scans: int) -> dict:
    hq_url = fresh_sqlite(RESULTS / "hq-start.sqlite3")
    with database(hq_url):
        world = field_world(households=households, nodes=1, seed=SEED)
        started = time.perf_counter()
        package = services.package_make(
            actor=world.admin, node=world.nodes[0], passphrase=PASSPHRASE
        )
        made = time.perf_counter() - started
        cards = random.Random(SEED).sample(world.cards, scans)
        cycle_pk, point_pk = world.cycle.pk, world.points[0].pk
        operator = world.operators[0].username
    result = {
        "households": households,
        "package_mib": round(len(package) / 2**20, 2),
        "package_make_s": round(made, 1),
    }
    for scheme in ("sqlite", "sqlcipher"):
        url = fresh_sqlite(RESULTS / f"node-{scheme}.sqlite3", scheme)
        with database(url):
            started = time.perf_counter()
            services.node_init(package, PASSPHRASE)
            result[f"start_{scheme}_s"] = round(time.perf_counter() - started, 2)
            cycle = Cycle.objects.select_related("programme").get(pk=cycle_pk)
            point = StockLocation.objects.get(pk=point_pk)
            user = User.objects.get(username=operator)
            for rule in cycle.programme.rules.select_related("commodity"):
                stock_record(
                    actor=user,
                    location=point,
                    commodity=rule.commodity,
                    quantity=10**6,
                    kind="receipt",
                )
            client = Client()
            client.force_login(user)
            give = reverse("assistance:give", args=[point_pk, cycle_pk])
            half = scans // 2
            times = []
            for code in cards[:half]:
                one = time.perf_counter()
                response = client.post(give, {"code": code}, HTTP_HX_REQUEST="true")
                times.append((time.perf_counter() - one) * 1000)
                assert response.status_code == 200
            result[f"give_request_{scheme}_ms"] = percentiles(times)
            times = []
            for code in cards[half:]:
                one = time.perf_counter()
                outcome = redemption_record(
                    actor=user, cycle=cycle, point=point, typed=code
                ).outcome
                times.append((time.perf_counter() - one) * 1000)
                assert outcome == "given", outcome
            result[f"redemption_record_{scheme}_ms"] = percentiles(times)
        log(f"{scheme}: {result}")
    return result


# --- report -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor()
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"load average {load:.1f} at the start"
    )


def report(results: dict) -> str:
    lines = [
        "<!-- field-bench:start -->",
        "## Field nodes (issue 4)",
        "",
        f"`bench/field.py` (seed {SEED}); when and where each part ran: "
        + "; ".join(f"{part}: {text}" for part, text in results["runs"].items())
        + ".",
        "",
        "| Ingestion at headquarters | " + " | ".join(results["ingest"]) + " |",
        "|---|" + "---|" * len(results["ingest"]),
    ]
    rows = [
        (
            "Events (from nodes, in bundles)",
            lambda r: f"{r['events']:,} from {r['nodes']} nodes, {r['bundles']} bundles",
        ),
        (
            "Time to ingest all (target ≤ 60 s)",
            lambda r: f"**{r['seconds']} s** ({r['events_per_second']:,} events/s)",
        ),
        ("CPU time of the ingesting process", lambda r: f"{r['cpu_seconds']} s"),
        ("Slowest bundle of 5,000", lambda r: f"{r['slowest_bundle_s']} s"),
        (
            "Redemptions stored / doubles flagged",
            lambda r: f"{r['redemptions']:,} / {r['doubles_flagged']:,}",
        ),
        ("A bundle delivered again", lambda r: f"{r['replayed_bundle_s']} s, nothing written"),
    ]
    for title, cell in rows:
        lines.append(
            f"| {title} | " + " | ".join(cell(r) for r in results["ingest"].values()) + " |"
        )
    node = results["node"]
    lines += [
        "",
        f"A node serving {node['households']:,} households: package {node['package_mib']} MiB, "
        f"made in {node['package_make_s']} s at headquarters.",
        "",
        "| On the node | SQLite | SQLCipher (encrypted at rest) |",
        "|---|---|---|",
        "| Start from the package (`node_init`, target ≤ 10 s) | "
        f"**{node['start_sqlite_s']} s** | **{node['start_sqlcipher_s']} s** |",
    ]
    for key, title in (
        ("give_request", "Give request through the screen, ms (target p99 ≤ 20)"),
        ("redemption_record", "`redemption_record` alone, ms"),
    ):
        cells = []
        for scheme in ("sqlite", "sqlcipher"):
            p = node[f"{key}_{scheme}_ms"]
            cells.append(f"p50 {p['p50']} · p95 {p['p95']} · **p99 {p['p99']}** (n={p['n']})")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += ["<!-- field-bench:end -->"]
    return "\n".join(lines)


def write_doc(section: str) -> None:
    write_section(DOC, section, "<!-- field-bench:start -->", "<!-- field-bench:end -->")


PARTS = ("sqlite", "postgres", "node")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=50_000, help="at headquarters")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--nodes", type=int, default=10)
    parser.add_argument("--node-households", type=int, default=25_000)
    parser.add_argument("--scans", type=int, default=2_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--only",
        choices=PARTS,
        action="append",
        help="run only these parts (repeatable); the others keep their last results",
    )
    args = parser.parse_args(argv)
    parts = set(args.only or PARTS) - ({"postgres"} if args.no_postgres else set())
    saved = RESULTS / "result.json"
    results = json.loads(saved.read_text()) if args.only and saved.exists() else {"ingest": {}}
    results["runs"] = {**results.get("runs", {})}
    targets = {
        "sqlite": ("SQLite", lambda: fresh_sqlite(RESULTS / "hq-ingest.sqlite3")),
        "postgres": ("PostgreSQL", lambda: fresh_postgres("mawa_bench_field")),
    }
    for part, (name, make) in targets.items():
        if part not in parts:
            continue
        log(f"ingestion on {name}")
        started = machine()
        results["ingest"][name] = bench_ingest(
            make(), households=args.households, events=args.events, nodes=args.nodes
        )
        results["runs"][name] = f"{dt.date.today().isoformat()}, {started}"
        log(f"{name}: {results['ingest'][name]}")
    if "node" in parts:
        started = machine()
        results["node"] = bench_node(args.node_households, args.scans)
        results["runs"]["node"] = f"{dt.date.today().isoformat()}, {started}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(results, indent=2))
    section = report(results)
    write_doc(section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())

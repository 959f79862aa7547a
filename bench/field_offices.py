"""Field nodes at national scale: headquarters with many sites and registered nodes.

    .venv/bin/python bench/field_offices.py --sites 400 --households 2500 --nodes 1000  # floor
    .venv/bin/python bench/field_offices.py --sites 20 --households 2500 --nodes 200    # quick

Headquarters (SQLite) holds `sites` camps of `households` households each (about five people a
household), every camp with its camp-office nodes registered (`nodes` in all, 2,500 households
each). One of them is packaged and started on a fresh laptop database; then:

1. a quiet sync (the node sends an empty bundle, headquarters ingests it and answers with what
   changed for it: nothing) — p50/p95 over 200 round trips, while headquarters' change feed holds
   the registrations of every other site;
2. a bundle of 100 mixed changes from the office (registrations with needs and documents,
   person and household edits, shelter assignments, departures, cards) ingested at headquarters
   and answered — p50/p95 over 20 bundles;
3. the office's start from its package (headquarters makes it, the laptop applies it).

Floors (issue 9): quiet sync p95 ≤ 50 ms, 100 mixed changes p95 ≤ 500 ms, start ≤ 10 s at
25,000 households. Writes its section of docs/benchmarks.md between
<!-- field-offices:start --> and <!-- field-offices:end -->.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from tests.field.scenario import mixed_work  # noqa: E402

from mawa.assistance.models import Programme  # noqa: E402
from mawa.core.ids import new_reference  # noqa: E402
from mawa.core.models import AdminArea, Site, User  # noqa: E402
from mawa.core.roles import Role  # noqa: E402
from mawa.field import changes, services  # noqa: E402
from mawa.field.models import Node  # noqa: E402
from mawa.field.synthetic import connected_to  # noqa: E402
from mawa.registry.models import Household, Person, Shelter, SpecificNeed  # noqa: E402
from mawa.settings import database_from_url  # noqa: E402
from regbench.common import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "field_offices"
DOC = ROOT / "docs" / "benchmarks.md"
PASSPHRASE = "bench package passphrase"
GIVEN = ["Ahmed", "Ali", "Hussein", "Omar", "Khalid", "Fatima", "Zainab", "Maryam", "Noor"]


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class _Places:
    """The shape tests.field.scenario.mixed_work expects: `use(name)` switches database."""

    def __init__(self, urls: dict[str, str]):
        self.urls = urls

    def use(self, name: str):
        return connected_to(database_from_url(self.urls[name]))


def build(sites: int, households: int, nodes: int, seed: int = 2016) -> dict:
    rng = random.Random(seed)
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        governorate = AdminArea.objects.create(pcode="IQG11", level=1, name_en="Erbil")
        district = AdminArea.objects.create(
            pcode="IQG11Q04", level=2, name_en="Makhmour", parent=governorate
        )
        admin = User.objects.create_user("hq-admin", role=Role.ADMINISTRATOR, all_sites=True)
        Programme.objects.create(code="nfi", name_en="Winter kits")
    today = dt.date.today()
    made = []
    for index in range(sites):
        with transaction.atomic():
            site = Site.objects.create(
                code=f"camp-{index:03d}", name_en=f"Camp {index}", area=district
            )
            Shelter.objects.bulk_create(
                Shelter(site=site, code=f"S-{n:03d}", capacity_people=500) for n in range(20)
            )
            homes = Household.objects.bulk_create(
                (
                    Household(
                        reference=new_reference(),
                        site=site,
                        arrival_date=today,
                        consent_date=today,
                        consent_purposes=["assistance"],
                    )
                    for _ in range(households)
                ),
                batch_size=2000,
            )
            people = []
            for home in homes:
                for member in range(rng.randint(1, 9)):
                    people.append(
                        Person(
                            household=home,
                            relationship="head" if member == 0 else "son",
                            sex=rng.choice("MF"),
                            given_name_lat=rng.choice(GIVEN),
                            father_name_lat=rng.choice(GIVEN),
                            family_name_lat="Al-Jaburi",
                        )
                    )
            Person.objects.bulk_create(people, batch_size=5000)
            SpecificNeed.objects.bulk_create(
                (SpecificNeed(person=p, code="DS") for p in people if rng.random() < 0.05),
                batch_size=5000,
            )
        made.append(site)
        if index % 10 == 0:
            log(f"  site {index + 1}/{sites}")
    clerks = []
    for index in range(nodes):
        site = made[index % len(made)]
        # No password: the benchmark logs no one in, and hashing a thousand would take minutes.
        clerk = User.objects.create(username=f"clerk-{index}", role=Role.CAMP_MANAGER)
        clerk.sites.add(site)
        clerks.append(clerk)
        services.node_create(
            actor=admin, name=f"office-{index}", sites=[site], users=[clerk], roles=["office"]
        )
    changes.prune()  # no node has read anything yet: the building's own changes go
    return {"admin": admin.username}


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": round(pick(0.5) * 1000, 1), "p95": round(pick(0.95) * 1000, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=400)
    parser.add_argument("--households", type=int, default=2500)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--quiet", type=int, default=200)
    parser.add_argument("--bundles", type=int, default=20)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in ("hq.sqlite3", "node.sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{RESULTS / name}{suffix}").unlink(missing_ok=True)
    urls = {
        "hq": f"sqlite:///{RESULTS / 'hq.sqlite3'}",
        "node0": f"sqlite:///{RESULTS / 'node.sqlite3'}",
    }
    places = _Places(urls)
    started = time.perf_counter()
    with places.use("hq"):
        log(f"building headquarters: {args.sites} sites × {args.households} households")
        build(args.sites, args.households, args.nodes)
        people = Person.objects.count()
        node = Node.objects.get(name="office-0")
        clerk = node.users.get().username
        log(
            f"built {people:,} people, {Node.objects.count()} nodes in {time.perf_counter() - started:.0f} s"  # noqa: E501
        )
        t0 = time.perf_counter()
        package = services.package_make(actor=node.created_by, node=node, passphrase=PASSPHRASE)
        made_package = time.perf_counter() - t0
    with places.use("node0"):
        call_command("migrate", verbosity=0, interactive=False)
        t0 = time.perf_counter()
        services.node_init(package, PASSPHRASE)
        started_node = time.perf_counter() - t0
    log(f"package {made_package:.1f} s, node start {started_node:.1f} s")

    def round_trip(blob: bytes) -> float:
        with places.use("hq"):
            t0 = time.perf_counter()
            report = services.bundle_ingest(blob)
            reply, _count = services.bundle_make(report.sender, limit=2000)
            spent = time.perf_counter() - t0
        with places.use("node0"):
            services.bundle_ingest(reply)
        return spent

    with places.use("node0"):
        first, _count = services.bundle_make()
    round_trip(first)
    quiet = []
    for _ in range(args.quiet):
        with places.use("node0"):
            blob, _count = services.bundle_make()
        quiet.append(round_trip(blob))
    log(f"quiet sync {percentiles(quiet)}")
    mixed = []
    for index in range(args.bundles):
        with places.use("node0"):
            mixed_work(places, "node0", clerk, seed=index, steps=100)
            blob, count = services.bundle_make()
        mixed.append(round_trip(blob))
    log(f"100 mixed changes {percentiles(mixed)}")
    results = {
        "people": people,
        "nodes": args.nodes,
        "households_per_node": args.households,
        "package_s": round(made_package, 1),
        "start_s": round(started_node, 1),
        "quiet_ms": percentiles(quiet),
        "mixed_ms": percentiles(mixed),
        "load": os.getloadavg(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    log(str(results))
    if not args.no_docs:
        section = (
            "<!-- field-offices:start -->\n### Field nodes at national scale (bench/field_offices.py)\n\n"  # noqa: E501
            f"{results['date']}, SQLite headquarters, one-minute load average "
            f"{results['load'][0]:.1f} (other work on this 2-core machine). "
            f"{people:,} people at {args.sites} sites, {args.nodes} registered camp-office "
            f"nodes of {args.households:,} households each.\n\n"
            "| measure | floor | measured |\n| --- | --- | --- |\n"
            f"| quiet sync (empty bundle in, reply out) p95 | ≤ 50 ms | {results['quiet_ms']['p95']} ms (p50 {results['quiet_ms']['p50']}) |\n"  # noqa: E501
            f"| bundle of 100 mixed changes ingested and answered, p95 | ≤ 500 ms | {results['mixed_ms']['p95']} ms (p50 {results['mixed_ms']['p50']}) |\n"  # noqa: E501
            f"| package made / office started from it ({args.households:,} households) | start ≤ 10 s at 25,000 | {results['package_s']} s / {results['start_s']} s |\n"  # noqa: E501
            "<!-- field-offices:end -->\n"
        )
        write_section(DOC, section, "<!-- field-offices:start -->", "<!-- field-offices:end -->")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

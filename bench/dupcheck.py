"""Duplicate check at registration against a large registry: p50/p95 of `possible_duplicates`.

    DATABASE_URL=sqlite:///bench/results/registry/registry.sqlite3 \
        .venv/bin/python bench/dupcheck.py [--checks 300]

Uses a registry built by `make bench` (bench/run.py). Each check is an existing person typed
again as a clerk would: the grandfather's name dropped, the birth date reduced to its year, and
for half of them the given name typed in Latin script from the name table. Results go to
docs/benchmarks.md between the dupcheck-bench markers.
"""

import argparse
import datetime as dt
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from mawa.core.models import User  # noqa: E402
from mawa.linkage import Record  # noqa: E402
from mawa.namekeys import get_table, normalize  # noqa: E402
from mawa.names.services import person_record, possible_duplicates  # noqa: E402
from mawa.registry.models import Person  # noqa: E402

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
START, END = "<!-- dupcheck-bench:start -->", "<!-- dupcheck-bench:end -->"


def latin_of(arabic: str) -> str:
    """A Latin spelling of an Arabic-script name from the name table (itself when unlisted)."""
    wanted = normalize(arabic)
    for row in get_table().rows:
        if wanted in row.arabic and row.latin:
            return row.latin[0]
    return arabic


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=300)
    args = parser.parse_args()
    people_total = Person.objects.count()
    rng = random.Random(2017)
    ids = list(Person.objects.values_list("pk", flat=True)[:200_000])
    picked = rng.sample(ids, min(args.checks, len(ids)))
    sample = list(
        Person.objects.filter(pk__in=picked)
        .select_related("household__origin_area__parent__parent")
        .prefetch_related("documents")
    )
    admin = User.objects.filter(all_sites=True, is_active=True).first() or User.objects.create(
        username="bench-admin", role="administrator", all_sites=True
    )
    timings, found = [], 0
    for index, person in enumerate(sample):
        record = person_record(person)
        typed = Record(
            id="new",
            given_name=latin_of(record.given_name) if index % 2 else record.given_name,
            father_name=record.father_name,
            grandfather_name="",
            family_name=record.family_name,
            mother_name=record.mother_name,
            sex=record.sex,
            birth_date=record.birth_date[:4],
            governorate=record.governorate,
        )
        started = time.perf_counter()
        matches = possible_duplicates(user=admin, record=typed)
        timings.append((time.perf_counter() - started) * 1000)
        found += any(m.person.pk == person.pk for m in matches)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    vendor = connection.vendor
    line = (
        f"| {vendor} | {people_total:,} | {len(timings)} | {p50:.1f} | {p95:.1f} | "
        f"{found / len(timings):.0%} | {'pass' if p95 <= 50 else 'MISS'} |"
    )
    print(line)
    section = f"""{START}
## Duplicate check at registration (`bench/dupcheck.py`)

Each check types an existing person again as a clerk might (grandfather's name left out, birth
date reduced to its year, every other given name in Latin script) and asks
`possible_duplicates` for matches across every site. Floor: p95 ≤ 50 ms at 1,000,000 people.
Measured {dt.date.today()} on {os.cpu_count()} cores, Python {platform.python_version()}.

| database | people | checks | p50 ms | p95 ms | original found | floor |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
{line}
{END}"""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), section, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")
    sys.exit(0)


if __name__ == "__main__":
    main()

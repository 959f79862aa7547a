"""The import benchmark: a Kobo-style CSV of seeded families, read, checked and imported.

The CSV uses the generator's own name lists (mawa.registry.synthetic) and column paths like a
KoboToolbox export (`hh_roster/given_name_ar`, plus `_index` and `_submission_time` columns the
import ignores). It is imported into a fresh site of the benchmark database, stage by stage, and
removed again afterwards so that the registry keeps its size for the next run.
"""

import contextlib
import csv
import datetime as dt
import random
import uuid
from pathlib import Path

from regbench.build import IMPORT_SITE_PREFIX
from regbench.common import Timer, log, process_cpu_seconds

HEADERS = [
    "_index",
    "household",
    "hh_roster/relationship",
    "hh_roster/given_name_ar",
    "hh_roster/father_name_ar",
    "hh_roster/grandfather_name_ar",
    "hh_roster/family_name_ar",
    "hh_roster/mother_name_ar",
    "hh_roster/sex",
    "hh_roster/birth_date",
    "hh_roster/phone",
    "_submission_time",
]
CHILDREN_WEIGHTS = [4, 6, 9, 11, 11, 9, 6, 3, 2]


def _birth(rng: random.Random, today: dt.date, low: int, high: int) -> dt.date:
    """A birth date between `low` and `high` full years ago, never in the future."""
    return today - dt.timedelta(days=rng.randint(low * 365 + 1, high * 365 + 360))


def _family_rows(rng, number: int, today: dt.date) -> list[dict]:
    from mawa.registry.synthetic import FAMILY, FEMALE, MALE

    family = rng.choice(FAMILY)[0]
    head_male = rng.random() < 0.8
    father, grandfather = rng.choice(MALE)[0], rng.choice(MALE)[0]
    mother = f"{rng.choice(FEMALE)[0]} {rng.choice(FAMILY)[0]}"
    head = rng.choice(MALE if head_male else FEMALE)[0]
    phone = f"07{rng.choice('5789')}{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.7 else ""

    def row(relationship, sex, given, father_, grandfather_, family_, mother_, birth):
        return {
            "relationship": relationship,
            "given_name_ar": given,
            "father_name_ar": father_,
            "grandfather_name_ar": grandfather_,
            "family_name_ar": family_,
            "mother_name_ar": mother_,
            "sex": "male" if sex == "M" else "female",
            "birth_date": birth.isoformat(),
        }

    rows = [
        row(
            "head",
            "M" if head_male else "F",
            head,
            father,
            grandfather,
            family,
            mother,
            _birth(rng, today, 22, 70),
        )
    ]
    rows[0]["phone"] = phone
    child_mother = mother
    if head_male and rng.random() < 0.85:
        child_mother = f"{rng.choice(FEMALE)[0]} {rng.choice(FAMILY)[0]}"
        rows.append(
            row(
                "spouse",
                "F",
                rng.choice(FEMALE)[0],
                rng.choice(MALE)[0],
                rng.choice(MALE)[0],
                rng.choice(FAMILY)[0],
                f"{rng.choice(FEMALE)[0]} {rng.choice(FAMILY)[0]}",
                _birth(rng, today, 18, 60),
            )
        )
    for _ in range(rng.choices(range(9), weights=CHILDREN_WEIGHTS)[0]):
        male = rng.random() < 0.5
        rows.append(
            row(
                "son" if male else "daughter",
                "M" if male else "F",
                rng.choice(MALE if male else FEMALE)[0],
                head if head_male else rng.choice(MALE)[0],
                father if head_male else rng.choice(MALE)[0],
                family,
                child_mother,
                _birth(rng, today, 0, 17),
            )
        )
    for r in rows:
        r["household"] = f"HH-{number:06d}"
    return rows


def write_csv(path: Path, rows: int, seed: int) -> int:
    """Write exactly `rows` people (the last family may be cut short; its head stays)."""
    rng = random.Random(seed)
    today = dt.date.today()
    stamp = dt.datetime(today.year, today.month, 1, 9, 0)
    written = households = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        while written < rows:
            households += 1
            for member in _family_rows(rng, households, today)[: rows - written]:
                written += 1
                writer.writerow(
                    [written, member["household"]]
                    + [member.get(h.split("/")[-1], "") for h in HEADERS[2:-1]]
                    + [(stamp + dt.timedelta(seconds=written * 7)).isoformat()]
                )
    return households


@contextlib.contextmanager
def _foreign_keys_unchecked():
    """Foreign-key checks off for this connection (SQLite: PRAGMA, outside any transaction;
    PostgreSQL: session_replication_role, which needs a superuser like the local `postgres`).

    Deleting people with the checks on costs a scan of the whole person table per person at a
    million people (see docs/benchmarks.md); the benchmark deletes only what it imported a
    moment before, which nothing else refers to."""
    from django.db import DatabaseError, connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            try:
                cursor.execute("SET session_replication_role = replica")
            except DatabaseError as exc:  # not a superuser: delete with the checks on
                log(f"foreign-key checks stay on ({exc}); cleaning up will be slow")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")
            else:
                cursor.execute("SET session_replication_role = DEFAULT")


def remove_import_sites() -> None:
    """Delete every benchmark import site and what was imported into it."""
    from django.db import connection, transaction

    from mawa.core.models import Site
    from mawa.registry.models import (
        Household,
        IdentityDocument,
        Movement,
        Person,
        SearchToken,
        SpecificNeed,
    )

    for site in Site.objects.filter(code__startswith=IMPORT_SITE_PREFIX):
        people = Person.objects.filter(household__site=site).values("pk")
        with Timer() as t, _foreign_keys_unchecked(), transaction.atomic():
            for model in (SearchToken, SpecificNeed, IdentityDocument):
                model.objects.filter(person__in=people)._raw_delete(connection.alias)
            Person.objects.filter(household__site=site)._raw_delete(connection.alias)
            Movement.objects.filter(household__site=site)._raw_delete(connection.alias)
            Household.objects.filter(site=site)._raw_delete(connection.alias)
            # Not site.delete(): its cascade to search tokens would read all of them.
            Site.objects.filter(pk=site.pk)._raw_delete(connection.alias)
        log(f"removed imported site {site.code} in {t.seconds:.1f} s")


def _server_cpu_seconds() -> float | None:
    """CPU time so far of this connection's PostgreSQL backend, when the server is on this
    machine (from /proc); None on SQLite (its work is this process's CPU time) or elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return process_cpu_seconds(cursor.fetchone()[0])


def run_import(*, admin, rows: int, seed: int, path: Path) -> dict:
    from django.utils import timezone

    from mawa.core.models import AdminArea, Site
    from mawa.registry.imports import check_table, guess_mapping, import_households
    from mawa.registry.models import Person
    from mawa.registry.tables import read_table

    households = write_csv(path, rows, seed)
    log(f"wrote {path.name}: {rows:,} rows, {households:,} households")
    raw = path.read_bytes()
    with Timer() as read:
        table = read_table(path.name, raw)
    mapping = guess_mapping(table.headers)
    if len(mapping) != len(HEADERS) - 2:
        raise RuntimeError(f"the import mapped {sorted(mapping)} only")
    log(f"read_table: {read.seconds:.1f} s")
    with Timer() as check:
        report = check_table(table, mapping, consent_date=timezone.localdate())
    if report.errors:
        raise RuntimeError(f"check_table found errors: {report.as_dict()['errors'][:5]}")
    log(f"check_table: {check.seconds:.1f} s")
    area = AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).order_by("pcode").first()
    site = Site.objects.create(
        code=f"{IMPORT_SITE_PREFIX}{uuid.uuid4().hex[:8]}",
        name_en="Benchmark import",
        area=area,
        capacity_households=households,
        capacity_people=rows,
    )
    server_before = _server_cpu_seconds()
    with Timer() as write:
        imported = import_households(
            actor=admin, site=site, report=report, only_valid=False, filename=path.name
        )
    server_after = _server_cpu_seconds()
    people = Person.objects.filter(household__site=site).count()
    if imported != households or people != rows:
        raise RuntimeError(f"imported {imported} households, {people} people")
    log(f"import_households: {write.seconds:.1f} s")
    total = read.seconds + check.seconds + write.seconds
    return {
        "rows": rows,
        "households": households,
        "file_bytes": len(raw),
        "read_seconds": round(read.seconds, 2),
        "check_seconds": round(check.seconds, 2),
        "write_seconds": round(write.seconds, 2),
        "total_seconds": round(total, 2),
        "read_cpu_seconds": round(read.cpu_ms / 1000, 2),
        "check_cpu_seconds": round(check.cpu_ms / 1000, 2),
        "write_cpu_seconds": round(write.cpu_ms / 1000, 2),
        "write_server_cpu_seconds": (
            round(server_after - server_before, 2) if server_before is not None else None
        ),
        "read_rows_per_s": round(rows / read.seconds),
        "check_rows_per_s": round(rows / check.seconds),
        "write_rows_per_s": round(rows / write.seconds),
        "rows_per_s": round(rows / total),
    }

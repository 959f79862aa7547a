"""The import benchmark alone: read, check and write a seeded Kobo-style CSV of families.

    .venv/bin/python bench/importbench.py --rows 20000 100000          # SQLite
    .venv/bin/python bench/importbench.py --postgres --rows 20000      # PostgreSQL

It never touches the registry benchmark's databases: SQLite goes to
bench/results/import/import.sqlite3, PostgreSQL to `mawa_bench_import` (or --postgres-url).
Each size is imported into a fresh site of a registry holding only what earlier imports of this
runner left (`--keep` keeps them, so a registry grows run by run; by default each import is
removed again and `--fresh` starts from an empty database). The same stages as bench/run.py are
timed: `read_table`, `check_table`, `import_households`. `--profile` writes a cProfile of each
stage next to the results.
"""

import argparse
import cProfile
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from regbench.common import BENCH_DIR, log  # noqa: E402

RESULTS = BENCH_DIR / "results" / "import"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/mawa_bench_import"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("MAWA_IMPORT_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument("--keep", action="store_true", help="keep what was imported")
    parser.add_argument("--profile", action="store_true", help="cProfile each stage")
    return parser.parse_args(argv)


def _target(args):
    from regbench.databases import Target, postgres_reachable, recreate

    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        target = Target("postgresql", args.postgres_url)
        if args.fresh:
            recreate(target)
        problem = postgres_reachable(target.url)
        if problem:
            raise SystemExit(f"PostgreSQL is not reachable: {problem}")
        return target
    target = Target("sqlite", f"sqlite:///{RESULTS / 'import.sqlite3'}")
    if args.fresh:
        recreate(target)
    return target


class _Profiled:
    """A cProfile around run_import's stages when asked, else nothing."""

    def __init__(self, enabled: bool, path: Path):
        self.profile = cProfile.Profile() if enabled else None
        self.path = path

    def __enter__(self):
        if self.profile:
            self.profile.enable()
        return self

    def __exit__(self, *exc):
        if self.profile:
            self.profile.disable()
            self.profile.dump_stats(self.path)
            log(f"profile written to {self.path}")
        return False


def main(argv=None) -> int:
    args = parse_args(argv)
    target = _target(args)
    os.environ["DATABASE_URL"] = target.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from regbench.build import prepare_places_and_admin
    from regbench.importer import remove_import_sites, run_import
    from regbench.report import machine

    call_command("migrate", verbosity=0, interactive=False)
    admin = prepare_places_and_admin()
    if not args.keep:
        remove_import_sites()
    from mawa.registry.models import Person, SearchToken

    results = []
    for rows in args.rows:
        before = {"people": Person.objects.count(), "tokens": SearchToken.objects.count()}
        log(f"{target.label}: importing {rows:,} rows into a registry of {before['people']:,}")
        profile = RESULTS / f"profile-{target.label}-{rows}.prof"
        with _Profiled(args.profile, profile):
            result = run_import(
                admin=admin, rows=rows, seed=args.seed, path=RESULTS / f"import-{rows}.csv"
            )
        result.update(
            database=target.label, registry_before=before, load_average=os.getloadavg()[0]
        )
        server = result["write_server_cpu_seconds"]
        log(
            f"{rows:,} rows: read {result['read_rows_per_s']:,}/s, check "
            f"{result['check_rows_per_s']:,}/s, write {result['write_rows_per_s']:,}/s, "
            f"end to end {result['rows_per_s']:,} rows/s; CPU s read/check/write "
            f"{result['read_cpu_seconds']}/{result['check_cpu_seconds']}/"
            f"{result['write_cpu_seconds']}" + (f" + server {server}" if server is not None else "")
        )
        results.append(result)
        if not args.keep:
            remove_import_sites()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    out = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "database": target.label,
        "database_version": version,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "results": results,
    }
    path = RESULTS / f"result-{target.label}.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

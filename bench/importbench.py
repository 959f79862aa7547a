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

from regbench.common import BENCH_DIR, git, log, write_section  # noqa: E402

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
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=0,
        metavar="SECONDS",
        help="before each import, wait up to this long for the machine's load to settle",
    )
    parser.add_argument(
        "--docs",
        action="store_true",
        help="write the import section of docs/benchmarks.md from the last results",
    )
    parser.add_argument("--docs-only", action="store_true", help="measure nothing; see --docs")
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
    if args.docs_only:
        write_docs()
        return 0
    target = _target(args)
    os.environ["DATABASE_URL"] = target.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from regbench.build import prepare_places_and_admin
    from regbench.common import wait_for_quiet
    from regbench.importer import remove_import_sites, run_import
    from regbench.report import machine

    call_command("migrate", verbosity=0, interactive=False)
    admin = prepare_places_and_admin()
    if not args.keep:
        remove_import_sites()
    from mawa.registry.models import Person, SearchToken

    results = []
    commit = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "src"))
    for rows in args.rows:
        before = {"people": Person.objects.count(), "tokens": SearchToken.objects.count()}
        load = wait_for_quiet(args.quiet_wait)
        log(f"{target.label}: importing {rows:,} rows into a registry of {before['people']:,}")
        profile = RESULTS / f"profile-{target.label}-{rows}.prof"
        with _Profiled(args.profile, profile):
            result = run_import(
                admin=admin, rows=rows, seed=args.seed, path=RESULTS / f"import-{rows}.csv"
            )
        result.update(
            database=target.label,
            registry_before=before,
            load_before=load[0],
            load_after=round(os.getloadavg()[0], 2),
            measured_at=time.strftime("%Y-%m-%dT%H:%M%z"),
            mawa_commit=commit + (" with local changes" if dirty else ""),
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
    path = RESULTS / f"result-{target.label}.json"
    # Keep earlier results of other sizes (a size into a registry of the same size is replaced).
    kept = json.loads(path.read_text())["results"] if path.exists() else []
    done = {(r["rows"], r["registry_before"]["people"]) for r in results}
    kept = [r for r in kept if (r["rows"], r["registry_before"]["people"]) not in done]
    out = {
        "machine": machine(),
        "database": target.label,
        "database_version": version,
        "mawa_commit": commit,
        "results": sorted(
            kept + results, key=lambda r: (r["registry_before"]["people"], r["rows"])
        ),
    }
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    log(f"results in {path}")
    if args.docs:
        write_docs()
    return 0


START, END = "<!-- import-bench:start -->", "<!-- import-bench:end -->"
NOTES = """
**How the import works now.** `check_table` keeps one instance of each registration form and
cleans each field (the field's `clean` and the form's `clean_<field>`) once per distinct value,
remembering the cleaned value or the form's own error (so messages stay the form's, in the
user's language); the form-wide `clean()` still runs for every row. `households_bulk_register`
writes plain tuples, each value prepared once by `mawa.core.bulk.preparer` (no query compiler,
no `bulk_create`, no model instances: the rows `person_tokens` reads are plain namespaces), with
`mawa.core.bulk.insert_prepared`: COPY on PostgreSQL, multi-row INSERTs of up to 5,000 rows on
SQLite. Search tokens are sorted by token within each batch of 1,000 households, and each batch
is written in a background thread while the next is prepared. Since 2026-11-30 (commit
`69c8cc6`): `registry_searchtoken` has no database foreign keys (`db_constraint=False` on
`SearchToken.person` and `.site`, migration `registry.0005`, which drops them on PostgreSQL; an
existing SQLite table keeps its REFERENCES clauses, as dropping them would copy the table), a
name field's tokens are memoised (`search.value_tokens`, like `field_key`), and SQLite's
timestamp text is made without Django's per-value checks. The tests in
`tests/registry/test_import_bulk.py` compare what an import writes (people, needs, documents,
tokens, movements, audit events, member order) with what `household_register` writes, the
lean check's verdicts and messages with the forms' own (English, Arabic, Sorani), and check
that nothing stays when a row fails; `tests/registry/test_token_keys.py` checks that removing
a person, a household or a site still removes their tokens without the constraints.

**Where the time goes** (CPU seconds per 100,000 rows, from the table): reading about 1,
checking 6–8, writing on SQLite 23 (database included; it was 32), on PostgreSQL 19 in Python
and 23 in the server backend (it was 27 and 46: the tokens' foreign keys were about half of
the server's work). The main thread's biggest items in a profile: the check's field cleaning,
`person_tokens` (a third of it the compound tokens), and the UUIDv7 of every row (`uuid6`, one
`os.urandom` call each).

**Verdict.** The floor (≥ 2,000 rows/s end to end at 100,000 rows) is met on both databases in
these runs: SQLite 3,769 rows/s, PostgreSQL 2,110 (2,848 with the same code in a run at load
3.0 twelve minutes earlier, not kept in the table). The machine was shared with other
engineers' work (load 1.8–3.4 on 2 CPUs while these ran): the CPU column is the steadier
figure, 3,300–3,700 rows per CPU second on SQLite and 1,900–2,400 on PostgreSQL (Python and
server together), against 2,250–2,370 and 1,100–1,330 before. On PostgreSQL the margin is thin:
Python and the server each need about 20 s of a CPU per 100,000 rows, so other work on the two
cores brings it to the floor or below (the 20,000-row run into an empty registry, 1,722 rows/s,
ran while the load rose; the same size into 100,000 people gave 2,007).

**What is left.** (1) Into the million-person registry (`bench/run.py`, registry section) the
same 100,000 rows took 2,496 rows/s on SQLite and 2,539 rows/s on PostgreSQL at load 1.4
(server CPU 27.7 s, against 23 s into an empty registry: every new number token goes to a
random page of the two token indexes of 20 million rows), but 1,410 rows/s in a PostgreSQL run
whose load rose to 7.8: no margin for a busy server. (2) Python work per row: the UUIDv7 per
row could be made in batches, and `check_table` still runs each form's `clean()` per row.
(3) Measure on a quiet machine.
"""


def write_docs() -> None:
    """Replace the text between the import-bench markers of docs/benchmarks.md."""
    from regbench.common import DOCS

    runs = [
        json.loads(path.read_text())
        for label in ("sqlite", "postgresql")
        if (path := RESULTS / f"result-{label}.json").exists()
    ]
    lines = [
        START,
        "## Import of households from CSV/XLSX (`bench/importbench.py`)",
        "",
        "_Written by `.venv/bin/python bench/importbench.py --docs-only` from the last results in"
        " `bench/results/import/`; edits inside the markers are overwritten._",
        "",
        "A Kobo-style CSV of seeded families (the registry benchmark's `regbench.importer`: Arabic"
        " names, sex, birth date, a phone for most heads) is read (`read_table`), checked"
        " (`check_table`) and written (`import_households`: all or nothing) into a new site of a"
        " registry holding only what earlier imports of this runner left; floor ≥ 2,000 rows/s"
        " end to end. CPU seconds are this process's (on SQLite they include the database's"
        " work) and, on PostgreSQL, the server backend's for the write. The machine is shared:"
        " wall-clock figures move with the load average shown (2 CPUs).",
        "",
    ]
    for run in runs:
        m = run["machine"]
        lines += [
            f"**{run['database']}** {run['database_version']}, Mawa `{run.get('mawa_commit', '')}`,"
            f" {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB, Python {m['python']}.",
            "",
            "| rows | registry before (people) | read rows/s | check rows/s | write rows/s"
            " | **end to end rows/s** | CPU s read / check / write | rows per CPU second"
            " | load (1 min) | measured |",
            "|---:|---:|---:|---:|---:|---:|---|---:|---|---|",
        ]
        for r in run["results"]:
            cpu = f"{r['read_cpu_seconds']} / {r['check_cpu_seconds']} / {r['write_cpu_seconds']}"
            if r.get("write_server_cpu_seconds") is not None:
                cpu += f" + server {r['write_server_cpu_seconds']}"
            verdict = "pass" if r["rows_per_s"] >= 2000 else "MISS"
            cpu_total = sum(
                r.get(k) or 0
                for k in (
                    "read_cpu_seconds",
                    "check_cpu_seconds",
                    "write_cpu_seconds",
                    "write_server_cpu_seconds",
                )
            )
            lines.append(
                f"| {r['rows']:,} | {r['registry_before']['people']:,} | {r['read_rows_per_s']:,}"
                f" | {r['check_rows_per_s']:,} | {r['write_rows_per_s']:,}"
                f" | **{r['rows_per_s']:,}** ({verdict}) | {cpu}"
                f" | {round(r['rows'] / cpu_total):,}"
                f" | {r.get('load_before', '')} → {r.get('load_after', '')}"
                f" | {r.get('measured_at', '')}"
                + (f" (`{r['mawa_commit']}`)" if r.get("mawa_commit") else "")
                + " |"
            )
        lines.append("")
    lines += [NOTES.strip(), "", END]
    write_section(DOCS, "\n".join(lines), START, END)
    log(f"wrote the import section of {DOCS}")


if __name__ == "__main__":
    sys.exit(main())

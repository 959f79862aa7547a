"""The assistance benchmark: redemption at a distribution point, on a laptop and under load.

    .venv/bin/python bench/assistance/run.py                      # 25,000 households, both parts
    .venv/bin/python bench/assistance/run.py --households 5000 --no-postgres --no-docs   # quick

1. A field laptop: a fresh SQLite database under bench/results/assistance/, one camp of
   25,000 generated households (seeded), a programme with the demo's rules, an open cycle, a
   stocked point and a card for every household. A distribution operator (role "distribution",
   scoped to the camp) scans then gives card after card through the point screen's views with
   Django's test Client; every request is timed. Then the cycle is filled to near its end and
   the same is timed again.
2. The API on PostgreSQL: the same scenario in database mawa_bench_assist, served on
   127.0.0.1 by `mawa serve` (granian, what Mawa ships; `--server gunicorn` compares gunicorn's
   sync workers, from the optional `bench` group: `.venv/bin/pip install -e '.[bench]'`, which
   `make bench` does), 32 concurrent clients POST /api/v1/redemptions for distinct cards plus 5 %
   repeats, half of them racing the first request; afterwards the database is checked for
   double redemptions.

Figures go to bench/results/assistance/ and, unless --no-docs, to docs/benchmarks.md between
the assistance-bench markers (nothing else in that file is touched).
"""

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # regbench: helpers of every bench

import loadgen  # noqa: E402
import report  # noqa: E402
from common import (  # noqa: E402
    DOCS,
    RESULTS,
    ROOT,
    busy_fraction,
    cpu_busy_snapshot,
    cpu_count,
    load_average,
    log,
    machine,
    percentiles,
    wait_for_quiet,
)

from mawa.core.management.commands.serve import default_workers  # noqa: E402
from regbench.common import git, process_cpu_seconds  # noqa: E402
from regbench.databases import Target, postgres_reachable, recreate  # noqa: E402

WORKER = Path(__file__).resolve().parent / "worker.py"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/mawa_bench_assist"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--requests", type=int, default=2000, help="cards scanned and given (1)")
    parser.add_argument("--late-requests", type=int, default=500)
    parser.add_argument(
        "--late",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fill the cycle to near its end and time the screen again (1)",
    )
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--postgres",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run part 2 (by default, when PostgreSQL is reachable)",
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("MAWA_BENCH_ASSIST_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--load-cards", type=int, default=12_000, help="distinct cards (2)")
    parser.add_argument("--repeat", type=float, default=0.05, help="share of cards sent twice")
    parser.add_argument("--max-seconds", type=float, default=240, help="time bound of the load")
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default="mawa",
        help="`mawa serve` (granian), or gunicorn to compare (2)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="server processes (default: mawa serve's, cores + 1; gunicorn 2 × cores + 1)",
    )
    parser.add_argument("--worker-class", default="sync", help="gunicorn's")
    parser.add_argument(
        "--threads", type=int, default=0, help="per process (default: mawa serve's 2; gunicorn 1)"
    )
    parser.add_argument("--reuse", action="store_true", help="reuse built databases (faster)")
    parser.add_argument("--quiet-wait", type=int, default=120, metavar="SECONDS")
    parser.add_argument("--docs", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: render bench/results/assistance/latest.json again",
    )
    args = parser.parse_args(argv)
    if args.server == "mawa":  # mawa serve's own defaults, written out in the command shown
        args.workers, args.threads = args.workers or default_workers(), args.threads or 2
    else:
        args.workers, args.threads = args.workers or 2 * cpu_count() + 1, args.threads or 1
    return args


# --- helpers -------------------------------------------------------------------------------------


def _env(database_url: str, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mawa.settings",
        "DATABASE_URL": database_url,
        "MAWA_DATA_DIR": str(RESULTS / "data"),
        "MAWA_DEBUG": "0",
        "MAWA_SECRET_KEY": os.environ.get("MAWA_SECRET_KEY", "bench-" + "k" * 40),
        "MAWA_HTTPS": "0",
        "MAWA_LOG_LEVEL": "WARNING",
        **extra,
    }


def _worker(command: str, database_url: str, out: Path, *options: str) -> dict:
    argv = [sys.executable, str(WORKER), command, "--out", str(out), *options]
    completed = subprocess.run(argv, env=_env(database_url), cwd=ROOT)
    if completed.returncode != 0:
        raise SystemExit(f"worker {command} failed ({completed.returncode})")
    return json.loads(out.read_text(encoding="utf-8"))


def _build(args, database_url: str, label: str) -> dict:
    state_path = RESULTS / f"{label}-{args.households}-state.json"
    log(f"{label}: building {args.households:,} households")
    state = _worker(
        "build",
        database_url,
        state_path,
        "--households",
        str(args.households),
        "--seed",
        str(args.seed),
    )
    log(f"{label}: built in {state['build_seconds']:.0f} s ({state['people']:,} people)")
    return state


def _remove_sqlite(path: str) -> None:
    recreate(Target("sqlite", f"sqlite:///{path}"))


def _proc_cpu(pid: int) -> float:
    """utime + stime of a process, in seconds (0 when it is gone)."""
    return process_cpu_seconds(pid) or 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _backends(database: str) -> list[int]:
    """PostgreSQL backends serving this database (from their process titles)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(entry.name))
    return pids


# --- 1. SQLite, through the view ------------------------------------------------------------------


def field_laptop(args) -> dict:
    built = RESULTS / f"field-{args.households}-built.sqlite3"
    work = RESULTS / f"field-{args.households}.sqlite3"
    state_path = RESULTS / f"field-{args.households}-state.json"
    if args.reuse and built.exists() and state_path.exists():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        log(f"field: reusing {built.name}")
    else:
        _remove_sqlite(str(built))
        state = _build(args, f"sqlite:///{built}", "field")
        # One file with WAL checkpointed in, to copy afresh for every run.
        import sqlite3

        with contextlib.closing(sqlite3.connect(built)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _remove_sqlite(str(work))
    work.write_bytes(built.read_bytes())
    load = wait_for_quiet(args.quiet_wait, threshold=max(1.0, 0.75 * cpu_count()))
    log(f"field: measuring (load average {load[0]})")
    measured_at = dt.datetime.now().astimezone().isoformat(timespec="minutes")
    started = time.perf_counter()
    result = _worker(
        "field",
        f"sqlite:///{work}",
        RESULTS / "field.json",
        "--state",
        str(state_path),
        "--requests",
        str(args.requests),
        "--late-requests",
        str(args.late_requests),
        "--late" if args.late else "--no-late",
    )
    result.update(
        build={k: v for k, v in state.items() if k not in ("cards", "token")},
        measured_at=measured_at,
        load_average_start=load,
        load_average_end=load_average(),
        seconds=round(time.perf_counter() - started),
        database_mib=round(os.path.getsize(work) / 2**20),
    )
    return result


# --- 2. PostgreSQL, mawa serve, 32 clients ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVERS = ("mawa", "gunicorn")


def _server_command(args, port: int) -> tuple[list[str], str]:
    """The command serving Mawa on 127.0.0.1:port, and the HTTP server's package:
    `mawa serve` (granian, what Mawa ships) or, to compare, gunicorn's sync workers."""
    if args.server == "mawa":
        mawa = Path(sys.executable).with_name("mawa")
        command = [str(mawa), "serve", f"127.0.0.1:{port}", "--no-collectstatic"]
        command += ["--workers", str(args.workers), "--threads", str(args.threads)]
        return command, "granian"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        raise SystemExit(
            "gunicorn is not in the venv: `.venv/bin/pip install -e '.[bench]'` "
            "(the optional bench group of pyproject.toml; `make bench` installs it)"
        )
    command = [
        "mawa.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    return [str(gunicorn), *command], "gunicorn"


class Server:
    """`mawa serve` (or gunicorn) serving Mawa on 127.0.0.1, in its own process group."""

    def __init__(self, args, database_url: str):
        self.port = _free_port()
        self.name = args.server
        self.command, package = _server_command(args, self.port)
        self.log = open(RESULTS / "server.log", "w", encoding="utf-8")  # noqa: SIM115
        env = _env(database_url, MAWA_ALLOWED_HOSTS="127.0.0.1")
        self.process = subprocess.Popen(
            self.command,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        self.version = f"{package} {importlib.metadata.version(package)}"

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited ({self.process.returncode}): see server.log")
            with contextlib.suppress(OSError):
                url = f"http://127.0.0.1:{self.port}/accounts/login/"
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            time.sleep(0.3)
        raise SystemExit(f"{self.name} did not answer in time")

    def workers(self) -> list[int]:
        """The server's processes: its master and every process under it."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(_children(pid))
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def _latencies(records: list, status: int | None = None) -> dict:
    return percentiles(
        [(r[5] - r[4]) * 1000 for r in records if r[2] != -1 and (status is None or r[2] == status)]
    )


def api_postgres(args) -> dict:
    url = args.postgres_url
    database = urlparse(url).path.lstrip("/")
    state_path = RESULTS / f"api-{args.households}-state.json"
    if args.reuse and state_path.exists():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        undone = _worker("reset", url, RESULTS / "reset.json", "--state", str(state_path))
        log(f"api: reusing database {database}, a previous run undone: {undone}")
    else:
        recreate(Target("postgresql", url))
        state = _build(args, url, "api")
    codes = list(state["cards"])
    random.Random(args.seed + 7).shuffle(codes)
    probe_cards, warm_cards = codes[:110], codes[110:174]
    load_cards = codes[174 : min(174 + args.load_cards, len(codes) - 220)]
    if len(load_cards) < args.load_cards:
        log(f"api: only {len(load_cards):,} cards left for the load")
    cards_file = RESULTS / "probe-cards.json"
    cards_file.write_text(json.dumps(probe_cards), encoding="utf-8")
    log("api: statements per request, in process")
    probe = _worker(
        "probe", url, RESULTS / "probe.json", "--state", str(state_path), "--cards", str(cards_file)
    )

    server = Server(args, url)
    try:
        server.wait_ready()
        log(
            f"api: {server.version}, {args.workers} workers × {args.threads} threads "
            f"on :{server.port}"
        )
        common = {
            "host": "127.0.0.1",
            "port": server.port,
            "token": state["token"],
            "cycle": state["cycle"],
            "point": state["point"],
            "processes": args.client_processes,
        }
        warm = loadgen.run(
            lists=[
                [(c, "first") for c in warm_cards[i :: args.clients]] for i in range(args.clients)
            ],
            max_seconds=60,
            **common,
        )
        lists = loadgen.schedule(
            load_cards, args.repeat, args.clients, random.Random(args.seed + 8)
        )
        load = wait_for_quiet(args.quiet_wait, threshold=max(1.0, 0.75 * cpu_count()))
        workers = server.workers()
        backends = _backends(database)
        cpu_before = (
            sum(_proc_cpu(p) for p in workers),
            sum(_proc_cpu(p) for p in backends),
            cpu_busy_snapshot(),
        )
        log(
            f"api: {args.clients} clients, {sum(map(len, lists)):,} requests "
            f"(load average {load[0]})"
        )
        measured_at = dt.datetime.now().astimezone().isoformat(timespec="minutes")
        run = loadgen.run(lists=lists, max_seconds=args.max_seconds, **common)
        backends_after = _backends(database)
        cpu_after = (
            sum(_proc_cpu(p) for p in workers),
            sum(_proc_cpu(p) for p in backends_after),
            cpu_busy_snapshot(),
        )
    finally:
        server.stop()
    records = run.pop("records")
    loadgen.save_records(RESULTS / "load-records.json", warm["records"] + records)
    log("api: checking the database")
    verify = _worker(
        "verify",
        url,
        RESULTS / "verify.json",
        "--state",
        str(state_path),
        "--records",
        str(RESULTS / "load-records.json"),
    )
    calibration_cards = RESULTS / "calibration-cards.json"
    calibration_cards.write_text(json.dumps(codes[-220:]), encoding="utf-8")
    log("api: CPU per request by outcome, in process")
    calibration = _worker(
        "calibrate",
        url,
        RESULTS / "calibration.json",
        "--state",
        str(state_path),
        "--cards",
        str(calibration_cards),
    )
    sent = [r for r in records if r[2] != -1]
    statuses: dict[str, int] = {}
    for r in sent:
        statuses[str(r[2])] = statuses.get(str(r[2]), 0) + 1
    given = statuses.get("201", 0)
    seconds = run["seconds"]
    repeats = [r for r in sent if r[1] != "first"]
    return {
        "build": {k: v for k, v in state.items() if k not in ("cards", "token")},
        "server": {
            "command": " ".join([Path(server.command[0]).name, *server.command[1:]]),
            "version": server.version,
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
        },
        "clients": args.clients,
        "client_processes": args.client_processes,
        "requests_planned": sum(map(len, lists)),
        "requests_sent": len(sent),
        "distinct_cards": len(load_cards),
        "repeats_sent": len(repeats),
        "races_sent": sum(1 for r in repeats if r[1] == "race"),
        "statuses": statuses,
        "errors": sorted({r[3] for r in sent if r[2] not in (201, 409)})[:5],
        "seconds": round(seconds, 2),
        "timed_out": run["timed_out"],
        "redemptions_per_s": round(given / seconds, 1) if seconds else 0,
        "requests_per_s": round(len(sent) / seconds, 1) if seconds else 0,
        "latency": _latencies(sent),
        "latency_201": _latencies(sent, 201),
        "latency_409": _latencies(sent, 409),
        "cpu": {
            "server_s": round(cpu_after[0] - cpu_before[0], 1),
            "postgres_backends_s": round(cpu_after[1] - cpu_before[1], 1),
            "clients_s": run["client_cpu_seconds"],
            "machine_busy": busy_fraction(cpu_before[2], cpu_after[2]),
        },
        "probe": probe,
        "calibration": calibration,
        "verify": verify,
        "measured_at": measured_at,
        "load_average_start": load,
        "load_average_end": load_average(),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        return _write(args, json.loads((RESULTS / "latest.json").read_text(encoding="utf-8")))
    run = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "machine": machine(),
        "load_average_start": load_average(),
        "households": args.households,
        "seed": args.seed,
        "command": " ".join(["bench/assistance/run.py", *(argv or sys.argv[1:])]),
        "commit": git("rev-parse", "--short", "HEAD"),
        "src_dirty": bool(git("status", "--porcelain", "--", "src")),
    }
    results: dict = {"run": run}
    previous = RESULTS / "latest.json"
    before = json.loads(previous.read_text(encoding="utf-8")) if previous.exists() else {}
    if not (args.sqlite and args.postgres is not False):
        # A part not run this time keeps its last figures (each part carries its own date).
        results.update({k: v for k, v in before.items() if k in ("field", "api")})
    if args.sqlite:
        results["field"] = field_laptop(args)
        f = results["field"]
        if before.get("field"):
            # Earlier runs stay in view: the floor is measured on a machine others share.
            f["earlier"] = [field_summary(before["field"]), *before["field"].get("earlier", [])][:3]
        f["commit"], f["command"] = run["commit"], run["command"]
        log(f"field: give p99 {f['early']['give']['p99']} ms (floor ≤ {report.GIVE_P99_MS})")
    if args.postgres is not False:
        reason = postgres_reachable(args.postgres_url)
        if reason is None:
            results["api"] = api_postgres(args)
            a = results["api"]
            if before.get("api"):
                a["earlier"] = [api_summary(before["api"]), *before["api"].get("earlier", [])][:3]
            a["commit"], a["command"] = run["commit"], run["command"]
            log(
                f"api: {a['redemptions_per_s']} redemptions/s (floor ≥ {report.REDEMPTIONS_PER_S}),"
                f" {a['verify']['doubles']} doubles"
            )
        elif args.postgres:
            raise SystemExit(f"PostgreSQL is not reachable at {args.postgres_url}: {reason}")
        else:
            run["skipped"] = f"PostgreSQL ({reason})"
    run["load_average_end"] = load_average()
    (RESULTS / "latest.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return _write(args, results)


def field_summary(f: dict) -> dict:
    return {
        "measured_at": f["measured_at"],
        "commit": f.get("commit"),
        "load_average_start": f["load_average_start"],
        "load_average_end": f["load_average_end"],
        "give": f["early"]["give"],
        "give_cpu": f["early"]["give_cpu"],
    }


def api_summary(a: dict) -> dict:
    sent = max(a["requests_sent"], 1)
    cpu = a["cpu"]
    server_s = report.server_cpu_seconds(cpu)
    used = server_s + cpu["postgres_backends_s"] + cpu["clients_s"]
    return {
        "measured_at": a["measured_at"],
        "commit": a.get("commit"),
        "load_average_start": a["load_average_start"],
        "load_average_end": a["load_average_end"],
        "redemptions_per_s": a["redemptions_per_s"],
        "server": a["server"].get("version"),
        "app_cpu_ms_per_request": round(1000 * server_s / sent, 2),
        "share_of_machine": round(used / max(a["seconds"] * cpu_count(), 1), 3),
    }


def _write(args, results: dict) -> int:
    section = report.render(results)
    (RESULTS / "section.md").write_text(section, encoding="utf-8")
    print(section)
    if args.docs:
        report.write_docs(DOCS, section)
        log(f"wrote {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

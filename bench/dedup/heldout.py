"""Held-out evaluation: keys and model from half of the name table, records from the other.

    .venv/bin/python bench/dedup/heldout.py [--records 20000] [--engines mawa,splink-plain,...]

The built-in table's rows are split in two halves (alternate rows of each kind, so both have
common and rare names). Half A is the name table the keys are built from, and the model is
fitted (bench/dedup/fit.py, seed 7) on records named from half A with those keys. Then:

- in-distribution: records (seed 2017) named from half A, at the fitted damage rates;
- held-out: records named from half B (no name, no spelling in the table), at the fitted
  damage rates and at half and twice them (typos, dropped names, weak dates).

plain Splink runs twice: estimated on each set by EM (as in the main table), and with m from
the labelled pairs of the set the model is fitted on (splink-labels); splink-keys is plain
Splink (EM) on mawa's name keys instead of the spellings, which separates what the keys add from
what the fitted model adds. Results go to
bench/dedup/results/heldout-N.json and the dedup-bench section of docs/benchmarks.md.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

ENGINES = ("mawa", "splink-plain", "splink-labels", "splink-keys")
SETS = (("in-distribution", "a", 1.0), ("held-out", "b", 1.0), ("held-out", "b", 0.5),
        ("held-out", "b", 2.0))  # fmt: skip


def split_table(work: Path) -> tuple[Path, Path]:
    """Half A and half B of the built-in table, as two CSV files of the same columns."""
    from mawa.namekeys.table import BUILTIN

    lines = [line for line in BUILTIN.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = [line for line in lines if not line.startswith("#")]
    header, rows = data[0], list(csv.reader(data[1:]))
    halves: tuple[list, list] = ([], [])
    seen: dict[str, int] = {}
    for row in rows:
        kind = row[2].strip() if len(row) > 2 else ""
        halves[seen.get(kind, 0) % 2].append(row)
        seen[kind] = seen.get(kind, 0) + 1
    paths = (work / "half_a.csv", work / "half_b.csv")
    for path, half in zip(paths, halves, strict=True):
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(header + "\n")
            csv.writer(handle, lineterminator="\n").writerows(half)
    return paths


def write_labelled(data, path: Path) -> None:
    from mawa.linkage.types import FIELDS

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*FIELDS, "cluster"])
        for record in data.records:
            writer.writerow([getattr(record, f) for f in FIELDS] + [data.truth[record.id]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--fit-records", type=int, default=60_000)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--sets", default="", help="e.g. held-out:1.0 (default: all four)")
    args = parser.parse_args()
    wanted = {tuple(s.split(":")) for s in args.sets.split(",") if s}
    sets = [s for s in SETS if not wanted or (s[0], str(s[2])) in wanted]
    from fit import fit

    from mawa.linkage.evaluate import merged_relations, pairwise_scores
    from mawa.linkage.synthetic import generate, write_csv
    from mawa.namekeys import load_table
    from run import machine, read_clusters, run_engine

    engines = tuple(args.engines.split(","))
    rows = []
    with tempfile.TemporaryDirectory(prefix="mawa-heldout-") as tmp:
        work = Path(tmp)
        half_a, half_b = split_table(work)
        load_table(half_a, builtin=False)
        model = fit(args.fit_records, 7, 400_000, names_path=half_a)
        model_path = work / "model_a.json"
        model_path.write_text(json.dumps(model), encoding="utf-8")
        train = work / "train.csv"
        write_labelled(generate(min(args.fit_records, 20_000), seed=7, names_path=half_a), train)
        os.environ |= {"MAWA_BENCH_TABLE_ONLY": str(half_a), "MAWA_LINKAGE_MODEL": str(model_path),
                       "MAWA_BENCH_TRAIN": str(train)}  # fmt: skip
        for label, half, damage in sets:
            data = generate(args.records, seed=2017, names_path=work / f"half_{half}.csv",
                            damage=damage)  # fmt: skip
            source = work / "input.csv"
            write_csv(data.records, source)
            for engine in engines:
                print(f"{label} x{damage}: {engine} ...", flush=True)
                target = work / f"{engine}.csv"
                out = run_engine(engine, source, target)
                out |= {"set": label, "damage": damage}
                if out["ok"]:
                    clusters = read_clusters(target)
                    scores = pairwise_scores(clusters, data.truth)
                    out |= {k: round(v, 4) for k, v in vars(scores).items()}
                    out["merged"] = dict(merged_relations(clusters, data.truth, data.relations))
                    relations: dict[str, int] = {}
                    for _a, _b, kind in data.relations:
                        relations[kind] = relations.get(kind, 0) + 1
                    out["relations"] = relations
                print("   ", json.dumps(out), flush=True)
                rows.append(out)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=ROOT, check=False).stdout.strip()  # fmt: skip
    result = {"machine": machine(), "records": args.records, "rows": rows,
              "load": os.getloadavg(), "commit": commit}  # fmt: skip
    (RESULTS / f"heldout-{args.records}.json").write_text(json.dumps(result, indent=1) + "\n")
    from report import write_section

    write_section(RESULTS, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()

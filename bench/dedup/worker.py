"""One engine on one CSV, in its own process so that its time and memory are its own.

    python bench/dedup/worker.py ENGINE IN.csv OUT.csv  (mawa, splink-plain, splink-labels,
    splink-keys, splink-romanizer)
Prints one JSON line: seconds of wall time, and engine-specific extras.
"""

import csv
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def read_rows(path: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_clusters(path: str, clusters: dict[str, str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("id", "cluster"))
        writer.writerows(clusters.items())


def main(engine: str, source: str, target: str) -> None:
    start = time.perf_counter()
    extra: dict = {}
    only = os.environ.get("MAWA_BENCH_TABLE_ONLY")  # held-out runs: keys from half the table
    if only:
        from mawa.namekeys import load_table

        load_table(only, builtin=False)
    if engine == "mawa":
        from mawa.linkage import dedup_csv

        result = dedup_csv(source, target)
        extra["malformed"] = len(result.malformed)
        extra["review_pairs"] = len(result.pairs)
    else:
        from baselines import plain_splink, romanize_rows

        rows = read_rows(source)
        if engine == "splink-romanizer":
            extra["romanize_seconds"] = round(romanize_rows(rows), 1)
        if engine == "splink-keys":  # plain Splink (EM) on mawa's name keys instead of spellings
            from baselines import NAMES

            from mawa.linkage.features import name_info

            for row in rows:
                for column in NAMES:
                    row[column] = name_info(row[column], column == "family_name")[0] or ""
        train = None
        if engine == "splink-labels":  # m from the labelled pairs the model is fitted on
            train = read_rows(os.environ["MAWA_BENCH_TRAIN"])
        write_clusters(target, plain_splink(rows, train=train))
    print(json.dumps({"seconds": time.perf_counter() - start, **extra}))


if __name__ == "__main__":
    main(*sys.argv[1:4])

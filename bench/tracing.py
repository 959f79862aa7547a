"""Family tracing: how often the right person is found, and how fast, at 1,000,000 people.

    .venv/bin/python bench/tracing.py                      # the floors: about 10 minutes
    .venv/bin/python bench/tracing.py --people 100000      # a quick run (no speed verdict)

Quality: seeded requests (``mawa.tracelink.synthetic``) against a generated registry, on the
set the weights were tuned on ("dev") and on a held-out variant (other unknown-spelling rules,
names the table does not list, wider age guesses, more missing parts). Speed: one request
against the whole registry (p50/p95/max over --requests requests), and re-matching 10,000 open
requests against 5,000 new registrations (an index of the newcomers that takes its name
frequencies from the registry). Writes its section of docs/benchmarks.md (unless --no-docs).
"""

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mawa.linkage.synthetic import Generator  # noqa: E402
from mawa.linkage.types import Record  # noqa: E402
from mawa.tracelink import THRESHOLD, Index, match_index, profiles  # noqa: E402
from mawa.tracelink.evaluate import evaluate  # noqa: E402
from mawa.tracelink.synthetic import generate  # noqa: E402
from regbench.common import percentiles, write_section  # noqa: E402

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
START, END = "<!-- tracing-bench:start -->", "<!-- tracing-bench:end -->"
FLOORS = {"top5": 0.95, "top1": 0.85, "false_for_unregistered": 0.05}
ONE_P95_MS, REMATCH_S = 200, 60


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def quality(registry: int, requests: int) -> list[str]:
    """The tuned size, and a registry two and a half times larger (more namesakes)."""
    rows = []
    sizes = (registry, registry * 5 // 2)
    for size, variant in ((size, variant) for size in sizes for variant in ("dev", "heldout")):
        started = time.perf_counter()
        figures = evaluate(generate(size, requests, seed=2017, variant=variant))
        ok = (
            figures["top5"] >= FLOORS["top5"]
            and figures["top1"] >= FLOORS["top1"]
            and figures["false_for_unregistered"] <= FLOORS["false_for_unregistered"]
        )
        rows.append(
            f"| {variant} | {figures['registry']:,} | {figures['requests']:,} | "
            f"{figures['top1']:.1%} | {figures['top5']:.1%} | "
            f"{figures['false_for_unregistered']:.1%} | {verdict(ok)} |"
        )
        print(rows[-1], f"({time.perf_counter() - started:.0f} s)", flush=True)
    return rows


def speed(people: int, requests: int) -> dict:
    started = time.perf_counter()
    data = generate(people, 10_000, seed=2018)
    made = time.perf_counter() - started
    started = time.perf_counter()
    index = Index()
    index.extend(data.registry)
    index.freeze()
    built = time.perf_counter() - started
    print(f"generated {len(data.registry):,} in {made:.0f} s, indexed in {built:.0f} s")
    readings = [profiles(r) for r in data.requests]
    match_index(index, readings[0])  # warm the caches
    samples = []
    for reading in readings[:requests]:
        started = time.perf_counter()
        match_index(index, reading)
        samples.append((time.perf_counter() - started) * 1000)
    one = percentiles(samples)
    newcomers = Generator(2019).generate(5_000).records
    started = time.perf_counter()
    fresh = Index(reference=index)
    fresh.extend(_renamed(r) for r in newcomers)
    fresh.freeze()
    proposals = sum(bool(match_index(fresh, reading)) for reading in readings)
    rematch = time.perf_counter() - started
    return {
        "people": len(index),
        "build": built,
        "one": one,
        "rematch": rematch,
        "requests": len(readings),
        "newcomers": len(newcomers),
        "proposals": proposals,
    }


def _renamed(record: Record) -> Record:
    values = {name: getattr(record, name) for name in record.__slots__}
    values["id"] = "N" + record.id
    return Record(**values)


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--quality-registry", type=int, default=20_000)
    parser.add_argument("--quality-requests", type=int, default=3_000)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    rows = quality(args.quality_registry, args.quality_requests)
    s = speed(args.people, args.requests)
    one, full = s["one"], args.people >= 1_000_000
    one_ok = verdict(one["p95"] <= ONE_P95_MS) if full else "no verdict (below 1,000,000)"
    rematch_ok = verdict(s["rematch"] <= REMATCH_S)
    print(f"one request: {one}; rematch {s['rematch']:.1f} s", flush=True)
    if args.no_docs:
        return
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    table = "\n".join(rows)
    one_row = (
        f"| one request against the registry, {one['n']} requests | p50 {one['p50']:.1f} ms, "
        f"p95 {one['p95']:.1f} ms, max {one['max']:.1f} ms | p95 ≤ {ONE_P95_MS} ms | {one_ok} |"
    )
    rematch_row = (
        f"| re-matching {s['requests']:,} open requests after {s['newcomers']:,} new "
        f"registrations | {s['rematch']:.1f} s ({s['proposals']:,} requests with a proposal) | "
        f"≤ {REMATCH_S} s | {rematch_ok} |"
    )
    section = f"""{START}
## Family tracing (`bench/tracing.py`)

`.venv/bin/python bench/tracing.py`, measured {dt.date.today()} at commit {commit()} on
{os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python
{platform.python_version()}; load average {load} at the end. One process, `mawa.tracelink`
in memory (the engine of `mawa trace`), threshold {THRESHOLD}.

Quality: a registry generated by `mawa.linkage.synthetic` (seed 2017) and seeded requests from
`mawa.tracelink.synthetic`, a fifth of them for people who were never registered. *Top-1*,
*top-5*: the right person (any of their registrations) ranked first, among the five shown;
*false*: requests for an unregistered person that got a candidate above the threshold.
The weights and threshold were tuned on *dev*; *heldout* changes what tuning saw (Kurdish
letters in Arabic and Hawar letters in Latin as unknown spellings, Kurdish, Yazidi and
Christian names the name table does not list, ages guessed up to 5 years off, more parts
missing). Floors: top-5 ≥ 95%, top-1 ≥ 85%, false ≤ 5%.

| set | registry | requests | top-1 | top-5 | false | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
{table}

Speed at {s["people"]:,} generated people (index built in {s["build"]:.0f} s):

| measure | figure | floor | verdict |
| --- | --- | --- | --- |
{one_row}
{rematch_row}

What the misses are: most false candidates for unregistered people agree with them on three or
four name parts and a birth year within one or two years (the generated world draws every
name from the name table's ~500 names, so such namesakes are common, as they are in Iraq);
the threshold trades them against top-5 (at 0.5, on 20,000 people and 2,000 requests: top-5
93.8%, false 2.1%; at 0.3: 95.1%, 2.6%, a sample in which false was lower than here). The
held-out variant (more parts missing, ages five years off, unlisted names, other spelling
rules) is lower on every figure; which of its changes costs most was not measured.
The re-matching newcomers come from another seed, so few of them are anyone's sought person.

Re-matching indexes only the newcomers (their name frequencies and the prior come from the
registry's index), so it costs the newcomers, not the registry. The web app fetches a
request's candidates from the registry's search tokens instead (`mawa.tracing.matching`) and
scores them with the same engine; this benchmark does not time that path.
{END}
"""
    write_section(DOC, section, START, END)


if __name__ == "__main__":
    main()

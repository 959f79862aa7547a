"""Distribution planning at national scale: 600,000 seeded households in one plan.

    .venv/bin/python bench/planning.py                        # 600,000 households
    .venv/bin/python bench/planning.py --households 50000     # a quick run

Times plan_distribution (ranking, stock, slots, expected deliveries, reasons) and then the
SMS texts and call lists, reports this process's peak resident memory, and prints a line to
paste into docs/benchmarks.md. The target is a plan in ≤ 30 s on a 2-core machine.
"""

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sys
import time

from mawa.planning import Candidate, Schedule, plan_distribution

SEED = 2017
# a monthly food basket per person (kg or litres), as a WFP-style ration scale
RATION = {"FLOUR": 9.0, "RICE": 3.0, "LENTILS": 1.5, "OIL": 0.9}
CODES = ["SC", "SM", "DS", "WR", "ER", "SV", "CR", "SP", "FU", "SM-CI", "DS-BD", "ER-NF"]
LANGUAGES = ["ar"] * 6 + ["ckb"] * 3 + ["en"]


def peak_rss_mib() -> float:
    """This process's high-water resident memory (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def candidates(count: int, seed: int) -> list[Candidate]:
    """Households shaped like a displaced population: mean size about 5.5, one in five with
    specific needs, a third never assisted, one in six female-headed."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        size = min(15, max(1, round(rng.gauss(5.5, 2.6))))
        needs = (
            frozenset(rng.sample(CODES, rng.choice((1, 1, 1, 2, 3))))
            if rng.random() < 0.2
            else frozenset()
        )
        out.append(
            Candidate(
                household_id=f"HH{n:07d}",
                size=size,
                needs=needs,
                days_since_assistance=None if rng.random() < 0.33 else rng.randrange(0, 181),
                days_since_arrival=rng.randrange(0, 900),
                female_headed=rng.random() < 0.16,
                language=rng.choice(LANGUAGES),
                entitlement={code: per * size for code, per in RATION.items()},
                tie_key=f"{rng.randrange(36**8):08X}",
            )
        )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=600_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    people = candidates(args.households, args.seed)
    built = time.perf_counter() - started
    rss_before = peak_rss_mib()
    need = {code: sum(c.entitlement[code] for c in people) for code in RATION}
    stock = {code: round(q * 0.7, 1) for code, q in need.items()}  # 70% of what is needed
    deliveries = [
        (
            dt.date(2025, 3, 1) + dt.timedelta(days=30 * k),
            {c: round(q * 0.1, 1) for c, q in need.items()},
        )
        for k in range(1, 4)
    ]
    # capacity about two thirds of the households: both "no stock" and "no slot" happen
    lanes = max(2, round(args.households * 2 / 3 / (14 * 7 * 60)))
    schedule = Schedule(
        days=[dt.date(2025, 3, 1) + dt.timedelta(days=d) for d in range(14)],
        start=dt.time(8),
        end=dt.time(15),
        lanes=lanes,
        per_lane_per_hour=60,
        womens_lane=True,
        slot_minutes=30,
    )

    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    plan = plan_distribution(
        people, stock, schedule=schedule, cycle_seed="bench-2025-03", expected_stock=deliveries
    )
    planned, planned_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    texts = plan.messages()
    messaged = time.perf_counter() - t0
    t0 = time.perf_counter()
    lists = plan.by_slot()
    listed = time.perf_counter() - t0
    peak = peak_rss_mib()

    later = sum(1 for p in plan.placements if not p.served and p.planned_date)
    print(f"households           {args.households:,} (built in {built:.1f} s)")
    print(
        f"served / unserved    {plan.served:,} / {plan.unserved:,}; {later:,} with a planned date"
    )
    print(f"schedule             14 days x 08:00-15:00 x {lanes} lanes (women's lane), 60/lane/h")
    print(
        f"plan_distribution    {planned:.2f} s ({planned_cpu:.2f} s CPU; load average {load:.1f})"
    )
    print(f"messages             {messaged:.2f} s ({len(texts):,} texts)")
    print(f"by_slot              {listed:.2f} s ({len(lists):,} call lists)")
    print(f"peak RSS             {peak:.0f} MiB (candidates alone: {rss_before:.0f} MiB)")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print()
    print(
        f"| distribution planning | {args.households:,} households, {len(RATION)} commodities, "
        f"14 days x {lanes} lanes + women's lane, 3 expected deliveries | "
        f"plan {planned:.1f} s ({planned_cpu:.1f} s CPU); "
        f"SMS texts {messaged:.1f} s; call lists {listed:.1f} s | "
        f"peak RSS {peak:.0f} MiB | {cpus} CPUs, Python {platform.python_version()}, "
        f"{dt.date.today().isoformat()} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

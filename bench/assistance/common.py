"""Shared pieces of the assistance benchmark: paths, logging, percentiles, the machine."""

import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RESULTS = ROOT / "bench" / "results" / "assistance"
DOCS = ROOT / "docs" / "benchmarks.md"
SITE_CODE = "debaga-1"  # one camp, as in the demo scenario
OPERATOR = "bench-operator"
ADMIN = "bench-admin"
_START = time.perf_counter()


def log(message: str) -> None:
    elapsed = time.perf_counter() - _START
    print(f"[assist {elapsed:7.1f}s] {message}", file=sys.stderr, flush=True)


def percentiles(samples_ms: list[float]) -> dict:
    """n, p50/p95/p99 (inclusive, interpolated), mean and max of samples in milliseconds."""
    if not samples_ms:
        return {"n": 0}
    if len(samples_ms) == 1:
        v = round(samples_ms[0], 2)
        return {"n": 1, "p50": v, "p95": v, "p99": v, "mean": v, "max": v}
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "n": len(samples_ms),
        "p50": round(cuts[49], 2),
        "p95": round(cuts[94], 2),
        "p99": round(cuts[98], 2),
        "mean": round(statistics.fmean(samples_ms), 2),
        "max": round(max(samples_ms), 2),
    }


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def machine() -> dict:
    cpu, ram = platform.processor() or "unknown", 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "nproc": cpu_count(),
        "cpu": cpu,
        "ram_gib": round(ram, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def cpu_busy_snapshot() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return sum(fields) - idle, sum(fields)


def busy_fraction(before: tuple[float, float], after: tuple[float, float]) -> float | None:
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 3) if total > 0 else None


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def wait_for_quiet(max_seconds: int, threshold: float) -> list[float]:
    """Wait up to max_seconds for the one-minute load average to fall below `threshold`: other
    work on a 2-core machine inflates every latency. Returns the load when measuring begins."""
    deadline = time.monotonic() + max_seconds
    load = os.getloadavg()
    if load[0] >= threshold and max_seconds > 0:
        log(f"load average {load[0]:.2f} ≥ {threshold:.2f}: waiting up to {max_seconds} s")
    while load[0] >= threshold and time.monotonic() < deadline:
        time.sleep(5)
        load = os.getloadavg()
    return load_average()

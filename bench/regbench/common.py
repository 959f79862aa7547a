"""Small shared pieces of every benchmark: paths, logging to stderr, timers, percentiles, peak
memory, a process's CPU time, read-only git, and writing a section of docs/benchmarks.md."""

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results" / "registry"  # other benchmarks have their own folders
DOCS = ROOT / "docs" / "benchmarks.md"
FULL_PEOPLE = 1_000_000
FULL_IMPORT_ROWS = 100_000
_START = time.perf_counter()


def log(message: str) -> None:
    elapsed = time.perf_counter() - _START
    print(f"[bench {elapsed:7.1f}s] {message}", file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    """This process's high-water resident memory (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def process_cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process on this machine, in seconds (None when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def git(*command: str) -> str:
    """Read-only git at the project's root: its output, or "" without git or a repository."""
    try:
        done = subprocess.run(["git", *command], capture_output=True, text=True, cwd=ROOT)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def write_section(path: Path, section: str, start: str, end: str) -> None:
    """Put `section` (its own `start` and `end` markers included) in place of the text between
    those markers in `path`, or at its end; nothing else in the file changes."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    body = section.rstrip("\n")
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + body + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def percentiles(samples_ms: list[float]) -> dict:
    """p50/p95/p99 (inclusive method, interpolated), mean and max of samples in milliseconds."""
    if not samples_ms:
        return {"n": 0}
    if len(samples_ms) == 1:
        value = round(samples_ms[0], 2)
        return {"n": 1, "p50": value, "p95": value, "p99": value, "mean": value, "max": value}
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "n": len(samples_ms),
        "p50": round(cuts[49], 2),
        "p95": round(cuts[94], 2),
        "p99": round(cuts[98], 2),
        "mean": round(statistics.fmean(samples_ms), 2),
        "max": round(max(samples_ms), 2),
    }


class Timer:
    """`with Timer() as t: ...` then t.seconds / t.ms (wall clock) and t.cpu_ms (this
    process's CPU time: steadier on a busy machine, but blind to a database server's work)."""

    def __enter__(self):
        self.start = time.perf_counter()
        self.cpu_start = time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.ms = self.seconds * 1000
        self.cpu_ms = (time.process_time() - self.cpu_start) * 1000
        return False


def wait_for_quiet(max_seconds: int, threshold: float | None = None) -> list[float]:
    """Wait (up to max_seconds) for the one-minute load average to fall below `threshold`
    (three quarters of the CPUs by default): other work on a small machine inflates every
    latency. Returns the load averages when measuring begins."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threshold = threshold if threshold is not None else max(1.0, 0.75 * (cpus or 1))
    deadline = time.monotonic() + max_seconds
    load = os.getloadavg()
    if load[0] >= threshold and max_seconds > 0:
        log(f"load average {load[0]:.2f} ≥ {threshold:.2f}: waiting up to {max_seconds} s")
    while load[0] >= threshold and time.monotonic() < deadline:
        time.sleep(10)
        load = os.getloadavg()
    return [round(x, 2) for x in load]

"""Concurrent clients for POST /api/v1/redemptions, bounded in count and in time.

The clients are threads spread over a few processes (so that one interpreter's lock does not
become the bottleneck or add to the latencies), all aimed at 127.0.0.1 only. Each client owns
a list of cards and sends them one after the other; a card repeated "at once" sits in the very
next slot of the schedule, so another client sends it in the same round, racing the first.
"""

import http.client
import json
import random
import resource
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

API_PATH = "/api/v1/redemptions"


def schedule(
    cards: list[str], repeat_fraction: float, clients: int, rng: random.Random
) -> list[list[tuple[str, str]]]:
    """One list of (card, kind) per client: every card once ("first"), and for a fraction of
    them a second request, half sent at once by another client ("race"), half a few rounds
    later ("later")."""
    keyed = [(float(i), card, "first") for i, card in enumerate(cards)]
    chosen = rng.sample(range(len(cards)), round(len(cards) * repeat_fraction))
    for n, i in enumerate(chosen):
        if n % 2 == 0:
            keyed.append((i + 0.5, cards[i], "race"))
        else:
            keyed.append((i + rng.randint(2 * clients, 40 * clients) + 0.5, cards[i], "later"))
    keyed.sort()
    sequence = [(card, kind) for _key, card, kind in keyed]
    return [sequence[c::clients] for c in range(clients)]


def _client(host, port, token, cycle, point, items, start_at, deadline, out):
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
    }
    conn = http.client.HTTPConnection(host, port, timeout=60)
    while time.monotonic() < start_at:
        time.sleep(0.001)
    for card, kind in items:
        if time.monotonic() >= deadline:
            out.append((card, kind, -1, "not sent (time bound)", 0.0, 0.0))
            continue
        body = json.dumps({"cycle": cycle, "card": card, "point": point})
        t0 = time.monotonic()
        try:
            conn.request("POST", API_PATH, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            try:
                outcome = json.loads(data).get("outcome") or ""
            except ValueError:
                outcome = data[:80].decode("utf-8", "replace")
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status, outcome = 0, f"{type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
        out.append((card, kind, status, outcome, t0, time.monotonic()))
    conn.close()


def _process(job: dict) -> dict:
    """One client process: a thread per client; returns every request and its CPU time."""
    records: list[list] = [[] for _ in job["lists"]]
    threads = [
        threading.Thread(
            target=_client,
            args=(
                job["host"],
                job["port"],
                job["token"],
                job["cycle"],
                job["point"],
                items,
                job["start_at"],
                job["deadline"],
                records[i],
            ),
        )
        for i, items in enumerate(job["lists"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "records": [r for client in records for r in client],
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def run(
    *,
    host: str,
    port: int,
    token: str,
    cycle: str,
    point: str,
    lists: list[list[tuple[str, str]]],
    processes: int,
    max_seconds: float,
) -> dict:
    """Send every list, one client per list, spread over `processes` processes."""
    start_at = time.monotonic() + 1.5  # all processes and threads up before the first send
    deadline = start_at + max_seconds
    jobs = [
        {
            "host": host,
            "port": port,
            "token": token,
            "cycle": cycle,
            "point": point,
            "lists": lists[p::processes],
            "start_at": start_at,
            "deadline": deadline,
        }
        for p in range(processes)
    ]
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("fork")) as pool:
        parts = list(pool.map(_process, jobs))
    records = [r for part in parts for r in part["records"]]
    sent = [r for r in records if r[2] != -1]
    end = max((r[5] for r in sent), default=start_at)
    return {
        "records": records,
        "start": start_at,
        "seconds": end - start_at,
        "client_cpu_seconds": round(sum(p["cpu_seconds"] for p in parts), 2),
        "timed_out": deadline <= end,
    }


def save_records(path: Path, records: list) -> None:
    path.write_text(json.dumps({"sent": [[r[0], r[2]] for r in records if r[2] != -1]}))

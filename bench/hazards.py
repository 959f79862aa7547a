"""The hazard map and GeoJSON import at scale: 100,000 buildings and 5,000 hazard areas.

    .venv/bin/python bench/hazards.py                          # SQLite, full size
    .venv/bin/python bench/hazards.py --postgres               # PostgreSQL (mawa_bench_hazards)
    .venv/bin/python bench/hazards.py --buildings 10000 --areas 500 --no-write   # quick

1. Generates the seeded buildings and areas (`mawa.hazards.synthetic`) in a fresh database.
2. Map: `GET /api/v1/map/features` end to end through Django's test client (URL routing,
   session, permission check, query, JSON) for viewports of 1280×800 pixels at every zoom from
   5 to 18, centred on the towns and on random points of Iraq; p50/p95/max per zoom and over
   all, with the largest number of features a response held.
3. Import: every place exported as GeoJSON (`mawa hazards export`'s function), the tables
   emptied, and the file imported again (`mawa hazards import`'s function); then imported a
   second time (nothing changes).
Targets: map p95 ≤ 300 ms for any viewport and zoom; import of 100,000 features ≤ 60 s.
Writes its section of docs/benchmarks.md between <!-- hazards-bench:start --> and
<!-- hazards-bench:end --> (one section per database).
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "hazards"


def _args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--areas", type=int, default=5_000)
    parser.add_argument("--views", type=int, default=20, help="viewports per zoom level")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    return parser.parse_args(argv)


ARGS = _args()
if ARGS.postgres:
    from regbench.databases import Target  # noqa: E402

    TARGET = Target("postgresql", "postgres://postgres@127.0.0.1:5432/mawa_bench_hazards")
else:
    from regbench.databases import Target  # noqa: E402

    RESULTS.mkdir(parents=True, exist_ok=True)
    TARGET = Target("sqlite", f"sqlite:///{RESULTS / 'hazards.sqlite3'}")
os.environ["DATABASE_URL"] = TARGET.url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")

from regbench.common import git, log, percentiles, wait_for_quiet, write_section  # noqa: E402
from regbench.databases import postgres_reachable, recreate  # noqa: E402

if TARGET.is_postgres and (reason := postgres_reachable(TARGET.url)):
    sys.exit(f"PostgreSQL is not reachable: {reason}")
recreate(TARGET)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from mawa.core.models import AdminArea, User  # noqa: E402
from mawa.core.places import load_areas  # noqa: E402
from mawa.hazards import exchange, synthetic  # noqa: E402
from mawa.hazards.models import Building, HazardArea, HazardStep  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SEED = 2016
ZOOMS = range(5, 19)
IRAQ = (38.8, 29.1, 48.6, 37.4)  # lon/lat box of the country


def viewport(lon: float, lat: float, zoom: int) -> str:
    """A 1280×800-pixel view at `zoom` (Web Mercator's scale, widened by latitude)."""
    import math

    width = 1280 / 256 * 360 / 2**zoom
    height = 800 / 256 * 360 / 2**zoom * math.cos(math.radians(lat))
    box = [lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2]
    box = [max(-180, box[0]), max(-90, box[1]), min(180, box[2]), min(90, box[3])]
    return ",".join(f"{x:.5f}" for x in box)


def measure_map(client: Client, views: int) -> dict:
    rng = random.Random(SEED)
    per_zoom, every, largest = {}, [], 0
    for zoom in ZOOMS:
        samples = []
        for n in range(views):
            if n % 2 == 0:
                _pcode, lon, lat, spread = rng.choice(synthetic.TOWNS)
                lon, lat = lon + rng.gauss(0, spread), lat + rng.gauss(0, spread)
            else:
                lon, lat = rng.uniform(IRAQ[0], IRAQ[2]), rng.uniform(IRAQ[1], IRAQ[3])
            url = f"/api/v1/map/features?bbox={viewport(lon, lat, zoom)}&zoom={zoom}"
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            largest = max(largest, len(json.loads(response.content)["features"]))
        per_zoom[zoom] = percentiles(samples)
        every += samples
    return {"zooms": per_zoom, "all": percentiles(every), "largest": largest}


def measure_import() -> dict:
    path = RESULTS / "hazards.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    collection = exchange.export_features()
    path.write_text(json.dumps(collection), encoding="utf-8")
    exported = time.perf_counter() - started
    features = len(collection["features"])
    del collection
    HazardStep.objects.all().delete()
    Building.objects.all().delete()
    HazardArea.objects.all().delete()
    started = time.perf_counter()
    report = exchange.import_features(actor=None, data=path.read_bytes(), label=path.name)
    imported = time.perf_counter() - started
    assert report.created == features, report
    started = time.perf_counter()
    again = exchange.import_features(actor=None, data=path.read_bytes(), label=path.name)
    reimported = time.perf_counter() - started
    assert (again.created, again.updated, again.steps) == (0, 0, 0), again
    return {
        "features": features,
        "export_s": exported,
        "import_s": imported,
        "reimport_s": reimported,
        "mib": path.stat().st_size / 2**20,
    }


def main() -> int:
    log(f"database {TARGET.label}: migrating")
    call_command("migrate", verbosity=0, interactive=False)
    load_areas()
    log(
        f"{AdminArea.objects.count()} areas; generating {ARGS.buildings} buildings, "
        f"{ARGS.areas} areas"
    )
    started = time.perf_counter()
    synthetic.generate(buildings=ARGS.buildings, areas=ARGS.areas, seed=SEED)
    generated = time.perf_counter() - started
    viewer = User.objects.create_user("bench-viewer", password="x", role="viewer")
    client = Client()
    client.force_login(viewer)
    load = wait_for_quiet(120)
    log(f"load {load}: measuring the map")
    client.get(f"/api/v1/map/features?bbox={viewport(43.3, 33.4, 10)}&zoom=10")  # warm up
    map_result = measure_map(client, ARGS.views)
    log(f"map p95 {map_result['all']['p95']} ms; measuring import")
    import_result = measure_import()
    load_end = [round(x, 2) for x in os.getloadavg()]
    log(f"import {import_result['import_s']:.1f} s")
    section = report(map_result, import_result, generated, load, load_end)
    print(section)
    if not ARGS.no_write:
        tag = f"hazards-bench-{TARGET.label}"
        write_section(DOC, section, f"<!-- {tag}:start -->", f"<!-- {tag}:end -->")
    return 0


def report(map_result, import_result, generated, load, load_end) -> str:
    tag = f"hazards-bench-{TARGET.label}"
    p95 = map_result["all"]["p95"]
    worst = max(v["p95"] for v in map_result["zooms"].values())
    rate = import_result["features"] / import_result["import_s"]
    lines = [
        f"<!-- {tag}:start -->",
        f"## Hazard map and GeoJSON import ({TARGET.label}, issue 14)",
        "",
        f"`.venv/bin/python bench/hazards.py{' --postgres' if TARGET.is_postgres else ''}`, "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %z}, "
        f"commit `{git('rev-parse', '--short', 'HEAD')}`"
        f"{' (uncommitted changes)' if git('status', '--porcelain', '--', 'src') else ''}, "
        f"{platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()}), "
        f"load average {load[0]} at the start and {load_end[0]} at the end.",
        "",
        f"{ARGS.buildings:,} buildings and {ARGS.areas:,} areas (seed {SEED}, generated in "
        f"{generated:.1f} s). {ARGS.views} viewports of 1280×800 pixels per zoom, half on the "
        "towns and half anywhere in Iraq, through Django's test client with a logged-in viewer.",
        "",
        "| floor | measured | |",
        "| --- | --- | --- |",
        f"| map p95 ≤ 300 ms, any viewport and zoom | p95 {p95} ms over all; worst zoom's p95 "
        f"{worst} ms; max {map_result['all']['max']} ms; at most {map_result['largest']} "
        f"features in a response | {'pass' if worst <= 300 else 'MISS'} |",
        f"| import of 100,000 features ≤ 60 s | {import_result['features']:,} features "
        f"({import_result['mib']:.0f} MiB) in {import_result['import_s']:.1f} s "
        f"({rate:,.0f}/s); re-import of the same file (nothing changes) "
        f"{import_result['reimport_s']:.1f} s; export {import_result['export_s']:.1f} s | "
        f"{'pass' if import_result['import_s'] <= 60 else 'MISS'} |",
        "",
        "| zoom | mode | p50 ms | p95 ms | max ms |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for zoom, stats in map_result["zooms"].items():
        mode = "clusters" if zoom < 14 else "places (clusters when > 2,000)"
        lines.append(f"| {zoom} | {mode} | {stats['p50']} | {stats['p95']} | {stats['max']} |")
    lines.append(f"<!-- {tag}:end -->")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

"""A real kill: `mawa node import` in its own process, sent SIGKILL while it ingests."""

import os
import random
import signal
import subprocess
import sys
import time

from mawa.assistance.models import Redemption, ScanLog
from mawa.field import services
from mawa.field.models import Event
from mawa.field.synthetic import field_world, synthetic_bundles
from tests.field.places import files_only

pytestmark = files_only
RUNS = 4


def _import_in_a_process(path, bundle, env):
    return subprocess.Popen(
        [sys.executable, "-m", "mawa", "node", "import", str(bundle)],
        env={**env, "DATABASE_URL": f"sqlite:///{path}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_an_import_killed_by_sigkill_leaves_nothing_half_written(places, tmp_path):
    places.add("hq-base")
    with places.use("hq-base"):
        field_world(households=2100, nodes=2, seed=5)
        bundles, doubles = synthetic_bundles(events_total=4000, seed=5)
    files = []
    for index, blob in enumerate(bundles):
        files.append(tmp_path / f"bundle-{index}.mawa")
        services.file_write(files[-1], blob)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MAWA_DATA_DIR"] = str(tmp_path)
    # How long one import takes here, start-up included, so that kills land inside it.
    places.copy("hq-base", "hq")
    started = time.perf_counter()
    assert _import_in_a_process(places.paths["hq"], files[0], env).wait() == 0
    lasted = time.perf_counter() - started
    killed = 0
    for seed in range(RUNS):
        rng = random.Random(seed)
        places.copy("hq-base", "hq")
        bundle = files[seed % len(files)]
        process = _import_in_a_process(places.paths["hq"], bundle, env)
        # Django starting, the bundle being read, or inside the ingesting transaction.
        time.sleep(lasted * rng.uniform(0.55, 0.95))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
        assert places.integrity("hq") == "ok"
        with places.use("hq"):
            stored = Event.objects.count()
            assert stored in (0, len(_events(bundle))), stored  # all or none
            assert Redemption.objects.count() * 2 == ScanLog.objects.count() * 2 == stored
            for path in files:  # recovery: carry the files again
                services.bundle_ingest(path.read_bytes())
            assert Event.objects.count() == 4000
            assert Redemption.objects.exclude(double_of=None).count() == doubles
    assert killed, "no run was killed before it finished"


def _events(path) -> list:
    with open(path, "rb") as handle:
        header = services.crypto.read_header(handle.read())
    return [None] * header["count"]

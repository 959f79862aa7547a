"""Sync under failure, with fixed seeds: killed mid-way, bundles replayed and reordered.

A "kill" is an exception raised at a fault point (see mawa.field.faults) between writes,
inside the ingesting transaction or halfway through writing a bundle file; what the process
had not committed is gone, as after a real kill, and recovery is simply syncing again.
"""

import random

import pytest

from mawa.assistance.models import Redemption
from mawa.field import faults, services
from mawa.field.models import Event
from tests.field.places import Places, files_only
from tests.field.scenario import _settled as settled
from tests.field.scenario import (
    events_from,
    export,
    give,
    ingest,
    mixed_work,
    node_events,
    set_up,
    shuffled,
    sync,
)

pytestmark = files_only
CRASH_RUNS = 200
REPLAY_RUNS = 10


class Killed(Exception):
    """The process died here."""


def _kill_at(target: str, occurrence: int, cut: float):
    seen = {"n": 0}

    def hook(name, *args):
        if name != target:
            return None
        seen["n"] += 1
        if seen["n"] != occurrence:
            return None
        if name == "file.write":
            handle, blob = args
            handle.write(blob[: int(len(blob) * cut)])  # part of the file, then the end
            handle.flush()
        raise Killed(name)

    return hook


def _sync_by_file(places, ids, directory, rng, limit):
    """One round by USB stick: node exports to a file, headquarters imports it, and back."""
    path = directory / "bundle.mawa"
    part = directory / "bundle.mawa.part"
    with places.use("node0"):
        blob, _count = services.bundle_make(limit=limit)
        try:
            services.file_write(path, blob)
        except Killed:
            with places.use("hq"):  # someone imports the half-written file anyway
                before = services.data_hash()
                with pytest.raises(services.SyncError):
                    services.bundle_ingest(part.read_bytes())
                assert services.data_hash() == before
            raise
    with places.use("hq"):
        services.bundle_ingest(path.read_bytes())
        reply, _count = services.bundle_make(ids["nodes"][0], limit=limit, refresh=False)
    if rng.random() < 0.5:
        raise Killed("before the reply reached the node")
    with places.use("node0"):
        services.bundle_ingest(reply)


@pytest.fixture(scope="module")
def crash_base(tmp_path_factory, field_template, django_db_blocker):
    with django_db_blocker.unblock():
        places = Places(field_template, tmp_path_factory.mktemp("crash-base"))
        ids = set_up(places, households=30, nodes=1, seed=7)
        give(places, ids, 0, ids["cards"][:20])
        yield places, ids


def test_a_sync_killed_anywhere_loses_and_duplicates_nothing(
    crash_base, tmp_path, django_db_blocker
):
    places, ids = crash_base
    points = ["ingest.event", "ingest.stored", "ingest.commit", "file.write", "reply"]
    kills = {point: 0 for point in points}
    with django_db_blocker.unblock():
        for seed in range(CRASH_RUNS):
            rng = random.Random(seed)
            places.copy("hq", "hq-run")
            places.copy("node0", "node-run")
            run = _Renamed(places, {"hq": "hq-run", "node0": "node-run"})
            target = points[seed % len(points)]
            limit = rng.randint(4, 50)
            if target != "reply":
                faults.hook = _kill_at(target, rng.randint(1, 3), rng.random())
            try:
                for _round in range(30):
                    try:
                        _sync_by_file(
                            run, ids, tmp_path, rng if target == "reply" else _Never(), limit
                        )
                    except Killed:
                        kills[target] += 1
                        faults.hook = None
                    else:
                        if _settled(run):
                            break
            finally:
                faults.hook = None
            sync(run, 0, ids)
            sent = node_events(run, "node0")
            received = events_from(run, "hq", ids["nodes"][0])
            assert len(received) == len(set(received)) == len(sent), seed
            assert set(received) == sent, seed
            with run.use("hq"):
                assert Redemption.objects.count() == 20, seed
            assert run.integrity("hq") == run.integrity("node0") == "ok"
    assert all(kills.values()), kills  # every kind of failure happened


def test_bundles_replayed_shuffled_with_acknowledgements_lost_end_the_same(
    places, django_db_blocker
):
    ids = set_up(places, households=50, nodes=2, seed=3)
    give(places, ids, 0, ids["cards"][:30])
    give(places, ids, 1, ids["cards"][20:])  # ten households served at both
    for name in ("hq", "node0", "node1"):
        places.copy(name, f"{name}-base")
    # One clean delivery, the reference.
    for node in (0, 1):
        sync(places, node, ids)
    with places.use("hq"):
        expected = services.data_hash()
        assert Redemption.objects.exclude(double_of=None).count() == 10
    for seed in range(REPLAY_RUNS):
        rng = random.Random(seed)
        for name in ("hq", "node0", "node1"):
            places.copy(f"{name}-base", name)
        in_flight = []
        for _round in range(12):
            for node in (0, 1):
                in_flight += [
                    (node, export(places, f"node{node}", limit=rng.randint(3, 15)))
                ] * rng.randint(1, 5)
            deliver, in_flight = _split(rng, shuffled(seed, in_flight))
            for node, blob in deliver:
                ingest(places, "hq", blob)
                reply = export(places, "hq", ids["nodes"][node], refresh=False)
                if rng.random() >= 0.3:  # 30% of acknowledgements are lost
                    ingest(places, f"node{node}", reply)
        for _node, blob in shuffled(seed, in_flight):
            ingest(places, "hq", blob)
        for node in (0, 1):
            sync(places, node, ids)
        with places.use("hq"):
            assert services.data_hash() == expected, seed


def _split(rng, items):
    keep = [item for item in items if rng.random() < 0.3]
    return [item for item in items if item not in keep], keep


class _Never:
    def random(self):
        return 1.0


class _Renamed:
    """A view of Places in which "hq" and "node0" are the run's copies."""

    def __init__(self, places, names):
        self.places, self.names = places, names

    def use(self, name):
        return self.places.use(self.names.get(name, name))

    def integrity(self, name):
        return self.places.integrity(self.names.get(name, name))


def _settled(run) -> bool:
    return settled(run, 0)


def test_every_kind_from_three_nodes_and_headquarters_ends_the_same_whatever_the_order(
    places, django_db_blocker
):
    """Registrations, edits, moves, needs, documents, cards, redemptions, stock and scans at
    three camp-office-and-distribution nodes and at headquarters at once; bundles delivered 1
    to 5 times, shuffled, some held back, 30% of acknowledgements lost: nothing lost, nothing
    doubled, the same data hash as one clean delivery."""
    from mawa.assistance.models import Programme
    from mawa.core.models import Site
    from mawa.registry.models import Shelter

    ids = set_up(places, households=12, nodes=3, seed=5, roles=("distribution", "office"))
    with places.use("hq"):
        site = Site.objects.get(code="debaga")
        for code in ("A-01", "A-02"):
            Shelter.objects.create(site=site, code=code, capacity_people=50)
        Programme.objects.create(code="nfi", name_en="Winter kits")
    for node in range(3):
        sync(places, node, ids)
    for node in range(3):
        give(places, ids, node, [], stock=500)  # stock received at each point
        mixed_work(places, f"node{node}", ids["operators"][node], seed=node)
    mixed_work(places, "hq", ids["admin"], seed=99)
    for name in ("hq", "node0", "node1", "node2"):
        places.copy(name, f"{name}-base")
    for node in range(3):
        sync(places, node, ids)
    for node in range(3):  # twice round: what one node sent reaches the others too
        sync(places, node, ids)
    with places.use("hq"):
        expected = services.data_hash()
        kinds = set(Event.objects.exclude(received_at=None).values_list("kind", flat=True))
    assert {"household", "edit", "movement", "card", "redemption", "scan", "stock"} <= kinds
    sent = {node: node_events(places, f"node{node}") for node in range(3)}
    for seed in range(4):
        for name in ("hq", "node0", "node1", "node2"):
            places.copy(f"{name}-base", name)
        _deliver_badly(places, ids, seed, nodes=3, rounds=8)
        for node in list(range(3)) * 2:
            sync(places, node, ids)
        for node in range(3):
            received = events_from(places, "hq", ids["nodes"][node])
            assert len(received) == len(set(received)) == len(sent[node]), seed
        with places.use("hq"):
            assert services.data_hash() == expected, seed


def _deliver_badly(places, ids, seed: int, *, nodes: int, rounds: int) -> None:
    """Bundles from every node delivered 1 to 5 times, shuffled, some held back to later
    rounds, 30% of headquarters' replies (acknowledgements) lost."""
    rng = random.Random(seed)
    in_flight = []
    for _round in range(rounds):
        for node in range(nodes):
            blob = export(places, f"node{node}", limit=rng.randint(2, 9))
            in_flight += [(node, blob)] * rng.randint(1, 5)
        deliver, in_flight = _split(rng, shuffled(seed, in_flight))
        for node, blob in deliver:
            ingest(places, "hq", blob)
            reply = export(places, "hq", ids["nodes"][node], refresh=False)
            if rng.random() >= 0.3:
                ingest(places, f"node{node}", reply)
    for _node, blob in shuffled(seed, in_flight):
        ingest(places, "hq", blob)

"""A node's database on SQLCipher: it works as usual, and without the passphrase it is noise."""

import sqlite3

import pytest
from django.core.management import call_command

from mawa.assistance.models import Redemption
from mawa.field import services
from mawa.field.synthetic import field_world
from tests.field.places import connected_to, files_only
from tests.field.scenario import PASSPHRASE, give

pytestmark = files_only


class _Encrypted:
    """`Places`-like access to one encrypted node database, for scenario.give."""

    def __init__(self, path):
        self.path = path

    def use(self, _name):
        return connected_to(self.path, "sqlcipher")


def test_a_lost_laptops_database_is_unreadable_without_the_passphrase(
    places, tmp_path, monkeypatch
):
    places.add("hq")
    with places.use("hq"):
        world = field_world(households=12, nodes=1)
        package = services.package_make(
            actor=world.admin, node=world.nodes[0], passphrase=PASSPHRASE
        )
        ids = {
            "cycle": world.cycle.pk,
            "points": [world.points[0].pk],
            "operators": [world.operators[0].username],
        }
        card = world.cards[0]
        family = world.site.households.first().members.first().family_name_lat
    path = tmp_path / "node.db"
    monkeypatch.setenv("MAWA_NODE_PASSPHRASE", "laptop passphrase 7")
    with connected_to(path, "sqlcipher"):
        call_command("migrate", verbosity=0)
        services.node_init(package, PASSPHRASE)
    node = _Encrypted(path)
    assert give(node, ids, 0, [card]) == ["given"]
    with node.use("node0"):
        assert Redemption.objects.count() == 1

    raw = b"".join(p.read_bytes() for p in tmp_path.glob("node.db*"))
    assert family.encode() not in raw and card.encode() not in raw
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    monkeypatch.setenv("MAWA_NODE_PASSPHRASE", "a guess")
    with pytest.raises(Exception, match="not a database"), node.use("node0"):
        Redemption.objects.count()

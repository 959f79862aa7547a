"""`mawa node …` end to end: package at headquarters, init on a laptop, bundles by file."""

import pytest
from django.core.management import CommandError, call_command

from mawa.assistance.models import Redemption
from mawa.field.models import Node
from mawa.field.synthetic import field_world
from tests.field.places import files_only
from tests.field.scenario import give

pytestmark = files_only


def test_a_node_by_usb_stick(places, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MAWA_PACKAGE_PASSPHRASE", "package passphrase 1")
    package, to_hq, to_node = (tmp_path / name for name in ("node.pkg", "up.mawa", "down.mawa"))
    places.add("hq")
    with places.use("hq"):
        world = field_world(households=15, nodes=1)
        Node.objects.all().delete()  # made again below, by the command
        call_command(
            "node", "package", "--name", "debaga-2", "--sites", "debaga", "--cycles", "cycle",
            "--points", "Point 1", "--users", "operator-1", "--out", str(package),
        )  # fmt: skip
        with pytest.raises(CommandError, match="Not found: Point 9"):
            call_command(
                "node", "package", "--name", "x", "--sites", "debaga", "--cycles", "cycle",
                "--points", "Point 9", "--users", "operator-1", "--out", str(package),
            )  # fmt: skip
        ids = {
            "cycle": world.cycle.pk,
            "points": [world.points[0].pk],
            "operators": ["operator-1"],
        }
    places.add("node0")
    with places.use("node0"):
        call_command("node", "init", str(package))
    assert give(places, ids, 0, world.cards[:4]) == ["given"] * 4
    with places.use("node0"):
        call_command("node", "status")
        call_command("node", "export", "--out", str(to_hq))
    with places.use("hq"):
        call_command("node", "import", str(to_hq))
        call_command("node", "import", str(to_hq))  # carried twice: nothing new
        assert Redemption.objects.count() == 4
        call_command("node", "export", "--node", "debaga-2", "--out", str(to_node))
        call_command("node", "revoke", "debaga-2")
        with pytest.raises(CommandError, match="revoked"):
            call_command("node", "import", str(to_hq))
    with places.use("node0"):
        call_command("node", "import", str(to_node))
        call_command("node", "status")
    out = capsys.readouterr().out
    assert "This laptop is now node debaga-2." in out
    assert "0 new events, 10 already here" in out
    assert "Node debaga-2: 0 events not yet acknowledged" in out

"""Sync over HTTPS against headquarters in the test database (PostgreSQL on CI's second run)."""

import pytest

from mawa.assistance.models import Cycle, RationCard, Redemption, StockLocation
from mawa.assistance.services import card_replace, redemption_record
from mawa.core.models import User
from mawa.field import services, transport
from mawa.field.models import Node
from mawa.field.synthetic import field_world
from tests.field.places import outside
from tests.field.scenario import PASSPHRASE

URL = "/api/v1/field/sync"


@pytest.fixture
def hq_and_node(db, places, settings):
    settings.MAWA_MANIFEST_FULL_SECONDS = 21600
    world = field_world(households=20, nodes=1)
    package = services.package_make(actor=world.admin, node=world.nodes[0], passphrase=PASSPHRASE)
    places.add("node0")
    with places.use("node0"):
        services.node_init(package, PASSPHRASE)
    return world


def _give(world, codes):
    cycle = Cycle.objects.select_related("programme").get(pk=world.cycle.pk)
    point = StockLocation.objects.get(pk=world.points[0].pk)
    operator = User.objects.get(username=world.operators[0].username)
    return [
        redemption_record(actor=operator, cycle=cycle, point=point, typed=c).outcome for c in codes
    ]


def test_a_node_syncs_over_https_and_learns_of_changes(client, places, hq_and_node):
    world = hq_and_node

    def post(url, blob):
        assert url.endswith(URL)
        with outside():
            response = client.post(URL, data=blob, content_type="application/octet-stream")
        if response.status_code != 200:
            raise services.SyncError(response.json()["detail"])
        return response.content

    with places.use("node0"):
        assert _give(world, world.cards[:6]) == ["given"] * 6
        result = transport.sync_over_https("https://hq.example", post=post)
        assert result.sent >= 12  # six redemptions and six scans
        assert transport.unacknowledged() == 0
    assert Redemption.objects.filter(recorded_on="node-1").count() == 6
    # A card revoked at headquarters is refused at the node after the next sync.

    replaced = card_replace(actor=world.admin, card=RationCard.objects.get(code=world.cards[10]))
    with places.use("node0"):
        transport.sync_over_https("https://hq.example", post=post)
        assert _give(world, [world.cards[10], replaced.code]) == ["revoked", "given"]


def test_the_endpoint_refuses_a_revoked_node_with_its_reason(client, places, hq_and_node):
    world = hq_and_node
    with places.use("node0"):
        _give(world, world.cards[:2])
        blob, _count = services.bundle_make()
    services.node_revoke(actor=world.admin, node=Node.objects.get())
    response = client.post(URL, data=blob, content_type="application/octet-stream")
    assert response.status_code == 400
    assert "revoked" in response.json()["detail"]
    assert Redemption.objects.count() == 0


def test_an_unreachable_headquarters_is_a_message_not_a_crash(places, hq_and_node):
    with places.use("node0"), pytest.raises(services.SyncError, match="cannot be reached"):
        transport.sync_over_https("http://127.0.0.1:9")

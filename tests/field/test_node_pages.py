"""On a field node, pages whose records would not reach headquarters are refused, clearly."""

from mawa.assistance.models import Cycle, StockLocation
from mawa.core.models import Site
from mawa.core.roles import Role
from tests.conftest import login, make_user
from tests.field.places import files_only
from tests.field.scenario import set_up

pytestmark = files_only


def test_a_node_refuses_registration_but_serves_distribution(places):
    ids = set_up(places, households=3, nodes=1)
    with places.use("node0"):
        clerk = make_user("clerk-at-node", Role.CAMP_MANAGER, [Site.objects.get()])
        client = login(clerk)
        refused = client.get("/stock/dispatch/")
        assert refused.status_code == 403
        assert "field node" in refused.content.decode()
        assert client.get("/households/new/").status_code == 200  # registrations travel
        point, cycle = StockLocation.objects.get(kind="point"), Cycle.objects.get()
        assert client.get(f"/distribution/{point.pk}/{cycle.pk}/").status_code == 200
        api = client.post("/api/v1/movements", {}, content_type="application/json")
        assert api.status_code == 403
    assert ids["operators"]

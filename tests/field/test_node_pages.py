"""On a field node every page is closed unless its app declared it open for the node's roles
(default-deny), and every URL name is declared one way or the other."""

from mawa.assistance.models import Cycle, StockLocation
from mawa.core import sync
from mawa.core.models import Site
from mawa.core.roles import Role
from mawa.registry.models import Household
from tests.conftest import login, make_user
from tests.field.places import files_only
from tests.field.scenario import set_up
from tests.test_permissions import url_names

# Django's admin is headquarters' alone: closed on nodes by default-deny, as a whole.
ADMIN = "admin:"


def test_every_url_name_is_declared_open_or_closed_on_nodes():
    names = {name for name in url_names() if not name.startswith(ADMIN)}
    undeclared = names - set(sync.PAGES) - sync.CLOSED
    assert undeclared == set(), f"declare these with sync.node_pages or node_closed: {undeclared}"
    assert set(sync.PAGES) & sync.CLOSED == set()
    assert (set(sync.PAGES) | sync.CLOSED) - names == set()  # no stale declaration


@files_only
def test_a_distribution_node_serves_its_day_and_closes_household_management(places):
    set_up(places, households=3, nodes=1)
    with places.use("node0"):
        manager = make_user("manager-at-node", Role.CAMP_MANAGER, [Site.objects.get()])
        client = login(manager)
        refused = client.get("/stock/dispatch/")
        assert refused.status_code == 403
        assert "field node" in refused.content.decode()
        household = Household.objects.first()
        assert client.get(f"/households/{household.pk}/departure/").status_code == 403
        assert client.get("/admin/").status_code == 403
        assert client.get("/households/new/").status_code == 200  # registrations travel
        point, cycle = StockLocation.objects.get(kind="point"), Cycle.objects.get()
        assert client.get(f"/distribution/{point.pk}/{cycle.pk}/").status_code == 200
        api = client.post("/api/v1/movements", {}, content_type="application/json")
        assert api.status_code == 403
        assert "field node" in api.json()["detail"]


@files_only
def test_a_camp_office_manages_households_but_runs_no_distribution(places):
    set_up(places, households=3, nodes=1, roles=("office",))
    with places.use("node0"):
        manager = make_user("office-manager", Role.CAMP_MANAGER, [Site.objects.get()])
        client = login(manager)
        household = Household.objects.first()
        assert client.get(f"/households/{household.pk}/departure/").status_code == 200
        assert client.get(f"/households/{household.pk}/edit/").status_code == 200
        assert client.get("/distribution/").status_code == 403

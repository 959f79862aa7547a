"""Every URL pattern, checked for anonymous, wrong-site and wrong-role access.

The table below must name every route Mawa serves: a new URL without an entry fails
`test_every_url_is_in_the_table`, so nothing ships without its permission check.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mawa.assistance.models import (
    Commodity,
    Cycle,
    Dispatch,
    Programme,
    RationCard,
    Redemption,
    StockLocation,
)
from mawa.core.roles import Capability
from mawa.feedback.caps import FIGURES, HANDLE, RECORD
from mawa.feedback.services import Intake, ticket_record
from mawa.field.models import Node
from mawa.hazards import services as hazard_services
from mawa.hazards.apps import EDIT_HAZARDS, VIEW_HAZARDS
from mawa.names.models import DedupRun, Merge
from mawa.names.services import pair_record
from mawa.registry.models import ImportJob
from mawa.returns.apps import RECORD_RETURN
from mawa.tracing.apps import TRACE, TRACE_EXPORT
from tests.conftest import login
from tests.tracing.tracing_targets import tracing_targets

PUBLIC = {"login", "logout", "language_set"}
SKIPPED_PREFIXES = ("admin:", "api:")  # Django's admin checks is_staff; the API has its own test

# name -> (capability, what the kwargs point at, method)
ROUTES = {
    "registry:dashboard": (Capability.VIEW_DASHBOARD, None, "get"),
    "registry:site_detail": (Capability.VIEW_DASHBOARD, "site", "get"),
    "registry:site_shelters_add": (Capability.MANAGE_SHELTER, "site", "post"),
    "registry:household_list": (Capability.VIEW_PEOPLE, None, "get"),
    "registry:household_register": (Capability.REGISTER, None, "get"),
    "registry:member_row": (Capability.REGISTER, None, "get"),
    "registry:household_detail": (Capability.VIEW_PEOPLE, "household", "get"),
    "registry:household_edit": (Capability.EDIT_HOUSEHOLD, "household", "get"),
    "registry:person_add": (Capability.EDIT_HOUSEHOLD, "household", "get"),
    "registry:household_shelter": (Capability.MANAGE_SHELTER, "household", "get"),
    "registry:household_transfer": (Capability.RECORD_MOVEMENT, "household", "get"),
    "registry:household_depart": (Capability.RECORD_MOVEMENT, "household", "get"),
    "registry:person_edit": (Capability.EDIT_HOUSEHOLD, "person", "get"),
    "registry:person_remove": (Capability.EDIT_HOUSEHOLD, "person", "post"),
    "registry:person_needs": (Capability.VIEW_PROTECTION, "person", "post"),
    "registry:consent_record": (Capability.RECORD_CONSENT, "person", "post"),
    "registry:consent_withdraw": (Capability.RECORD_CONSENT, "consent", "post"),
    "registry:import_upload": (Capability.IMPORT, None, "get"),
    "registry:import_check": (Capability.IMPORT, "job", "get"),
    "registry:export_page": (Capability.EXPORT, None, "get"),
    "registry:export_download": (Capability.EXPORT, "export", "get"),
    "names:check": (Capability.REGISTER, None, "post"),
    "names:review_list": (Capability.REVIEW_DUPLICATES, None, "get"),
    "names:pair_detail": (Capability.REVIEW_DUPLICATES, "pair", "get"),
    "names:merge_list": (Capability.REVIEW_DUPLICATES, None, "get"),
    "names:merge_reverse": (Capability.REVIEW_DUPLICATES, "merge", "post"),
    "names:pairs_export": (Capability.RUN_DEDUP, None, "get"),
    "names:run_list": (Capability.RUN_DEDUP, None, "get"),
    "names:run_detail": (Capability.RUN_DEDUP, "run", "get"),
    "names:run_cancel": (Capability.RUN_DEDUP, "run", "post"),
    "assistance:point_list": (Capability.DISTRIBUTE, None, "get"),
    "assistance:stock": (Capability.MANAGE_ASSISTANCE, None, "get"),
    "assistance:cycle_list": (Capability.MANAGE_ASSISTANCE, None, "get"),
    "assistance:household_cards": (Capability.MANAGE_ASSISTANCE, "household", "get"),
    "assistance:card_issue": (Capability.MANAGE_ASSISTANCE, "household", "post"),
    "assistance:card_replace": (Capability.MANAGE_ASSISTANCE, "card", "post"),
    "assistance:card_alternates": (Capability.MANAGE_ASSISTANCE, "card", "post"),
    "assistance:card_pdf": (Capability.MANAGE_ASSISTANCE, "card", "get"),
    "assistance:cycle_detail": (Capability.MANAGE_ASSISTANCE, "cycle", "get"),
    "assistance:cycle_issue_cards": (Capability.MANAGE_ASSISTANCE, "cycle", "post"),
    "assistance:cycle_cards_pdf": (Capability.MANAGE_ASSISTANCE, "cycle", "get"),
    "assistance:cycle_plan_csv": (Capability.MANAGE_ASSISTANCE, "cycle", "get"),
    "assistance:stock_move": (Capability.MANAGE_ASSISTANCE, None, "post"),
    "assistance:stock_dispatch": (Capability.MANAGE_ASSISTANCE, None, "post"),
    "assistance:stock_receive": (Capability.MANAGE_ASSISTANCE, "dispatch", "post"),
    "assistance:screen": (Capability.DISTRIBUTE, "point", "get"),
    "assistance:scan": (Capability.DISTRIBUTE, "point", "post"),
    "assistance:give": (Capability.DISTRIBUTE, "point", "post"),
    "assistance:tally": (Capability.DISTRIBUTE, "point", "get"),
    "assistance:report": (Capability.DISTRIBUTE, "point", "get"),
    "assistance:close": (Capability.DISTRIBUTE, "point", "post"),
    "assistance:report_csv": (Capability.DISTRIBUTE, "point", "get"),
    "assistance:report_xlsx": (Capability.DISTRIBUTE, "point", "get"),
    "assistance:doubles": (Capability.MANAGE_ASSISTANCE, None, "get"),
    "assistance:double_review": (Capability.MANAGE_ASSISTANCE, "double", "post"),
    "field:node_list": (Capability.MANAGE_NODES, None, "get"),
    "field:node_create": (Capability.MANAGE_NODES, None, "post"),
    "field:node_revoke": (Capability.MANAGE_NODES, "node", "post"),
    "feedback:ticket_list": (HANDLE, None, "get"),
    "feedback:ticket_new": (RECORD, None, "get"),
    "feedback:overdue": (HANDLE, None, "get"),
    "feedback:dashboard_panel": (HANDLE, None, "get"),
    "feedback:figures": (FIGURES, None, "get"),
    "feedback:figures_csv": (FIGURES, None, "get"),
    "feedback:point_pattern": (FIGURES, "point", "get"),
    "feedback:ticket_detail": (HANDLE, "ticket", "get"),
    "feedback:ticket_assign": (HANDLE, "ticket", "post"),
    "feedback:ticket_status": (HANDLE, "ticket", "post"),
    "feedback:ticket_answer": (HANDLE, "ticket", "post"),
    "hazards:map": (VIEW_HAZARDS, None, "get"),
    "hazards:boundaries": (VIEW_HAZARDS, None, "get"),
    "hazards:boundaries_upload": (Capability.MANAGE_SITES, None, "get"),
    "hazards:list": (VIEW_HAZARDS, None, "get"),
    "hazards:building_new": (EDIT_HAZARDS, None, "get"),
    "hazards:building_detail": (VIEW_HAZARDS, "building", "get"),
    "hazards:area_detail": (VIEW_HAZARDS, "area", "get"),
    "hazards:building_step": (EDIT_HAZARDS, "building", "post"),
    "hazards:area_step": (EDIT_HAZARDS, "area", "post"),
    "hazards:building_blocks": (EDIT_HAZARDS, "building", "post"),
    "hazards:area_blocks": (EDIT_HAZARDS, "area", "post"),
    "hazards:import": (EDIT_HAZARDS, None, "get"),
    "hazards:export": (VIEW_HAZARDS, None, "get"),
    "returns:household": (Capability.VIEW_PEOPLE, "household", "get"),
    "returns:intention_record": (RECORD_RETURN, "household", "post"),
    "returns:stats": (Capability.VIEW_DASHBOARD, None, "get"),
    "returns:stats_csv": (Capability.VIEW_DASHBOARD, "table", "get"),
    "returns:priority": (VIEW_HAZARDS, None, "get"),
    "returns:priority_geojson": (VIEW_HAZARDS, None, "get"),
    "tracing:case_list": (TRACE, None, "get"),
    "tracing:child_list": (TRACE, None, "get"),
    "tracing:case_new": (TRACE, None, "get"),
    "tracing:export": (TRACE_EXPORT, None, "get"),
    "tracing:batch_list": (TRACE, None, "get"),
    "tracing:batch_detail": (TRACE, "tbatch", "get"),
    "tracing:case_detail": (TRACE, "tcase", "get"),
    "tracing:sought_add": (TRACE, "tcase", "get"),
    "tracing:case_rematch": (TRACE, "tcase", "post"),
    "tracing:case_status": (TRACE, "tcase", "post"),
    "tracing:best_interests": (TRACE, "tcase", "post"),
    "tracing:case_erase": (TRACE, "tcase", "post"),
    "tracing:seeker_update": (TRACE, "tcase", "get"),
    "tracing:case_pdf": (TRACE, "tcase", "get"),
    "tracing:match_decide": (TRACE, "tmatch", "post"),
    "tracing:verification_ask": (TRACE, "tmatch", "post"),
    "tracing:consent_record": (TRACE, "tmatch", "post"),
    "tracing:verification_answer": (TRACE, "tverification", "post"),
    "tracing:consent_withdraw": (TRACE, "tconsent", "post"),
    "core:audit_list": (Capability.VIEW_AUDIT, None, "get"),
    "core:audit_export": (Capability.VIEW_AUDIT, None, "get"),
}
WRONG_ROLE_CANDIDATES = ["victor", "dina", "alice", "mona"]
# Places shared with every logged-in role (hazard data saves lives): no site hides them, so a
# user of another site gets them too.
SHARED_TARGETS = {"building", "area"}
# Camp A's records paired with Camp B's are outside everyone's scope but administrators'; the
# pair and merge below are both inside Camp A, so a Camp B user must get 404.
WRONG_SITE_CANDIDATES = ["bob", "max"]
RIGHT_CANDIDATES = ["alice", "mona", "ada"]


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_table():
    names = {n for n in url_names() if not n.startswith(SKIPPED_PREFIXES)}
    assert names - PUBLIC - set(ROUTES) == set()
    assert set(ROUTES) - names == set()


@pytest.fixture
def targets(family_a, users, camp_a):
    person = family_a.members.exclude(relationship="head").first()
    head, son = family_a.head, family_a.members.get(relationship="son")
    pair = pair_record(a=head, b=son, probability=0.6, reasons=[], source="batch")
    merge = Merge.objects.create(pair=pair, kept=head, merged=son, provenance={})
    run = DedupRun.objects.create(started_by=users["ada"])
    programme = Programme.objects.create(code="food", name_en="Food")
    cycle = Cycle.objects.create(
        programme=programme, name="c1", starts="2017-01-01", ends="2017-02-01", status="open"
    )
    cycle.sites.add(camp_a)
    point = StockLocation.objects.create(name="Point", kind="point", site=camp_a)
    warehouse = StockLocation.objects.create(name="Warehouse", kind="warehouse")
    dispatch = Dispatch.objects.create(
        source=warehouse,
        destination=point,
        commodity=Commodity.objects.create(code="rice", name_en="Rice", unit="kg"),
        quantity=5,
    )
    job = ImportJob.objects.create(
        user=users["mona"],
        site=camp_a,
        filename="x.csv",
        stored_as="/nonexistent",
        report={"consent_date": "2017-01-01"},
    )
    card = RationCard.objects.create(household=family_a, programme=programme)
    first = Redemption.objects.create(cycle=cycle, household=family_a, card=card, point=point)
    double = Redemption.objects.create(
        cycle=cycle, household=family_a, card=card, point=point, double_of=first
    )
    ticket = ticket_record(
        actor=users["mona"],
        intake=Intake(
            category="card_lost",
            channel="desk",
            language="ar",
            text="ضاعت البطاقة",
            site=camp_a,
            household=family_a,
        ),
    )
    building = hazard_services.building_create(
        actor=users["ada"], latitude=36.3, longitude=43.1, by="Resident", source="resident"
    )
    hazard_area = hazard_services.area_create(
        actor=users["ada"],
        by="Team 1",
        geometry={"type": "Polygon", "coordinates": [[[43, 36], [43.1, 36], [43, 36.1], [43, 36]]]},
    )
    return {
        None: {},
        "ticket": {"pk": ticket.pk},
        "double": {"pk": double.pk},
        "node": {"pk": Node.objects.create(name="node-1", key=b"k" * 32).pk},
        "site": {"pk": camp_a.pk},
        "household": {"pk": family_a.pk},
        "person": {"pk": person.pk},
        "consent": {"pk": family_a.head.consents.get().pk},
        "job": {"pk": job.pk},
        "export": {"kind": "people", "fmt": "csv"},
        "table": {"table": "displacement"},
        "pair": {"pk": pair.pk},
        "merge": {"pk": merge.pk},
        "run": {"pk": run.pk},
        "point": {"point_pk": point.pk, "cycle_pk": cycle.pk},
        "dispatch": {"pk": dispatch.pk},
        "cycle": {"pk": cycle.pk},
        "card": {"pk": card.pk},
        "building": {"pk": building.pk},
        "area": {"pk": hazard_area.pk},
        **tracing_targets(users["ada"], camp_a),
    }


def _request(client, name, kwargs, method):
    url = reverse(name, kwargs=kwargs)
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_anonymous_is_sent_to_log_in(client, targets, name):
    _cap, target, method = ROUTES[name]
    response = _request(client, name, targets[target], method)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_wrong_role_is_refused(users, targets, name):
    capability, target, method = ROUTES[name]
    lacking = [users[u] for u in WRONG_ROLE_CANDIDATES if not users[u].can(capability)]
    if not lacking:
        pytest.skip(f"every role has {capability}")
    user = lacking[0]
    response = _request(login(user), name, targets[target], method)
    assert response.status_code == 403, user.username


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_wrong_site_cannot_see_camp_a(users, targets, family_a, name):
    capability, target, method = ROUTES[name]
    candidates = [users[u] for u in WRONG_SITE_CANDIDATES if users[u].can(capability)]
    if not candidates:
        pytest.skip(f"no site-scoped role has {capability}: it is administrators' only")
    response = _request(login(candidates[0]), name, targets[target], method)
    if target in SHARED_TARGETS:
        assert response.status_code in (200, 302)
    elif target in (None, "export", "table"):
        # Pages without an object answer, but show nothing of Camp A
        # (a POST answers 302, or 200 for a fragment such as the duplicate check's).
        assert response.status_code in ((200, 302) if method == "post" else (200,))
        body = response.content.decode()
        assert family_a.reference not in body
        assert "الجبوري" not in body
    else:
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_right_user_gets_the_page(users, targets, name):
    capability, target, method = ROUTES[name]
    if target == "job":
        pytest.skip("the import check page needs a stored file: covered in test_imports")
    user = next(users[u] for u in RIGHT_CANDIDATES if users[u].can(capability))
    response = _request(login(user), name, targets[target], method)
    assert response.status_code in (200, 302), response.content[:500]

"""Build headquarters and its nodes in `Places`, and drive them: give, export, ingest."""

import random

from mawa.assistance.models import Cycle, StockEntry, StockLocation
from mawa.assistance.services import redemption_record, stock_record
from mawa.core.models import User
from mawa.field import services
from mawa.field.models import Event, PeerState
from mawa.field.synthetic import field_world

PASSPHRASE = "debaga-2016-field"


def set_up(places, *, households: int, nodes: int, seed: int = 1, roles=("distribution",)) -> dict:
    """Headquarters with `nodes` packaged and initialised nodes; returns the ids to use."""
    places.add("hq")
    with places.use("hq"):
        world = field_world(households=households, nodes=nodes, seed=seed, roles=roles)
        packages = [
            services.package_make(actor=world.admin, node=node, passphrase=PASSPHRASE)
            for node in world.nodes
        ]
        ids = {
            "cycle": world.cycle.pk,
            "points": [p.pk for p in world.points],
            "operators": [u.username for u in world.operators],
            "nodes": [n.pk for n in world.nodes],
            "cards": world.cards,
            "admin": world.admin.username,
            "site": world.site.pk,
        }
    for index, package in enumerate(packages):
        places.add(f"node{index}")
        with places.use(f"node{index}"):
            services.node_init(package, PASSPHRASE)
    return ids


def give(places, ids, node: int, codes, *, stock: int = 10_000) -> list[str]:
    """At a node: receive stock at its point, then present each card; the outcomes."""
    with places.use(f"node{node}"):
        cycle = Cycle.objects.select_related("programme").get(pk=ids["cycle"])
        point = StockLocation.objects.get(pk=ids["points"][node])
        operator = User.objects.get(username=ids["operators"][node])
        if stock:
            for rule in cycle.programme.rules.select_related("commodity"):
                stock_record(
                    actor=operator,
                    location=point,
                    commodity=rule.commodity,
                    quantity=stock,
                    kind=StockEntry.Kind.RECEIPT,
                )
        return [
            redemption_record(actor=operator, cycle=cycle, point=point, typed=code).outcome
            for code in codes
        ]


def export(
    places, name: str, peer=None, limit: int = services.EVENTS_PER_BUNDLE, refresh=True
) -> bytes:
    with places.use(name):
        blob, _count = services.bundle_make(peer, limit=limit, refresh=refresh)
        return blob


def ingest(places, name: str, blob: bytes):
    with places.use(name):
        return services.bundle_ingest(blob)


def sync(places, node: int, ids, rounds: int = 20) -> None:
    """Node and headquarters exchange bundles until neither has anything unacknowledged."""
    for _ in range(rounds):
        sent = export(places, f"node{node}")
        ingest(places, "hq", sent)
        reply = export(places, "hq", ids["nodes"][node])
        report = ingest(places, f"node{node}", reply)
        if not report.new and _settled(places, node):
            return
    raise AssertionError("sync did not settle")


def _settled(places, node: int) -> bool:
    with places.use(f"node{node}"):
        me = services.this_database()
        last = Event.objects.filter(origin=me.pk).order_by("-seq").first()
        state = PeerState.objects.get(peer=me.headquarters_id)
        return last is None or state.acknowledged_upto == last.seq


def node_events(places, name: str) -> set:
    with places.use(name):
        me = services.this_database()
        return set(Event.objects.filter(origin=me.pk).values_list("id", flat=True))


def events_from(places, name: str, origin) -> list:
    with places.use(name):
        return list(Event.objects.filter(origin=origin).values_list("id", flat=True))


def shuffled(seed: int, items: list) -> list:
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def mixed_work(places, name: str, username: str, seed: int, steps: int = 12) -> None:
    """A seeded mix of a camp office's and a distribution point's work at one place:
    registrations with needs and documents, person and household edits, shelter assignments,
    departures, cards, gives with their stock and scans."""
    import datetime as dt

    from mawa.assistance.models import Programme
    from mawa.assistance.services import card_issue, redemption_record
    from mawa.core.models import Site
    from mawa.registry.models import Household, Shelter
    from mawa.registry.services import (
        MemberInput,
        household_depart,
        household_register,
        household_update,
        person_update,
        shelter_assign,
    )

    rng = random.Random(seed)
    with places.use(name):
        actor = User.objects.get(username=username)
        site = actor.sites.order_by("code").first() or Site.objects.get(code="debaga")
        present = list(Household.objects.filter(status="present", site=site).order_by("pk"))
        cycle = Cycle.objects.select_related("programme").first()
        point = StockLocation.objects.filter(kind="point").order_by("name").first()
        for step in range(steps):
            action = rng.choice(
                ["register", "edit", "household", "shelter", "depart", "card", "give", "give"]
            )
            household = rng.choice(present)
            head = household.members.order_by("created_at").first()
            if action == "register":
                fields = {
                    "relationship": "head",
                    "sex": rng.choice("MF"),
                    "given_name_ar": rng.choice(["سعد", "ليلى", "عمر", "نور"]),
                    "family_name_ar": "الحمداني",
                }
                household_register(
                    actor=actor,
                    site=site,
                    members=[
                        MemberInput(
                            fields=fields,
                            needs=rng.sample(["DS", "SM", "ER"], rng.randint(0, 2)),
                            documents=[("national_id", f"{seed}{step}{rng.randint(0, 9999)}")],
                        )
                    ],
                    arrival_date=dt.date(2016, 10, 20),
                    consent_date=dt.date(2016, 10, 20),
                    consent_purposes=["assistance"],
                )
            elif action == "edit":
                person_update(
                    actor=actor,
                    person=head,
                    fields={"given_name_lat": rng.choice(["Saed", "Saad", "Sa'ad"])},
                    needs=rng.sample(["DS", "SM", "ER", "SP"], rng.randint(0, 2)),
                    documents=[("national_id", str(rng.randint(10**11, 10**12)))],
                )
            elif action == "household":
                household_update(
                    actor=actor, household=household, phone=f"0770{rng.randint(0, 10**7):07d}"
                )
            elif action == "shelter":
                shelter = rng.choice(list(Shelter.objects.all()))
                shelter_assign(
                    actor=actor, household=household, shelter=shelter, allow_overflow=True
                )
            elif action == "depart" and len(present) > 5:
                household_depart(
                    actor=actor, household=household, date=dt.date.today(), reason="return"
                )
                present.remove(household)
            elif (
                action == "card"
                and not household.cards.filter(programme__code="nfi", status="active").exists()
            ):
                card_issue(
                    actor=actor, household=household, programme=Programme.objects.get(code="nfi")
                )
            elif action == "give" and point is not None and cycle is not None:
                card = household.cards.filter(programme=cycle.programme, status="active").first()
                if card is not None:
                    redemption_record(actor=actor, cycle=cycle, point=point, typed=card.code)
                redemption_record(actor=actor, cycle=cycle, point=point, typed="0000-0000-0")

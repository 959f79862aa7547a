"""A person edited at headquarters and at an offline node: merged field by field."""

from django.db import connection

from mawa.core.models import User
from mawa.field import clock
from mawa.field.models import FieldHistory
from mawa.registry.models import Person
from mawa.registry.search import search_person_ids
from mawa.registry.services import person_update
from tests.field.places import files_only
from tests.field.scenario import set_up, sync

pytestmark = files_only
THREE_HOURS = 3 * 3600 * 1000 << clock.SHIFT


def _edit(places, place, person_id, username, **fields):
    with places.use(place):
        person = Person.objects.get(pk=person_id)
        person_update(actor=User.objects.get(username=username), person=person, fields=fields)


def _names(places, place, person_id):
    with places.use(place):
        person = Person.objects.get(pk=person_id)
        return person.given_name_lat, person.family_name_lat


def test_edits_at_two_places_merge_field_by_field_despite_a_slow_clock(places, monkeypatch):
    ids = set_up(places, households=5, nodes=1)
    with places.use("hq"):
        person_id = Person.objects.filter(relationship="head").order_by("pk").first().pk
    operator = ids["operators"][0]
    # The node's clock is three hours slow.
    real_wall = clock.wall

    def wall():
        at_node = "node0" in str(connection.settings_dict["NAME"])
        return real_wall() - (THREE_HOURS if at_node else 0)

    monkeypatch.setattr(clock, "wall", wall)

    _edit(places, "hq", person_id, ids["admin"], given_name_lat="Ahmad")
    _edit(
        places, "node0", person_id, operator, given_name_lat="Ahmed", family_name_lat="Al-Jubouri"
    )
    sync(places, 0, ids)

    # Concurrent edits of the given name: the later time wins (here headquarters', the node's
    # clock being slow); the family name, edited at the node only, is the node's. Both places
    # end the same, and the losing value is kept.
    assert _names(places, "hq", person_id) == ("Ahmad", "Al-Jubouri")
    assert _names(places, "node0", person_id) == ("Ahmad", "Al-Jubouri")
    with places.use("hq"):
        lost = FieldHistory.objects.filter(record=person_id, field="given_name_lat")
        assert "Ahmed" in set(lost.values_list("value", flat=True))
        assert search_person_ids("Al-Jubouri") != []  # the search index follows the merge

    # An edit made at the node after it saw headquarters' comes after it, slow clock or not.
    _edit(places, "node0", person_id, operator, given_name_lat="Ahmed")
    sync(places, 0, ids)
    assert _names(places, "hq", person_id) == ("Ahmed", "Al-Jubouri")
    assert _names(places, "node0", person_id) == ("Ahmed", "Al-Jubouri")

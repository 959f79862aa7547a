"""What a printed ration card shows, read from the registry for `mawa.cards`."""

from mawa.cards import CardData
from mawa.registry.models import Person


def card_data(cards) -> list[CardData]:
    cards = cards.select_related("household__site", "programme").prefetch_related("alternates")
    heads = {
        p.household_id: p
        for p in Person.objects.filter(
            household__in=[c.household_id for c in cards], relationship=Person.HEAD
        )
    }
    sizes = {}
    for household_id in Person.objects.filter(
        household__in=list(heads), merged_into=None
    ).values_list("household_id", flat=True):
        sizes[household_id] = sizes.get(household_id, 0) + 1
    data = []
    for card in cards:
        head = heads.get(card.household_id)
        data.append(
            CardData(
                code=card.code,
                programme=card.programme.name,
                head_name_ar=head.full_name_ar if head else "",
                head_name_lat=head.full_name_lat if head else "",
                household_size=sizes.get(card.household_id, 0),
                site=card.household.site.name,
                issued=card.issued_at.date().isoformat(),
                alternates=tuple((a.name, a.relation) for a in card.alternates.all())[:2],
            )
        )
    return data

"""Loading Iraq's P-coded areas and the camps of early 2017 from the files in core/data."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from mawa.core.models import AdminArea, Site

DATA = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_areas(path: Path = DATA / "iraq_admin.json") -> int:
    """Create or update every governorate, district and sub-district; returns how many."""
    data = json.loads(path.read_text(encoding="utf-8"))
    count = 0

    def upsert(entry: dict, level: int, parent: AdminArea | None) -> AdminArea:
        nonlocal count
        count += 1
        area, _created = AdminArea.objects.update_or_create(
            pcode=entry["pcode"],
            defaults={
                "level": level,
                "parent": parent,
                "name_en": entry["name_en"],
                "name_ar": entry.get("name_ar", ""),
                "name_ckb": entry.get("name_ckb", ""),
                "illustrative": entry.get("illustrative", False),
            },
        )
        return area

    for governorate in data["governorates"]:
        g = upsert(governorate, 1, None)
        for district in governorate.get("districts", []):
            d = upsert(district, 2, g)
            for subdistrict in district.get("subdistricts", []):
                upsert(subdistrict, 3, d)
    return count


@transaction.atomic
def load_camps(path: Path = DATA / "iraq_camps_2017.json") -> int:
    """Create the camps (idempotent: keyed by a slug of the English name)."""
    camps = json.loads(path.read_text(encoding="utf-8"))["camps"]
    areas = {a.pcode: a for a in AdminArea.objects.filter(level=2)}
    for camp in camps:
        households = int(camp.get("capacity_households") or 0)
        Site.objects.update_or_create(
            code=slugify(camp["name_en"])[:40],
            defaults={
                "name_en": camp["name_en"],
                "name_ar": camp.get("name_ar", ""),
                "kind": Site.Kind.CAMP,
                "area": areas[camp["district"]],
                "managing_agency": camp.get("managing_agency", ""),
                "latitude": Decimal(str(camp["lat"])).quantize(Decimal("0.000001")),
                "longitude": Decimal(str(camp["lon"])).quantize(Decimal("0.000001")),
                "capacity_households": households,
                "capacity_people": households * 6,
                "illustrative": camp.get("illustrative", False),
            },
        )
    return len(camps)

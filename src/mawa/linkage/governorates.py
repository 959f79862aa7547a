"""Iraq's governorates in Arabic and their usual Latin spellings, for matching origin.

Governorate cells arrive as نينوى, Ninewa, Nineveh or Ninawa; the cross-script name keys alone
split some of these (the table of personal names does not list places), so each governorate's
forms are listed here and all map to one canonical English name.
"""

from functools import lru_cache

from mawa.namekeys import name_key, normalize, split_name

GOVERNORATES: dict[str, tuple[str, ...]] = {
    "Ninewa": ("نينوى", "نينوا", "Ninewa", "Nineveh", "Ninawa", "Ninava", "Nainawa", "Mosul"),
    "Anbar": ("الأنبار", "الانبار", "Anbar", "Al-Anbar", "Al Anbar", "Anbaar"),
    "Salah al-Din": ("صلاح الدين", "Salah al-Din", "Salahaddin", "Salahuddin", "Salah ad Din"),
    "Kirkuk": ("كركوك", "Kirkuk", "Kerkuk", "Karkuk", "Tameem"),
    "Diyala": ("ديالى", "ديالا", "Diyala", "Diala", "Dyala"),
    "Baghdad": ("بغداد", "Baghdad", "Bagdad"),
    "Babil": ("بابل", "Babil", "Babel", "Babylon"),
    "Basra": ("البصرة", "Basra", "Basrah", "Al-Basra"),
    "Erbil": ("أربيل", "اربيل", "هەولێر", "Erbil", "Arbil", "Irbil", "Hawler"),
    "Duhok": ("دهوك", "Duhok", "Dohuk", "Dahuk", "Dihok"),
    "Sulaymaniyah": ("السليمانية", "Sulaymaniyah", "Sulaimaniya", "Slemani", "Suleimaniyah"),
    "Halabja": ("حلبجة", "Halabja", "Halabjah"),
    "Karbala": ("كربلاء", "كربلا", "Karbala", "Kerbala"),
    "Najaf": ("النجف", "Najaf", "Al-Najaf"),
    "Wasit": ("واسط", "Wasit", "Wassit"),
    "Qadisiyah": ("القادسية", "Qadisiyah", "Qadisiya", "Diwaniya", "Al-Qadisiyyah"),
    "Muthanna": ("المثنى", "Muthanna", "Al-Muthanna", "Samawa"),
    "Dhi Qar": ("ذي قار", "Dhi Qar", "Thi Qar", "Dhiqar", "Nasiriyah"),
    "Maysan": ("ميسان", "Maysan", "Missan", "Misan", "Amarah"),
}


def _key(text: str) -> str:
    return "".join(k for k in (name_key(part) for part in split_name(text)) if k)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, forms in GOVERNORATES.items():
        for form in forms:
            table.setdefault(normalize(form).replace(" ", ""), canonical)
            table.setdefault("k:" + _key(form), canonical)
    return table


def canonical_governorate(text: str) -> str:
    """The canonical English name of a listed governorate, else the text's name key."""
    lookup = _lookup()
    found = lookup.get(normalize(text).replace(" ", ""))
    if found:
        return found
    key = _key(text)
    return lookup.get("k:" + key, key)

"""``compare_records``: the batch model's verdict on one pair, with reasons, in pure Python.

Used at registration to check a new person against candidates fetched from the database. Same
levels and weights as the batch engine (``model.py``), so a pair scores the same both ways.
"""

from mawa.linkage.features import features
from mawa.linkage.model import SPECS, load_model, probability, python_level, weights
from mawa.linkage.types import Comparison, Record

LABELS = {
    "given": "given name",
    "father": "father's name",
    "grandfather": "grandfather's name",
    "family": "family name",
    "mother": "mother's name",
    "governorate": "governorate of origin",
    "id_number": "ID number",
    "phone": "phone number",
    "sex": "sex",
}
DATE_REASONS = {
    "exact": ("birth_date_same", "same birth date"),
    "year_same_weak": (
        "birth_year_same_weak",
        "same birth year, but a year-only or 1 Jan/1 Jul date (weak evidence)",
    ),
    "year_same": ("birth_year_same", "same birth year, different dates"),
    "year_close": ("birth_year_close", "birth year within 1"),
    "year_near_weak": ("birth_year_near_weak", "birth years within 3, one only estimated"),
    "differs": ("birth_differs", "birth years differ"),
    "null": ("birth_missing", "birth date missing on one record"),
}


def _name_reason(name: str, level: str, a: dict, b: dict) -> tuple[str, str]:
    label = LABELS[name]
    if level == "null":
        return f"{name}_missing", f"{label} missing on one record"
    if level == "same":
        if a[name + "_norm"] == b[name + "_norm"]:
            return f"{name}_same", f"same {label}"
        return f"{name}_variant", f"{label} spelled differently (or in the other script)"
    if level == "skeleton":
        return f"{name}_sounds", f"{label} sounds the same (a spelling the name table lacks)"
    if level == "close":
        return f"{name}_similar", f"similar {label}s (possible typo)"
    if level == "swapped":
        return "given_swapped", "given and family names swapped"
    if level == "unsure":
        return "given_unsure", "different given names, but the same document number"
    if name == "given":
        return "given_differs", "different given names (possible siblings)"
    return f"{name}_differs", f"different {label}s"


def _reason(name: str, kind: str, level: str, a: dict, b: dict) -> tuple[str, str]:
    if kind in ("name", "given"):
        return _name_reason(name, level, a, b)
    if kind == "date":
        return DATE_REASONS[level]
    label = LABELS[name]
    if level == "null":
        return f"{name}_missing", f"{label} missing on one record"
    if level == "close":
        return f"{name}_close", f"{label}s differ by one character"
    return f"{name}_{level}", (f"same {label}" if level == "same" else f"different {label}s")


def _named_after_grandfather(a: dict, b: dict, levels: dict[str, str]) -> bool:
    if levels["given"] != "same" or levels["father"] != "differs":
        return False
    return a["given"] in (a["grandfather"], b["grandfather"])


def compare_features(
    a: dict, b: dict, model: dict | None = None, registry_size: int | None = None
) -> Comparison:
    """Score two feature dicts (``features.features``)."""
    prior, table = weights(model or load_model(), registry_size)
    total = prior
    scored: list[tuple[float, str, str]] = []
    levels: dict[str, str] = {}
    for name, kind, column in SPECS:
        level = python_level(kind, column, a, b)
        levels[name] = level
        weight = table[name][level]
        total += weight
        code, text = _reason(name, kind, level, a, b)
        scored.append((weight, code, text))
    scored.sort(key=lambda item: -abs(item[0]))
    if _named_after_grandfather(a, b, levels):
        scored.insert(
            0, (0.0, "named_after_grandfather", "maybe a grandson named after his grandfather")
        )
    return Comparison(
        probability=probability(total),
        reasons=[text for _w, _c, text in scored],
        reason_codes=[code for _w, code, _t in scored],
        match_weight=total,
        levels=levels,
    )


def compare_records(a: Record, b: Record, *, registry_size: int | None = None) -> Comparison:
    """Match probability of two records and the reasons, strongest evidence first.

    ``registry_size`` (records in the registry searched) sets the prior as the batch engine
    does for a run of that many records; without it the model's default prior is used
    (that of a registry of about 200,000)."""
    return compare_features(features(a), features(b), registry_size=registry_size)

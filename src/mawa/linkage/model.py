"""The Fellegi-Sunter model: comparison levels, their m/u parameters, and both executions.

Each comparison puts a pair of records in one level (for a name part: missing, same key,
similar key, different); each level carries m (how often true duplicates fall in it) and u (how
often unrelated records do), loaded from ``data/model.json``. The match weight is the log2 prior
odds plus log2(m/u) summed over comparisons, exactly as Splink computes it.

Levels are defined twice, side by side: ``python_level`` for ``compare_records`` and
``splink_comparisons`` for the batch engine. ``tests/linkage`` checks the two agree pair by pair.
"""

import json
import math
import os
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein

from mawa.namekeys.grade import CLOSE_JW, MIN_FUZZY, SPELLING_JW, close

MODEL_PATH = Path(__file__).with_name("data") / "model.json"
MODEL_ENV = "MAWA_LINKAGE_MODEL"  # another model file (the benchmark's held-out fits)
JW_THRESHOLD = CLOSE_JW  # skeleton similarity above which two spellings are "close"

# (comparison, kind, feature column)
SPECS: tuple[tuple[str, str, str], ...] = (
    ("given", "given", "given"),
    ("father", "name", "father"),
    ("grandfather", "name", "grandfather"),
    ("family", "name", "family"),
    ("mother", "name", "mother"),
    ("birth", "date", "birth_year"),
    ("sex", "exact", "sex"),
    ("governorate", "exact", "governorate"),
    ("id_number", "id", "id_number"),
    ("phone", "exact", "phone"),
)
LEVELS = {
    # same key; same table-free skeleton; close skeletons; "unsure": a given name that differs
    # on records sharing a strong identifier (see strong_id); different names.
    "name": ("null", "same", "skeleton", "close", "differs"),
    # "swapped": given and family names typed in each other's cells
    "given": ("null", "same", "swapped", "skeleton", "close", "unsure", "differs"),
    "date": (
        "null",
        "exact",
        "year_same_weak",
        "year_same",
        "year_close",
        "year_near_weak",
        "differs",
    ),
    "exact": ("null", "same", "differs"),
    "id": ("null", "same", "close", "differs"),
}


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> dict:
    """The model file: prior, and for each comparison each level's [m, u]."""
    path = path or os.environ.get(MODEL_ENV) or MODEL_PATH
    return json.loads(Path(path).read_text(encoding="utf-8"))


def prior(model: dict, registry_size: int | None = None) -> float:
    """Probability that two random records match. It shrinks as the registry grows (each
    person has the same few duplicates however many others there are): the model's
    ``duplicate_pairs_per_record`` over the registry size, or the model's default."""
    if not registry_size:
        return model["probability_two_random_records_match"]
    per_record = model["duplicate_pairs_per_record"]
    return min(0.5, per_record / max(registry_size, 1000))


def weights(
    model: dict | None = None, registry_size: int | None = None
) -> tuple[float, dict[str, dict[str, float]]]:
    """(log2 prior odds, comparison -> level -> log2(m/u)); null levels weigh 0. Remembered
    per model object (``load_model`` returns the same one) and registry size."""
    model = model or load_model()
    key = (id(model), registry_size)
    cached = _WEIGHTS.get(key)
    if cached is not None and cached[0] is model:
        return cached[1]
    lam = prior(model, registry_size)
    table: dict[str, dict[str, float]] = {}
    for name, kind, _column in SPECS:
        params = model["comparisons"][name]
        table[name] = {"null": 0.0}
        for level in LEVELS[kind][1:]:
            m, u = params[level]
            table[name][level] = math.log2(m / u)
    result = (math.log2(lam / (1 - lam)), table)
    if len(_WEIGHTS) > 64:
        _WEIGHTS.clear()
    _WEIGHTS[key] = (model, result)
    return result


_WEIGHTS: dict = {}


def probability(weight: float) -> float:
    """Match probability from a match weight (log2 odds)."""
    if weight > 60:
        return 1.0
    odds = 2.0**weight
    return odds / (1.0 + odds)


def compatible(a: dict, b: dict) -> bool:
    """Sex and birth year do not rule out one person: equal or missing sex, and birth years
    within 1 (within 3 when one is only estimated)."""
    if a["sex"] is not None and b["sex"] is not None and a["sex"] != b["sex"]:
        return False
    ya, yb = a["birth_year"], b["birth_year"]
    if ya is None or yb is None:
        return True
    gap = abs(ya - yb)
    return gap <= 1 or (gap <= 3 and (a["birth_weak"] or b["birth_weak"]))


def _generic(a: dict, b: dict) -> bool:
    """Both records lack the name chain (FEBRL-like): short names may be fuzzy-matched."""
    return a.get("generic") == "g" and b.get("generic") == "g"


def strong_id(a: dict, b: dict) -> bool:
    """The same ID or card number on two records whose sex and birth year fit one person."""
    return a["id_number"] is not None and a["id_number"] == b["id_number"] and compatible(a, b)


def _name_level(a: dict, b: dict, column: str, given: bool = False) -> str:
    ka, kb = a[column], b[column]
    if ka is None or kb is None:
        return "null"
    known = a[column + "_known"] and b[column + "_known"]
    la, lb = a[column + "_loose"], b[column + "_loose"]
    if ka == kb and (not given or known or (la is not None and la == lb)):
        return "same"  # an unlisted given name's key is a guess: its skeleton must agree too
    if given and ka == b["family"] and kb == a["family"]:
        return "swapped"
    if known:
        return "differs"  # two different listed names: not a spelling slip
    sa, sb = a[column + "_skel"], b[column + "_skel"]
    short_ok = not given or _generic(a, b)  # only given names tell siblings apart
    if sa is not None and sa == sb:
        return "skeleton"
    if (
        sa is not None
        and sb is not None
        and close(sa, sb, la, lb, a[column + "_norm"], b[column + "_norm"], short_ok)
    ):
        return "close"
    if given and strong_id(a, b):
        return "unsure"
    return "differs"


def _date_level(a: dict, b: dict) -> str:
    ya, yb = a["birth_year"], b["birth_year"]
    if ya is None or yb is None:
        return "null"
    weak = a["birth_weak"] or b["birth_weak"]
    if a["birth_full"] is not None and a["birth_full"] == b["birth_full"] and not weak:
        return "exact"
    gap = abs(ya - yb)
    if gap == 0:
        return "year_same_weak" if weak else "year_same"
    if gap <= 1:
        return "year_close"
    if gap <= 3 and weak:
        return "year_near_weak"
    return "differs"


def _id_level(a: dict, b: dict, column: str) -> str:
    va, vb = a[column], b[column]
    if va is None or vb is None:
        return "null"
    if va == vb:
        return "same"
    if min(len(va), len(vb)) >= 6 and DamerauLevenshtein.distance(va, vb) <= 1:
        return "close"
    return "differs"


def python_level(kind: str, column: str, a: dict, b: dict) -> str:
    """The level two feature dicts (see ``features.features``) fall in for one comparison."""
    if kind in ("name", "given"):
        return _name_level(a, b, column, kind == "given")
    if kind == "date":
        return _date_level(a, b)
    if kind == "id":
        return _id_level(a, b, column)
    va, vb = a[column], b[column]
    if va is None or vb is None:
        return "null"
    return "same" if va == vb else "differs"


_GAP = "abs(birth_year_l - birth_year_r)"
COMPATIBLE_SQL = (
    "(sex_l IS NULL OR sex_r IS NULL OR sex_l = sex_r) AND (birth_year_l IS NULL OR "
    f"birth_year_r IS NULL OR {_GAP} <= 1 OR ({_GAP} <= 3 AND (birth_weak_l OR birth_weak_r)))"
)
STRONG_ID_SQL = f"id_number_l = id_number_r AND {COMPATIBLE_SQL}"


# --- the same levels for Splink (dialect-neutral SQL, or Splink's own level creators) ---


def _level_sql(kind: str, column: str) -> list[tuple[str, object]]:
    """(level, SQL condition or Splink level creator) in evaluation order, null first."""
    import splink.comparison_level_library as cll  # noqa: PLC0415 - batch only

    c = column
    null = f"{c}_l IS NULL OR {c}_r IS NULL"
    if kind in ("name", "given"):
        not_both_known = f"NOT ({c}_known_l AND {c}_known_r)"
        long_enough = (
            f"(length({c}_skel_l) >= {MIN_FUZZY} AND length({c}_skel_r) >= {MIN_FUZZY}) "
            "OR (generic_l = 'g' AND generic_r = 'g')"
        )
        fuzzy = cll.Or(
            cll.JaroWinklerLevel(f"{c}_skel", JW_THRESHOLD),
            cll.JaroWinklerLevel(f"{c}_norm", SPELLING_JW),
        )
        close_sql = cll.Or(
            cll.CustomLevel(f"{c}_loose_l = {c}_loose_r"),
            cll.And(cll.CustomLevel(long_enough), fuzzy) if kind == "given" else fuzzy,
        )
        same = f"{c}_l = {c}_r"
        if kind == "given":  # siblings differ only here: an unlisted name's key is a guess
            same += f" AND (({c}_known_l AND {c}_known_r) OR {c}_loose_l = {c}_loose_r)"
        levels = [("null", null), ("same", same)]
        if kind == "given":
            levels.append(("swapped", "given_l = family_r AND family_l = given_r"))
        levels += [
            ("skeleton", f"{not_both_known} AND {c}_skel_l = {c}_skel_r"),
            ("close", cll.And(cll.CustomLevel(not_both_known), close_sql)),
        ]
        if kind == "given":
            levels.append(("unsure", f"{not_both_known} AND {STRONG_ID_SQL}"))
        return levels
    if kind == "date":
        weak = "(birth_weak_l OR birth_weak_r)"
        gap = "abs(birth_year_l - birth_year_r)"
        return [
            ("null", null),
            ("exact", f"birth_full_l = birth_full_r AND NOT {weak}"),
            ("year_same_weak", f"birth_year_l = birth_year_r AND {weak}"),
            ("year_same", "birth_year_l = birth_year_r"),
            ("year_close", f"{gap} <= 1"),
            ("year_near_weak", f"{gap} <= 3 AND {weak}"),
        ]
    if kind == "id":
        long_enough = cll.CustomLevel(f"length({c}_l) >= 6 AND length({c}_r) >= 6")
        return [
            ("null", null),
            ("same", f"{c}_l = {c}_r"),
            ("close", cll.And(long_enough, cll.DamerauLevenshteinLevel(c, 1))),
        ]
    return [("null", null), ("same", f"{c}_l = {c}_r")]


def splink_comparisons(model: dict | None = None) -> list:
    """Splink comparisons with the model's m/u, for any Splink backend."""
    import splink.comparison_level_library as cll  # noqa: PLC0415 - batch only
    import splink.comparison_library as cl  # noqa: PLC0415 - batch only

    model = model or load_model()
    comparisons = []
    for name, kind, column in SPECS:
        params = model["comparisons"][name]
        levels = []
        for level, condition in _level_sql(kind, column):
            creator = cll.CustomLevel(condition) if isinstance(condition, str) else condition
            if level == "null":
                creator.configure(is_null_level=True, label_for_charts=f"{name} missing")
            else:
                m, u = params[level]
                creator.configure(m_probability=m, u_probability=u, label_for_charts=level)
            levels.append(creator)
        m, u = params[LEVELS[kind][-1]]
        levels.append(
            cll.ElseLevel().configure(m_probability=m, u_probability=u, label_for_charts="differs")
        )
        comparisons.append(cl.CustomComparison(levels, output_column_name=name))
    return comparisons

"""Estimate the model's m/u parameters and write src/mawa/linkage/data/model.json.

m (share of true duplicate pairs in each level) is counted over all pairs of records of the same
person, u (share of unrelated pairs) over random pairs, on a generated training set whose seed
differs from the benchmark's. Then the hand-set parts are applied (see HAND_SET): the
generator is our assumption about registries, so the fitted numbers are a start, not truth.

    .venv/bin/python bench/dedup/fit.py [--records 60000] [--seed 7]
"""

import argparse
import json
import random
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from mawa.linkage.features import features
from mawa.linkage.model import LEVELS, MODEL_PATH, SPECS, python_level
from mawa.linkage.synthetic import generate

# Hand-set, with the reason written into the model file.
HAND_SET = {
    ("given", "differs", "m"): (
        1e-12,
        "m of a different given name is set by hand far below its fitted value (about 2% of "
        "true duplicates, mostly unreadable typos), to about -40 bits: brothers, sisters and "
        "twins share every other field, so only a decisive weight keeps them apart (the "
        "must-not-merge rule); a duplicate with a mangled given name is lost rather than a "
        "sibling erased",
    ),
    ("given", "unsure", "m"): (
        0.01,
        "given.unsure (a given name neither listed, alike nor close on two records with the "
        "same ID number and a sex and birth year that fit) is set by hand to about -2 bits: "
        "the generator's duplicates never show it, and a spelling the table lacks must not "
        "outweigh a shared document, while conflicting documents still weigh against",
    ),
    ("given", "unsure", "u"): (0.04, "given.unsure.u: see given.unsure.m"),
    ("given", "swapped", "m"): (
        0.003,
        "given.swapped (the given name of one record is the family name of the other and the "
        "other way round) is set by hand to about +15 bits, making up for the family "
        "comparison's 'differs': the generator never swaps them, clerks and FEBRL do",
    ),
    ("given", "swapped", "u"): (1e-7, "given.swapped.u: see given.swapped.m"),
    ("id_number", "differs", "m"): (
        0.01,
        "m of different ID numbers is raised by hand from its fitted value (the generator only "
        "mistypes one digit, the close level) to 1%, about -6.6 bits: numbers are copied "
        "wrongly, or from another document, more often than that; they still weigh against",
    ),
    ("birth", "differs", "m"): (
        0.01,
        "m of birth years more than 3 apart is raised by hand from its fitted value to 1%, "
        "about -6.5 bits: a mistyped year (1950 for 1923) is not proof of two people when the "
        "names and a document agree; siblings are kept apart by the given name, not the year",
    ),
    ("id_number", "same", "u"): (
        1e-4,
        "u of the same ID number is raised from its fitted value: relatives are sometimes "
        "registered under one card (the head's), which random pairs never show",
    ),
    ("phone", "same", "u"): (
        1e-3,
        "u of the same phone is raised from its fitted value: a household shares one phone, "
        "so siblings and parents agree on it far more often than random pairs",
    ),
}
PRIOR = 1e-6
PER_RECORD = 0.2
PRIOR_NOTE = (
    "the prior is duplicate_pairs_per_record / registry size (the batch engine knows the size; "
    "compare_records takes it as registry_size), else probability_two_random_records_match, "
    "that of a registry of 200,000; set by hand, not re-estimated per run, so that a pair "
    "scores the same in compare_records and in the batch engine"
)


def level_counts(feats: list[dict], pairs) -> dict[str, Counter]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for i, j in pairs:
        for name, kind, column in SPECS:
            counts[name][python_level(kind, column, feats[i], feats[j])] += 1
    return counts


def shares(counts: Counter, kind: str, pseudo: float) -> dict[str, float]:
    levels = LEVELS[kind][1:]
    total = sum(counts[level] for level in levels) + pseudo * len(levels)
    return {level: (counts[level] + pseudo) / total for level in levels}


def fit(records: int, seed: int, random_pairs: int, names_path=None) -> dict:
    """The model fitted on generated records (names drawn from ``names_path``, default the
    built-in table) with the name table that is active."""
    data = generate(records, seed=seed, names_path=names_path)
    feats = [features(r) for r in data.records]
    index = {r.id: i for i, r in enumerate(data.records)}
    by_person: dict[str, list[int]] = defaultdict(list)
    for record_id, person in data.truth.items():
        by_person[person].append(index[record_id])
    true_pairs = [p for group in by_person.values() for p in combinations(group, 2)]
    rng = random.Random(seed)
    truth = [data.truth[r.id] for r in data.records]
    random_sample = []
    while len(random_sample) < random_pairs:
        i, j = rng.randrange(len(feats)), rng.randrange(len(feats))
        if i != j and truth[i] != truth[j]:
            random_sample.append((i, j))
    m_counts = level_counts(feats, true_pairs)
    u_counts = level_counts(feats, random_sample)
    comparisons = {}
    notes = [PRIOR_NOTE]
    for name, kind, _column in SPECS:
        m = shares(m_counts[name], kind, 1.0)
        u = shares(u_counts[name], kind, 0.5)
        params = {}
        for level in LEVELS[kind][1:]:
            values = {"m": m[level], "u": u[level]}
            for which in ("m", "u"):
                if (name, level, which) in HAND_SET:
                    values[which], note = HAND_SET[name, level, which]
                    notes.append(f"{name}.{level}.{which}: {note}")
            params[level] = [float(f"{values['m']:.4g}"), float(f"{values['u']:.4g}")]
        comparisons[name] = params
    return {
        "version": 1,
        "notes": notes,
        "fitted_on": f"mawa.linkage.synthetic seed {seed}, {records} records"
        + (f" named from {Path(names_path).name}" if names_path else "")
        + ": m over "
        f"{len(true_pairs)} true pairs, u over {random_pairs} random pairs",
        "probability_two_random_records_match": PRIOR,
        "duplicate_pairs_per_record": PER_RECORD,
        "comparisons": comparisons,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--random-pairs", type=int, default=400_000)
    args = parser.parse_args()
    model = fit(args.records, args.seed, args.random_pairs)
    text = json.dumps(model, indent=1, ensure_ascii=False)
    MODEL_PATH.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

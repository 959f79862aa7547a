"""Priority: the published score, the reasons, and the reproducible tie-break."""

import dataclasses
import hashlib
import random

from mawa.planning import DEFAULT_RULES, PriorityRules, plan_distribution
from mawa.planning.priority import tie_value
from tests.planning.factory import big_schedule, hh

PLENTY = {"RICE": 10_000.0}


def plan(candidates, rules=DEFAULT_RULES, seed="cycle-7", stock=None):
    return plan_distribution(
        candidates, stock or PLENTY, rules=rules, schedule=big_schedule(), cycle_seed=seed
    )


def test_order_scores_and_reasons():
    people = [
        hh("D", size=1, days=0),  # 2 points for one person
        hh("C", size=12, days=10, days_since_arrival=5),  # 5 + new arrival 10 + 20 (capped)
        hh("A", size=7, days=62, needs=frozenset({"ER", "DS"})),  # 20 + 15 + 31 + 14
        hh("B", size=3, days=None),  # never assisted 45 + 6
    ]
    placements = plan(people).placements
    assert [(p.household_id, p.rank, p.score) for p in placements] == [
        ("A", 1, 80.0),
        ("B", 2, 51.0),
        ("C", 3, 35.0),
        ("D", 4, 2.0),
    ]
    a, b, c, d = placements
    assert a.reason.startswith(
        "priority 1: disability, older person at risk; not assisted for 62 days; 7 people; "
        "served on 2025-03-02 at 08:00, lane 1"
    )
    assert a.reason_codes == [
        "need:DS",
        "need:ER",
        "days_since_assistance:62",
        "size:7",
        "served",
    ]
    assert b.reason.startswith("priority 2: never assisted; 3 people; served")
    assert "never_assisted" in b.reason_codes
    assert c.reason.startswith(
        "priority 3: not assisted for 10 days; arrived 5 days ago; 12 people"
    )
    assert "new_arrival" in c.reason_codes
    assert d.reason.startswith("priority 4: assisted today; 1 person")


def test_sub_codes_count_once_per_category_and_unknown_codes_are_ignored():
    two_disabilities = hh("X", size=1, days=0, needs=frozenset({"DS-BD", "DS-DF"}))
    unknown = hh("Y", size=1, days=0, needs=frozenset({"ZZ"}))
    x, y = plan([two_disabilities, unknown]).placements
    assert x.score == 20.0 + 2.0
    assert x.reason.startswith("priority 1: disability; assisted today; 1 person")
    assert y.score == 2.0
    assert y.reason.startswith("priority 2: assisted today")


def test_weights_are_configurable():
    rules = dataclasses.replace(DEFAULT_RULES, per_person=10.0, max_size_points=100.0)
    people = [hh("needs", size=1, needs=frozenset({"SC"})), hh("large", size=6)]
    assert [p.household_id for p in plan(people).placements] == ["needs", "large"]
    assert [p.household_id for p in plan(people, rules).placements] == ["large", "needs"]


def test_tie_break_follows_the_published_sha256_rule():
    people = [hh(f"H{n}", tie_key=f"CARD-{n:03d}") for n in range(20)]
    ranked = [p.household_id for p in plan(people, seed="2025-03 Hasansham").placements]

    def published(n):
        return hashlib.sha256(f"2025-03 HasanshamCARD-{n:03d}".encode()).hexdigest()

    assert ranked == [f"H{n}" for n in sorted(range(20), key=published)]
    assert tie_value(DEFAULT_RULES, "2025-03 Hasansham", people[0]) == published(0)


def test_tie_break_is_independent_of_input_order_and_changes_with_the_seed():
    people = [hh(f"H{n}", tie_key=f"K{n}") for n in range(50)]
    first = plan(people).placements
    shuffled = people[:]
    random.Random(4).shuffle(shuffled)
    assert plan(shuffled).placements == first
    assert [p.household_id for p in plan(people, seed="cycle-8").placements] != [
        p.household_id for p in first
    ]


def test_tie_is_explained_and_blank_tie_key_uses_household_id():
    people = [hh("H1"), hh("H2"), hh("solo", size=9)]
    solo, *tied = plan(people).placements
    assert "same score" not in solo.reason and "tie" not in solo.reason_codes
    for p in tied:
        assert "same score as 1 other household, order drawn by the published rule" in p.reason
        assert "tie" in p.reason_codes
    expected = sorted(["H1", "H2"], key=lambda h: hashlib.sha256(f"cycle-7{h}".encode()).digest())
    assert [p.household_id for p in tied] == expected


def test_tie_key_rule():
    rules = dataclasses.replace(DEFAULT_RULES, tie_break="tie_key")
    people = [hh("a", tie_key="C"), hh("b", tie_key="A"), hh("c", tie_key="B")]
    assert [p.household_id for p in plan(people, rules).placements] == ["b", "c", "a"]


def test_ranking_matches_the_documented_formula():
    rng = random.Random(11)
    codes = ["SC", "SM", "DS", "WR", "ER", "SV", "CR", "SP", "FU"]
    people = [
        hh(
            f"H{n}",
            size=rng.randint(1, 14),
            days=rng.choice([None, *range(0, 200, 7)]),
            days_since_arrival=rng.randint(0, 60),
            needs=frozenset(rng.sample(codes, rng.randint(0, 2))),
            tie_key=f"{rng.randrange(10**6):06d}",
        )
        for n in range(300)
    ]
    r = DEFAULT_RULES

    def score(c):
        days = c.days_since_assistance
        total = sum(r.need_weights[k] for k in c.needs)
        total += r.never_assisted_bonus if days is None else r.per_day_since_assistance * days
        total += r.new_arrival_bonus if c.days_since_arrival <= r.new_arrival_days else 0
        return round(total + min(r.per_person * c.size, r.max_size_points), 4)

    def key(c):
        return (-score(c), hashlib.sha256(f"s{c.tie_key}".encode()).hexdigest())

    placements = plan(people, seed="s").placements
    assert [p.household_id for p in placements] == [c.household_id for c in sorted(people, key=key)]
    assert [p.score for p in placements] == [score(c) for c in sorted(people, key=key)]


def test_rules_are_described_for_publication():
    text = DEFAULT_RULES.describe()
    assert "unaccompanied or separated child 25" in text
    assert "0.5 per day since the last assistance (45 if never assisted)" in text
    assert "SHA-256" in text
    assert PriorityRules() == DEFAULT_RULES

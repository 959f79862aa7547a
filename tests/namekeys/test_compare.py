"""part_similarity and align_parts."""

from mawa.namekeys import align_parts, part_similarity


def test_similarity_bounds_and_identity():
    assert part_similarity("Hussein", "حسين") == 1.0
    assert part_similarity("Jubouri", "الجبوري") == 1.0
    assert part_similarity("", "Ali") == 0.0
    for a, b in [("Hussein", "Hassan"), ("Ali", "Zainab"), ("x", "محمد")]:
        assert 0.0 <= part_similarity(a, b) < 1.0


def test_known_different_names_score_below_spelling_slips():
    slip = part_similarity("Zarzour", "Zarzor")  # unlisted, a vowel apart
    typo = part_similarity("Muhammed", "Muhamed")
    assert slip == typo == 1.0
    assert part_similarity("Hussein", "Hassan") < 0.75
    assert part_similarity("Mashakhil", "Mashakhli") > 0.8  # unlisted, close


def test_dropped_grandfather():
    a = ["Ali", "Hassan", "Jubouri"]
    b = ["علي", "حسن", "كاظم", "الجبوري"]
    assert align_parts(a, b) == [(0, 0, 1.0), (1, 1, 1.0), (None, 2, 0.0), (2, 3, 1.0)]


def test_dropped_family_name():
    a = ["Ali", "Hassan", "Kadhim"]
    b = ["علي", "حسن", "كاظم", "الجبوري"]
    assert align_parts(a, b) == [(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0), (None, 3, 0.0)]


def test_unknown_third_part_prefers_the_family_slot():
    pairs = align_parts(["Ali", "Hassan", "Obeidi"], ["Ali", "Hassan", "Kadhim", "Jubouri"])
    assert pairs[:2] == [(0, 0, 1.0), (1, 1, 1.0)]
    assert (None, 2, 0.0) in pairs and any(p[:2] == (2, 3) for p in pairs)


def test_empty_part_is_not_matched():
    pairs = align_parts(["Ali", "Hassan", "", "Jubouri"], ["Ali", "Hassan", "Kadhim", "Jubouri"])
    assert (2, None, 0.0) in pairs and (None, 2, 0.0) in pairs
    assert (3, 3, 1.0) in pairs


def test_same_length_aligns_position_by_position():
    pairs = align_parts(["Ali", "Hassan", "Jasim"], ["Ali", "Hussein", "Jasim"])
    assert [p[:2] for p in pairs] == [(0, 0), (1, 1), (2, 2)]
    assert pairs[1][2] < 1.0


def test_every_index_appears_once():
    a, b = ["Ali", "", "Hassan"], ["Zainab", "Ali", "Hassan", "Kadhim", "Jubouri"]
    pairs = align_parts(a, b)
    assert sorted(p[0] for p in pairs if p[0] is not None) == [0, 1, 2]
    assert sorted(p[1] for p in pairs if p[1] is not None) == [0, 1, 2, 3, 4]
    assert align_parts([], []) == []
    assert align_parts(["Ali"], []) == [(0, None, 0.0)]

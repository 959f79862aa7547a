"""Property tests: normalisation is idempotent and nothing raises on any Unicode text."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from mawa.namekeys import (
    align_parts,
    name_key,
    name_keys,
    normalize,
    normalize_arabic,
    normalize_latin,
    part_similarity,
    search_tokens,
    split_name,
)
from mawa.namekeys.latin import fold_latin

# Name-like text: Arabic block, Latin with accents, combining marks, Kurdish and presentation
# forms, separators; st.text() alone rarely produces Arabic.
ALPHABET = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0x0020, max_codepoint=0x024F),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.sampled_from(list("ئەێۆڵڕکیپچژگڤ ‌‍-'ʿ")),
)
NAMEY = st.text(ALPHABET, max_size=40)
ANY = st.one_of(st.text(), NAMEY)


@settings(max_examples=600)
@given(ANY)
def test_normalize_is_idempotent(text):
    for func in (normalize, normalize_arabic, normalize_latin):
        once = func(text)
        assert func(once) == once


@settings(max_examples=300)
@given(ANY)
def test_normalize_output_is_clean(text):
    result = normalize(text)
    assert result == result.strip() and "  " not in result
    assert not any(unicodedata.category(c) in ("Mn", "Me", "Cf") for c in result)


@settings(max_examples=300)
@given(st.text(st.characters(max_codepoint=0x7F)) | st.text(st.characters(max_codepoint=0x6FF)))
def test_ascii_fast_path_matches_general_path(text):
    # The ASCII shortcut must give what the Unicode path gives.
    assert fold_latin(text) == fold_latin(text + "é")[: len(fold_latin(text))]


@settings(max_examples=400)
@given(ANY)
def test_keys_and_tokens_never_raise(text):
    assert isinstance(name_key(text), str)
    assert all(isinstance(k, str) for k in name_keys(text))
    tokens = search_tokens(text)
    assert all(t for t in tokens)
    for part in split_name(text):
        assert search_tokens(part) <= tokens | search_tokens(part)


@settings(max_examples=300)
@given(NAMEY)
def test_a_query_meets_what_was_stored(text):
    stored = search_tokens(text)
    for part in split_name(text):
        if search_tokens(part):
            assert search_tokens(part) & stored


@settings(max_examples=200)
@given(NAMEY, NAMEY)
def test_similarity_in_range(a, b):
    score = part_similarity(a, b)
    assert 0.0 <= score <= 1.0
    if name_key(a) and name_key(a) == name_key(b):
        assert score == 1.0


@settings(max_examples=100)
@given(st.lists(NAMEY, max_size=5), st.lists(NAMEY, max_size=5))
def test_alignment_covers_every_part_once(a, b):
    pairs = align_parts(a, b)
    assert [p[0] for p in pairs if p[0] is not None] == list(range(len(a)))
    assert [p[1] for p in pairs if p[1] is not None] == list(range(len(b)))
    assert all(0.0 <= p[2] <= 1.0 for p in pairs)


@settings(max_examples=300)
@given(NAMEY)
def test_normalised_spelling_has_the_same_key(text):
    assert name_key(normalize(text)) == name_key(text)


@settings(max_examples=300, deadline=None)
@given(NAMEY, NAMEY)
def test_grade_never_raises_and_is_symmetric(a, b):
    from mawa.namekeys.grade import grade, loose_key, skeleton_key

    level = grade(a, b)
    assert level in ("", "same", "skeleton", "close", "differs")
    assert grade(b, a) == level
    assert isinstance(loose_key(skeleton_key(a)), str)
    if a.strip() and name_key(a):
        assert grade(a, a) == "same"

"""Public keys: ``name_key``, ``name_keys`` and ``search_tokens``.

Hand-written glue over the hand-written parts (see ``skeleton.py`` and ``table.py`` for why no
library fits): normalise, consult the active name table, fall back to the skeleton rules, and
memoise, since a registry re-indexes a million people with a few thousand distinct name parts.
"""

from functools import lru_cache

from mawa.namekeys.elements import split_name
from mawa.namekeys.normal import normalize
from mawa.namekeys.skeleton import content_words, part_key
from mawa.namekeys.table import get_table, on_change

KEY_PREFIX = "k:"  # search tokens that are cross-script keys, not spellings


@lru_cache(maxsize=1 << 18)
def key_info(part: str) -> tuple[str, bool]:
    """(key, known) for one name part: known when the table (or compound rules) recognised it."""
    return part_key(normalize(part), get_table())


def name_key(part: str) -> str:
    """Script-independent key of ONE name part: محمد, Mohammed, Muhammad -> 'mhmd';
    الجبوري, al-Jubouri, Aljuboori -> 'jbry'; '' for a part with no letters or digits."""
    return key_info(part)[0]


def name_keys(text: str) -> list[str]:
    """Keys of each part of a full name (``split_name`` then ``name_key``)."""
    return [name_key(part) for part in split_name(text)]


def search_tokens(text: str) -> set[str]:
    """Tokens a search index stores for a name (one field or a full name), and that a query
    is turned into: per part, its normalised form without spaces, the same without the
    article (al-Jubouri also gives 'jubouri'), and 'k:' + its cross-script key. So
    'Mohammed', 'محمد' and 'muhammad' share 'k:mhmd'."""
    return set(_search_tokens(text))


@lru_cache(maxsize=1 << 16)
def _search_tokens(text: str) -> frozenset[str]:
    tokens: set[str] = set()
    for part in split_name(text):
        normalised = normalize(part)
        if not normalised:
            continue
        tokens.add(normalised.replace(" ", ""))
        tokens.add("".join(content_words(normalised)))
        key = name_key(part)
        if key:
            tokens.add(KEY_PREFIX + key)
    tokens.discard("")
    return frozenset(tokens)


def clear_caches() -> None:
    """Forget memoised keys; done automatically when ``load_table`` activates a table."""
    key_info.cache_clear()
    _search_tokens.cache_clear()


on_change(clear_caches)

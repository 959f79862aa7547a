"""Cross-script keys for Iraqi names (Arabic script and the many Latin spellings).

Pure Python, no Django and no other mawa module: other apps import this, it imports none of
them. Hand-written because no library does Arabic cross-script name keys well (see each
module's docstring for what the alternatives get wrong).

- ``normalize``, ``normalize_arabic``, ``normalize_latin``, ``to_ascii_digits``: script-
  preserving forms for comparison and search.
- ``split_name``: a full name to its parts, compounds (عبد الله, Abd al-Rahman) kept whole.
- ``name_key`` / ``name_keys``: one key per part, the same for محمد, Mohammed and Muhammad.
- ``search_tokens``: what a search index stores for a name and a query is turned into.
- ``part_similarity`` / ``align_parts``: compare two names part by part.
- ``load_table``: the curated name table (``data/names.csv``), extendable by file or by the
  MAWA_NAME_TABLE environment variable.
"""

from mawa.namekeys.arabic import normalize_arabic
from mawa.namekeys.compare import align_parts, part_similarity
from mawa.namekeys.digits import to_ascii_digits
from mawa.namekeys.elements import split_name
from mawa.namekeys.keys import KEY_PREFIX, clear_caches, name_key, name_keys, search_tokens
from mawa.namekeys.latin import normalize_latin
from mawa.namekeys.normal import normalize
from mawa.namekeys.table import ENV_VAR, NameTable, get_table, load_table

__all__ = [
    "ENV_VAR",
    "KEY_PREFIX",
    "NameTable",
    "align_parts",
    "clear_caches",
    "get_table",
    "load_table",
    "name_key",
    "name_keys",
    "normalize",
    "normalize_arabic",
    "normalize_latin",
    "part_similarity",
    "search_tokens",
    "split_name",
    "to_ascii_digits",
]

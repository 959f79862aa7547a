"""The Arabic and Kurdish catalogues are complete, and the compiled .mo files match the .po."""

import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "mawa" / "locale"


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: enough to see each entry's msgid, msgstr(s) and flags."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_catalogue_is_complete(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 150
    untranslated = [
        e["msgid"] for e in entries if not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_compiled_catalogue_matches_the_po(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    compiled = {k[0] if isinstance(k, tuple) else k for k in catalog}
    compiled = {k.split("\x04")[-1] for k in compiled}
    for entry in parse_po(folder / "django.po"):
        assert entry["msgid"] in compiled, entry["msgid"]

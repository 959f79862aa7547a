"""The feedback app's own Arabic and Kurdish catalogue is complete and compiled."""

import gettext
from pathlib import Path

import pytest

from tests.core.test_translations import parse_po

LOCALE = Path(__file__).resolve().parents[2] / "src" / "mawa" / "feedback" / "locale"


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_feedback_catalogue_is_complete_and_compiled(language):
    folder = LOCALE / language / "LC_MESSAGES"
    entries = parse_po(folder / "django.po")
    assert len(entries) > 100
    untranslated = [
        e["msgid"] for e in entries if not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []
    with (folder / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    compiled = {k[0] if isinstance(k, tuple) else k for k in catalog}
    for entry in entries:
        assert entry["msgid"] in compiled, entry["msgid"]

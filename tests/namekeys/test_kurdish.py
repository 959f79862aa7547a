"""The Kurdish, Yazidi, Turkmen and Christian rows of the table, across scripts."""

import pytest

from mawa.namekeys import name_key

SAME = [
    ("Hêmin", "هێمن", "هيمن"),  # Hawar ê, Sorani ێ
    ("Karwan", "کاروان", "Kerwan"),
    ("Şîrîn", "شیرین", "Shirin"),  # Hawar ş î
    ("Bextiyar", "بەختیار", "بختيار"),  # Sorani ە inside a word, Hawar x = kh
    ("Berivan", "بێریڤان", "Bêrîvan"),  # ڤ = v
    ("Rojan", "ڕۆژان", "Rozhan"),  # ڕ ۆ ژ
    ("Gulale", "گوڵاڵە", "Gulala"),  # گ ڵ, final ە
    ("Koçer", "کۆچەر", "Kochar"),  # ç = چ
    ("Doskî", "دۆسکی", "Al-Doski"),
    ("Youkhana", "يوخنا", "Yukhana"),
    ("Shamoon", "شمعون", "Shimon"),
    ("Gewargis", "كوركيس", "Gorgis"),
]


@pytest.mark.parametrize("forms", SAME)
def test_one_key_across_scripts(forms):
    keys = {name_key(form) for form in forms}
    assert len(keys) == 1, {form: name_key(form) for form in forms}


def test_kurdish_names_stay_apart():
    assert name_key("Hêmin") != name_key("Hama")
    assert name_key("Rebwar") != name_key("Rezgar")

"""split_name: compounds are one part, connectors are dropped."""

import pytest

from mawa.namekeys import split_name


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Ali Hassan Kadhim Al-Jubouri", ["Ali", "Hassan", "Kadhim", "Al-Jubouri"]),
        ("Ali Hassan Al Jubouri", ["Ali", "Hassan", "Al Jubouri"]),
        ("Abd al-Rahman Ali", ["Abd al-Rahman", "Ali"]),
        ("Abd Al Rahman Ali", ["Abd Al Rahman", "Ali"]),
        ("Abdul Hussein Ali", ["Abdul Hussein", "Ali"]),
        ("Abdel Karim Ali", ["Abdel Karim", "Ali"]),
        ("Abd Allah Ali", ["Abd Allah", "Ali"]),
        ("Abdullah Ali", ["Abdullah", "Ali"]),
        ("Abu Bakr Omar", ["Abu Bakr", "Omar"]),
        ("Nur al-Din Zangi", ["Nur al-Din", "Zangi"]),
        ("Nur al Din Zangi", ["Nur al Din", "Zangi"]),
        ("Salah El Din Ahmed", ["Salah El Din", "Ahmed"]),
        ("Fadl Allah Ali", ["Fadl Allah", "Ali"]),
        ("Omar bin Khattab", ["Omar", "Khattab"]),
        ("Fatima bint Ali", ["Fatima", "Ali"]),
        ("Ahmed Albu Nimr", ["Ahmed", "Albu Nimr"]),
        ("Ahmed Al Bu Nimr", ["Ahmed", "Al Bu Nimr"]),
        ("Ali, Hassan; Kadhim", ["Ali", "Hassan", "Kadhim"]),
        ("Ali Abd", ["Ali", "Abd"]),
        ("عبد الله محمد حسن الجبوري", ["عبد الله", "محمد", "حسن", "الجبوري"]),
        ("عبد الرحمن بن علي", ["عبد الرحمن", "علي"]),
        ("محمد ابن علي", ["محمد", "علي"]),
        ("فاطمة بنت حسين", ["فاطمة", "حسين"]),
        ("أبو بكر عمر", ["أبو بكر", "عمر"]),
        ("نور الدين علي", ["نور الدين", "علي"]),
        ("فضل الله حسن", ["فضل الله", "حسن"]),
        ("احمد آل بو نمر", ["احمد", "آل بو نمر"]),
        ("", []),
        (" - ", []),
    ],
)
def test_split_name(text, parts):
    assert split_name(text) == parts

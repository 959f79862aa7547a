"""Sealed values: readable with their key, gone for good when the key is destroyed."""

import pytest

from mawa.core import vault


def test_a_value_sealed_with_the_default_key_reads_back_and_is_not_in_clear():
    token = vault.encrypt("ليلى حسن، 0770 123 4567")
    assert "ليلى" not in token and "0770" not in token
    assert vault.decrypt(token) == "ليلى حسن، 0770 123 4567"
    assert vault.encrypt("") == "" and vault.decrypt("") == ""


def test_destroying_a_records_key_erases_what_it_sealed_and_nothing_else():
    case_key = vault.key_new()
    mine = vault.encrypt("taken at the checkpoint near Fazilia", key_id=case_key)
    other = vault.encrypt("another case")
    vault.key_destroy(case_key)
    assert vault.decrypt(mine) is None
    assert vault.decrypt(other) == "another case"


def test_a_changed_token_or_a_path_as_key_id_is_refused():
    token = vault.encrypt("x")
    with pytest.raises(vault.VaultError):
        vault.decrypt(token[:-4] + "AAAA")
    with pytest.raises(vault.VaultError):
        vault.decrypt("plain text")
    with pytest.raises(ValueError):
        vault.encrypt("x", key_id="../../etc/passwd")

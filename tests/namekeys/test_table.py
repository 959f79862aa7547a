"""The curated table: size, consistency, extension by file and by environment variable."""

from mawa.namekeys import ENV_VAR, get_table, load_table, name_key
from mawa.namekeys.table import BUILTIN, NameTable


def test_builtin_table_is_large_and_consistent():
    table = load_table(activate=False)
    kinds = [row.kind for row in table.rows]
    assert len(table) >= 300
    assert kinds.count("family") >= 60
    assert kinds.count("m") + kinds.count("f") + kinds.count("u") >= 250
    assert table.conflicts == []  # no spelling is listed under two names
    assert len(set(table.canonical)) == len(table)  # every name has its own key


def test_every_listed_spelling_gets_its_row_key():
    table = get_table()
    for row, key in zip(table.rows, table.canonical, strict=True):
        for form in row.arabic + row.latin:
            assert name_key(form) == key, (form, row.primary)


def _write(tmp_path, text):
    path = tmp_path / "extra.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_extension_by_file(tmp_path):
    extra = _write(
        tmp_path,
        "arabic,latin_spellings,kind\n"
        "# a comment\n"
        "ذياب,Dhiyab|Diab|Thiab,m\n"
        "محمد,Mhamad,m\n",  # adds a spelling to a built-in row
    )
    before = name_key("Mohammed")
    assert name_key("Diab") != name_key("ذياب")  # the rules alone do not join them
    try:
        table = load_table(extra)
        assert isinstance(table, NameTable)
        assert name_key("Diab") == name_key("ذياب") == name_key("Thiab")
        assert name_key("Mhamad") == name_key("محمد") == before  # merged, key unchanged
        assert table.fingerprint != load_table(activate=False).fingerprint
    finally:
        load_table()
    assert name_key("Diab") != name_key("ذياب")


def test_extension_by_environment(tmp_path, monkeypatch):
    extra = _write(tmp_path, "arabic,latin_spellings\nغضبان,Ghadban|Ghathban\n")
    assert name_key("Ghadban") != name_key("غضبان")
    monkeypatch.setenv(ENV_VAR, str(extra))
    try:
        load_table()
        assert name_key("Ghadban") == name_key("غضبان")
        assert str(extra) in get_table().sources
    finally:
        monkeypatch.delenv(ENV_VAR)
        load_table()
    assert str(BUILTIN) in get_table().sources and len(get_table().sources) == 1


def test_extension_keeps_builtin_keys(tmp_path):
    before = {form: name_key(form) for form in ("Hassan", "Hussein", "Bashir", "Jubouri")}
    extra = _write(tmp_path, "حسون,Hassoun|Hasoon,m\nحسان,Hassaan,m\nبشر,Bishr,m\n")
    try:
        load_table(extra)
        assert {form: name_key(form) for form in before} == before
        assert len({name_key("Hassoun"), name_key("Hassaan"), name_key("Hassan")}) == 3
        assert name_key("Bishr") == name_key("بشر") != name_key("Bashir")
    finally:
        load_table()

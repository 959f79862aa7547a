"""Name-level check of the existing libraries against mawa.namekeys, offline.

For the commonest names of the curated table (Arabic form, Latin spellings):
- same-name agreement: an Arabic form and a Latin spelling of the same name are judged equal
  (arabic-name-romanizer: romanised Arabic vs the spelling, lower-cased Jaro-Winkler >= 0.9,
  the plain Splink threshold; arabnamer: the spelling arabised, normalised, equal to the Arabic
  form; name keys: the same key);
- different-name agreement (false): two different names judged equal (Hassan/Hussein,
  Mohammed/Mahmoud, ...), by the same tests, and arabnamer's own similarity();
- network: any connection a library attempts is recorded and refused.
"""

import csv
import socket
import time

from rapidfuzz.distance import JaroWinkler

from mawa.namekeys import name_key, normalize
from mawa.namekeys.table import BUILTIN

CONFUSABLE = [("حسن", "حسين"), ("محمد", "محمود"), ("احمد", "حامد"), ("علي", "عالية"),
              ("سعد", "سعيد"), ("جاسم", "قاسم"), ("زهراء", "زهير"), ("كريم", "كريمة"),
              ("سلمان", "سليمان"), ("نور", "نوري"), ("فاضل", "فاضلة"), ("عمر", "عامر")]  # fmt: skip
attempts: list[str] = []


def _guard_network() -> None:
    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2])[:120])
        raise OSError("network disabled for the benchmark")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]


def _rows(limit: int) -> list[tuple[str, list[str]]]:
    out = []
    with BUILTIN.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines):
            arabic = row["arabic"].split("|")[0]
            latin = [s for s in row["latin_spellings"].split("|") if s][:4]
            if arabic and latin:
                out.append((arabic, latin))
    return out[:limit]


def _jw(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a.lower(), b.lower())


def name_level(limit: int = 120) -> dict:
    _guard_network()
    rows = _rows(limit)
    same = [(arabic, latin) for arabic, spellings in rows for latin in spellings]
    result: dict = {"same_name_pairs": len(same), "different_name_pairs": len(CONFUSABLE)}
    keys = sum(name_key(a) == name_key(b) for a, b in same)
    key_false = sum(name_key(a) == name_key(b) for a, b in CONFUSABLE)
    result["name_keys"] = {"same_name_agree": keys / len(same), "different_agree": key_false}
    try:
        from arabic_name_romanizer import transliterate_many

        start = time.perf_counter()
        roman = dict(
            zip([a for a, _ in same], transliterate_many([a for a, _ in same]), strict=True)
        )
        seconds = (time.perf_counter() - start) / len(same)
        agree = sum(_jw(roman[a], b) >= 0.9 for a, b in same)
        pairs = transliterate_many([x for pair in CONFUSABLE for x in pair])
        false = sum(_jw(pairs[i], pairs[i + 1]) >= 0.9 for i in range(0, len(pairs), 2))
        result["arabic-name-romanizer"] = {
            "same_name_agree": agree / len(same), "different_agree": false,
            "ms_per_name": round(seconds * 1000, 2),
            "examples": {a: roman[a] for a, _ in same[:12:3]},
        }  # fmt: skip
    except Exception as error:  # noqa: BLE001 - a library failure is a result
        result["arabic-name-romanizer"] = {"error": repr(error)[:300]}
    try:
        import arabnamer

        engine = arabnamer.Transliterator(engine="model", threshold=85)
        sample = same[::4]
        start = time.perf_counter()
        arabised = [engine.translit(b).arabic for _a, b in sample]
        seconds = (time.perf_counter() - start) / len(sample)
        agree = sum(
            normalize(x) == normalize(a) for x, (a, _b) in zip(arabised, sample, strict=True)
        )
        false = sum(arabnamer.similarity(a, b)[0] for a, b in CONFUSABLE)
        result["arabnamer"] = {
            "same_name_agree": agree / len(sample), "sample": len(sample),
            "different_agree": false, "ms_per_name": round(seconds * 1000, 1),
            "examples": {b: x for x, (_a, b) in list(zip(arabised, sample, strict=True))[:8]},
        }  # fmt: skip
    except Exception as error:  # noqa: BLE001 - a library failure is a result
        result["arabnamer"] = {"error": repr(error)[:300]}
    result["network_attempts"] = attempts
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(name_level(), indent=1, ensure_ascii=False))

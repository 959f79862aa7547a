"""The comparison engines: plain Splink, and plain Splink after arabic-name-romanizer.

"Plain" is the setup a team would write from Splink's tutorial: lower-cased, trimmed names,
Jaro-Winkler comparisons at 0.9 and 0.7, exact matches on the other fields, no Arabic
handling; u by random sampling, the prior from deterministic rules, m by expectation
maximisation; clusters at 0.9 by Splink's connected components.
"""

import logging
import time

NAMES = ("given_name", "father_name", "grandfather_name", "family_name", "mother_name")
OTHER = ("sex", "birth_date", "governorate", "id_number", "phone")


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def romanize_rows(rows: list[dict]) -> float:
    """Romanise Arabic-script name cells in place with arabic-name-romanizer; seconds taken."""
    from arabic_name_romanizer import transliterate_many

    start = time.perf_counter()
    distinct = sorted({r[c] for r in rows for c in NAMES if r[c] and _is_arabic(r[c])})
    mapping = dict(zip(distinct, transliterate_many(distinct), strict=True))
    for row in rows:
        for column in NAMES:
            if row[column] in mapping:
                row[column] = mapping[row[column]]
    return time.perf_counter() - start


def _trained_on_labels(train, settings, db_api, names, other, blocks) -> dict:
    """Settings (as a dict) with m from the labelled training rows, u by random sampling and
    the prior from the labels (true pairs over all pairs)."""
    import pyarrow as pa
    from splink import Linker

    columns = {"unique_id": pa.array([r["id"] for r in train], pa.string())}
    for column in (*names, *other):
        values = [(r.get(column) or "").strip().lower() or None for r in train]
        columns[column] = pa.array(values, pa.string())
    columns["cluster"] = pa.array([r["cluster"] for r in train], pa.string())
    frame = db_api.register(pa.table(columns), dataset_display_name="train")
    linker = Linker(frame, settings)
    linker.training.estimate_u_using_random_sampling(max_pairs=min(5e6, 20 * len(train)))
    linker.training.estimate_m_from_label_column("cluster")
    model = linker.misc.save_model_to_json()
    sizes: dict[str, int] = {}
    for r in train:
        sizes[r["cluster"]] = sizes.get(r["cluster"], 0) + 1
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    model["probability_two_random_records_match"] = max(
        true_pairs / (len(train) * (len(train) - 1) / 2), 1e-9
    )
    return model


def plain_splink(
    rows: list[dict],
    *,
    names=NAMES,
    other=OTHER,
    blocks=None,
    em_blocks=None,
    threshold: float = 0.9,
    train: list[dict] | None = None,
) -> dict[str, str]:
    """Cluster rows (dicts with 'id' and the columns) with a plain Splink model. With
    ``train`` (rows with a 'cluster' label: the generated set the shipped model is fitted
    on), m and u are estimated there from the labels and random sampling, and applied to
    ``rows`` unchanged; without it, everything is estimated on ``rows`` (EM)."""
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    columns = {"unique_id": pa.array([r["id"] for r in rows], pa.string())}
    for column in (*names, *other):
        values = [(r.get(column) or "").strip().lower() or None for r in rows]
        columns[column] = pa.array(values, pa.string())
    table = pa.table(columns)
    blocks = blocks or [
        ("given_name", "father_name", "family_name"),
        ("given_name", "father_name", "grandfather_name"),
        ("given_name", "birth_date"),
        ("id_number",),
        ("phone",),
    ]
    em_blocks = em_blocks or [("given_name", "father_name", "family_name"), ("id_number",)]
    comparisons = [cl.JaroWinklerAtThresholds(c, [0.9, 0.7]) for c in names]
    comparisons += [cl.ExactMatch(c) for c in other]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*b) for b in blocks],
        retain_matching_columns=False,
    )
    connection = duckdb.connect()
    connection.execute("SET memory_limit = '6GB'")
    db_api = DuckDBAPI(connection=connection)
    if train is not None:
        settings = _trained_on_labels(train, settings, db_api, names, other, blocks)
    frame = db_api.register(table, dataset_display_name="plain")
    linker = Linker(frame, settings)
    if train is None:
        linker.training.estimate_probability_two_random_records_match(
            [block_on(*blocks[0], "birth_date"), block_on("id_number")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=min(5e6, 20 * len(rows)))
        for block in em_blocks:
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(*block))
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    result = connection.execute(
        f"SELECT unique_id, cluster_id FROM {clusters.physical_name}"
    ).fetchall()
    found = {str(uid): str(cluster) for uid, cluster in result}
    return {r["id"]: found.get(r["id"], r["id"]) for r in rows}

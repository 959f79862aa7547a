"""``link``: batch de-duplication of a whole registry with Splink (DuckDB, or Spark).

Python turns each record into features once (name keys are memoised: a million people have a
few hundred thousand distinct name cells); Splink blocks on the precomputed blocking keys and
scores the candidate pairs in SQL with the shipped model (no training at run time, so a run is
reproducible and ``compare_records`` gives the same probability for the same pair). Pairs above
the threshold are clustered by connected components. The scoring runs in chunks of the records
so that progress is reported and ``should_cancel`` is honoured between chunks.
"""

import logging
import math
import os
import tempfile
from collections.abc import Callable, Iterable

from mawa.linkage.columns import BLOCK_COLUMNS, Table
from mawa.linkage.model import load_model, prior, splink_comparisons
from mawa.linkage.types import Cancelled, LinkResult, Record

Progress = Callable[[float, str], None]
CHUNK_RECORDS = 250_000  # records on the left side of one scoring chunk
MAX_BLOCK = 1_000  # a blocking value shared by more records than this is not used
DUCKDB_MEMORY = os.environ.get("MAWA_LINKAGE_MEMORY", "5GB")


class _Steps:
    """Progress in [0, 1] over stages, and the cancellation check."""

    def __init__(self, progress: Progress | None, should_cancel: Callable[[], bool] | None):
        self.progress = progress
        self.should_cancel = should_cancel

    def report(self, fraction: float, message: str) -> None:
        if self.should_cancel is not None and self.should_cancel():
            raise Cancelled(message)
        if self.progress is not None:
            self.progress(min(max(fraction, 0.0), 1.0), message)


def build_table(records: Iterable[Record], steps: _Steps, total: int | None = None) -> Table:
    table = Table()
    seen: set[str] = set()
    for count, record in enumerate(records, start=1):
        if record.id in seen:
            raise ValueError(f"duplicate record id {record.id!r}")
        seen.add(record.id)
        table.add(record)
        if count % 50_000 == 0:
            share = count / total if total else 0.5
            steps.report(0.15 * share, f"read {count:,} records")
    return table


def _settings(model: dict, records: int):
    from splink import SettingsCreator, block_on  # noqa: PLC0415 - heavy, batch only

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        probability_two_random_records_match=prior(model, records),
        comparisons=splink_comparisons(model),
        blocking_rules_to_generate_predictions=[block_on(c) for c in BLOCK_COLUMNS],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _duckdb_api(workdir: str):
    import duckdb  # noqa: PLC0415
    from splink import DuckDBAPI  # noqa: PLC0415

    connection = duckdb.connect()
    threads = max(1, min(os.cpu_count() or 1, 8))
    connection.execute(f"SET threads = {threads}")
    connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    connection.execute(f"SET temp_directory = '{workdir}'")
    connection.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(connection=connection)


def _spark_api():
    from pyspark.sql import SparkSession  # noqa: PLC0415 - optional
    from splink import SparkAPI  # noqa: PLC0415
    from splink.backends.spark import similarity_jar_location  # noqa: PLC0415

    spark = (
        SparkSession.builder.master(os.environ.get("MAWA_SPARK_MASTER", "local[2]"))
        .appName("mawa-linkage")
        .config("spark.jars", similarity_jar_location())  # Splink's Jaro-Winkler and others
        .config("spark.sql.shuffle.partitions", os.environ.get("MAWA_SPARK_PARTITIONS", "8"))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    return SparkAPI(spark_session=spark, break_lineage_method="persist")


def score(
    table: Table,
    *,
    min_probability: float,
    backend: str = "duckdb",
    steps: _Steps | None = None,
    model: dict | None = None,
) -> list[tuple[int, int, float]]:
    """(internal id, internal id, probability) of the candidate pairs at or above
    ``min_probability``, scored by Splink on the given backend."""
    from splink import Linker  # noqa: PLC0415

    steps = steps or _Steps(None, None)
    model = model or load_model()
    logging.getLogger("splink").setLevel(logging.WARNING)
    for name in ("splink.internals",):
        logging.getLogger(name).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="mawa-linkage-") as workdir:
        if backend == "duckdb":
            db_api = _duckdb_api(workdir)
        elif backend == "spark":
            db_api = _spark_api()
        else:
            raise ValueError(f"unknown backend {backend!r}: use 'duckdb' or 'spark'")
        steps.report(0.2, "computing name keys and loading the records")
        frame = db_api.register(table.arrow(MAX_BLOCK), dataset_display_name="mawa_records")
        linker = Linker(frame, _settings(model, len(table)))
        chunks = max(1, min(50, math.ceil(len(table) / CHUNK_RECORDS)))
        found: list[tuple[int, int, float]] = []
        for number in range(1, chunks + 1):
            steps.report(
                0.25 + 0.65 * (number - 1) / chunks, f"scoring pairs, part {number}/{chunks}"
            )
            predictions = linker.inference.predict_chunk(
                left_chunk=(number, chunks),
                right_chunk=(1, 1),
                threshold_match_probability=min_probability,
                warning_mode="never",
            )
            for row in predictions.as_record_list():
                found.append((row["uid_l"], row["uid_r"], float(row["match_probability"])))
            predictions.drop_table_from_database_and_remove_from_cache()
        if backend == "duckdb":
            db_api._con.close()
    return found


def clusters_from_pairs(ids: list[str], pairs: Iterable[tuple[int, int]]) -> dict[str, str]:
    """Connected components: every id -> the smallest id of its component."""
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    smallest: dict[int, str] = {}
    for i, record_id in enumerate(ids):
        r = root(i)
        if r not in smallest or record_id < smallest[r]:
            smallest[r] = record_id
    return {record_id: smallest[root(i)] for i, record_id in enumerate(ids)}


def link_table(
    table: Table,
    *,
    threshold: float = 0.9,
    review_threshold: float = 0.5,
    backend: str = "duckdb",
    steps: _Steps | None = None,
) -> LinkResult:
    """``link`` on a prepared table (the CSV reader builds one directly)."""
    steps = steps or _Steps(None, None)
    lowest = min(threshold, review_threshold)
    scored = score(table, min_probability=lowest, backend=backend, steps=steps) if table.ids else []
    steps.report(0.9, f"clustering {len(scored):,} candidate pairs")
    ids = table.ids
    pairs = []
    for a, b, p in scored:
        if p >= review_threshold:
            id_a, id_b = ids[a], ids[b]
            pairs.append((id_a, id_b, p) if id_a < id_b else (id_b, id_a, p))
    pairs.sort()
    clusters = clusters_from_pairs(ids, ((a, b) for a, b, p in scored if p >= threshold))
    steps.report(1.0, f"{len(ids):,} records in {len(set(clusters.values())):,} clusters")
    return LinkResult(pairs=pairs, clusters=clusters, malformed=[])


def link(
    records: Iterable[Record],
    *,
    threshold: float = 0.9,
    review_threshold: float = 0.5,
    backend: str = "duckdb",
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> LinkResult:
    """De-duplicate records: candidate pairs at or above ``review_threshold`` (id_a < id_b) with
    their match probability, and a cluster for every id (pairs at or above ``threshold`` are
    joined, transitively). Raises ``Cancelled`` when ``should_cancel()`` turns true, and
    ValueError for a repeated id."""
    steps = _Steps(progress, should_cancel)
    total = len(records) if hasattr(records, "__len__") else None
    steps.report(0.0, "reading records")
    table = build_table(records, steps, total)
    return link_table(
        table, threshold=threshold, review_threshold=review_threshold, backend=backend, steps=steps
    )

"""The Spark backend, in pyspark local mode: skipped when pyspark or Java is missing."""

import importlib.util
import shutil

import pytest

from mawa.linkage import link
from mawa.linkage.synthetic import generate

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="pyspark is not installed (pip install pyspark for the Spark backend)",
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark"),
]


def test_spark_gives_the_same_pairs_as_duckdb(monkeypatch):
    monkeypatch.setenv("MAWA_SPARK_PARTITIONS", "1")  # small data: one partition is fastest
    records = generate(400, seed=21).records
    duckdb = link(records)
    spark = link(records, backend="spark")
    assert [(a, b) for a, b, _p in spark.pairs] == [(a, b) for a, b, _p in duckdb.pairs]
    for (_a, _b, p_spark), (_c, _d, p_duck) in zip(spark.pairs, duckdb.pairs, strict=True):
        assert p_spark == pytest.approx(p_duck, abs=1e-6)
    assert spark.clusters == duckdb.clusters

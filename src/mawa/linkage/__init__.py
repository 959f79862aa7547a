"""Record linkage for the registry: find the same person registered twice.

Pure Python and SQL engines, no Django and no mawa app (only ``mawa.namekeys``):

- ``compare_records(a, b)``: match probability of two records with reasons, for the duplicate
  check at registration (about 0.1 ms a pair).
- ``link(records, ...)``: batch de-duplication with Splink (DuckDB by default, Spark for
  national scale): candidate pairs with probabilities and clusters, with progress and
  cancellation.
- ``dedup_csv(input, output)``: the engine of ``mawa dedup``; never raises on bad rows.
- ``blocking_keys(record)``: the keys that decide which records the batch engine compares.
- ``synthetic.generate(n, seed)``: registrations with duplicates, hard negatives and truth.

The model (comparison levels and m/u parameters in ``data/model.json``) is described in
``model.py``; docs/benchmarks.md has the measured precision and recall.
"""

from mawa.linkage.batch import link
from mawa.linkage.compare import compare_records
from mawa.linkage.csvio import dedup_csv
from mawa.linkage.features import blocking_keys
from mawa.linkage.types import Cancelled, Comparison, LinkResult, Record

__all__ = [
    "Cancelled",
    "Comparison",
    "LinkResult",
    "Record",
    "blocking_keys",
    "compare_records",
    "dedup_csv",
    "link",
]

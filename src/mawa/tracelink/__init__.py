"""Family tracing's matching: who, among registered people, a relative is looking for.

Pure Python and numpy, no Django and no mawa app (only ``mawa.namekeys`` and
``mawa.linkage``'s record type and value parsers):

- ``Request``, ``profiles(request)``: a tracing request as typed, and what it says about the
  sought person once the seeker's own names are read through the relation.
- ``Index``: registered people (linkage ``Record``) indexed for tracing.
- ``match_index(index, profiles, top=5)``: ranked ``Candidate`` objects above the threshold.
- ``reasons(candidate)``: the evidence in words.
- ``trace_csv``: the engine of ``mawa trace``; never raises on bad rows.
- ``synthetic``: seeded requests with truth, ``evaluate``: how often the right person is found.
"""

from mawa.tracelink.csvio import TraceResult, trace_csv
from mawa.tracelink.index import Index
from mawa.tracelink.reasons import reason_codes, reasons
from mawa.tracelink.request import REQUEST_FIELDS, Profile, Request, profiles
from mawa.tracelink.score import THRESHOLD, Candidate, match_index

__all__ = [
    "REQUEST_FIELDS",
    "THRESHOLD",
    "Candidate",
    "Index",
    "Profile",
    "Request",
    "TraceResult",
    "match_index",
    "profiles",
    "reason_codes",
    "reasons",
    "trace_csv",
]

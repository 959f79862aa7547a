"""Tracing on field nodes (mawa.core.sync): nothing. A node never holds a case, a match or a
partner's list, and every tracing page is closed there. Recording a request at a node's help
desk, sent to headquarters as its own sync kind, is still to be done."""

from mawa.core import sync

sync.node_closed(
    "tracing:case_list",
    "tracing:child_list",
    "tracing:case_new",
    "tracing:export",
    "tracing:batch_list",
    "tracing:batch_detail",
    "tracing:case_detail",
    "tracing:sought_add",
    "tracing:case_rematch",
    "tracing:case_status",
    "tracing:best_interests",
    "tracing:case_erase",
    "tracing:seeker_update",
    "tracing:case_pdf",
    "tracing:match_decide",
    "tracing:verification_ask",
    "tracing:consent_record",
    "tracing:verification_answer",
    "tracing:consent_withdraw",
)

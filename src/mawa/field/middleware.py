"""On a field node, close the pages whose records do not travel to headquarters yet.

A node syncs registrations, redemptions, scans, stock entries and person edits. Changing a
household, moving one, issuing cards or merging duplicates there would make records
headquarters never receives, so on a node those pages answer with a clear refusal instead
(docs/field.md).
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from mawa.field.services import is_node

CLOSED_ON_A_NODE = {
    "registry:household_edit",
    "registry:person_add",
    "registry:person_remove",
    "registry:household_shelter",
    "registry:household_transfer",
    "registry:household_depart",
    "registry:import_upload",
    "registry:import_check",
    "registry:site_shelters_add",
    "names:pair_detail",
    "names:merge_reverse",
    "names:run_list",
    "names:run_detail",
    "names:run_cancel",
    "assistance:card_issue",
    "assistance:card_replace",
    "assistance:card_alternates",
    "assistance:cycle_issue_cards",
    "assistance:stock_dispatch",
    "assistance:stock_receive",
    "field:node_list",
    "field:node_create",
    "field:node_revoke",
}
OPEN_API_WRITES = (
    "/api/v1/redemptions",
    "/api/v1/field/sync",
    "/api/v1/duplicates/check",
    "/api/v1/households",
)


class NodeWorkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.view_name if match else ""
        api_write = (
            request.path.startswith("/api/v1/")
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not request.path.startswith(OPEN_API_WRITES)
        )
        if (name in CLOSED_ON_A_NODE or api_write) and is_node():
            message = _(
                "This laptop is a field node: it serves registration, distribution and person "
                "edits, which travel to headquarters. Do this at headquarters or a connected "
                "office."
            )
            return render(request, "403.html", {"reason": message}, status=403)
        return None

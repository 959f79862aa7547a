"""The sync endpoint: a node posts a sealed bundle, headquarters answers with one.

No user token: the bundle itself proves which node sent it (only that node and headquarters
hold its key), and a revoked or unknown node is refused by `bundle_ingest`.
"""

from django.http import HttpResponse, JsonResponse
from ninja import Router

from mawa.field import services

router = Router(tags=["field nodes"])
MAX_EVENTS_IN_REPLY = 2000


@router.post(
    "/field/sync",
    auth=None,
    summary="Exchange sync bundles with a field node",
    description=(
        "Body: a sealed bundle from a node (application/octet-stream). Answer: a sealed bundle "
        "from headquarters for that node, acknowledging what arrived and carrying what changed."
    ),
    response={200: bytes, 400: dict},
)
def field_sync(request):
    try:
        report = services.bundle_ingest(request.body)
        reply, _count = services.bundle_make(report.sender, limit=MAX_EVENTS_IN_REPLY)
    except services.SyncError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    return HttpResponse(reply, content_type="application/octet-stream")

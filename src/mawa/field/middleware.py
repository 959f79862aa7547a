"""On a field node, every page is closed unless its app declared it open on nodes of this
node's roles (`mawa.core.sync.node_pages`): default-deny, so that a new page cannot record on a
laptop what would never reach headquarters. A closed page answers with a clear refusal in the
user's language (docs/field.md)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mawa.core import sync


class NodeWorkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not sync.is_node():
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if sync.page_open(name, request.method, sync.node_roles()):
            return None
        if request.path.startswith("/static/"):
            return None
        message = _(
            "This laptop is a field node: this page's work does not travel to headquarters "
            "from a node like this one. Do it at headquarters or a connected office."
        )
        status = 403
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        return render(request, "403.html", {"reason": message}, status=status)

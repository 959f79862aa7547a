"""Headquarters' pages for field nodes: list, create (download the package), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.core.access import require
from mawa.core.models import Site
from mawa.core.roles import Capability
from mawa.field import services
from mawa.field.forms import NodeForm
from mawa.field.models import Node


def nodes_for_user(user):
    """The nodes an administrator may see and manage: every node for one of all sites; for a
    site-scoped administrator, only nodes whose every site is theirs (a node's package holds
    its sites' names, card codes and password hashes)."""
    require(user, Capability.MANAGE_NODES)
    nodes = Node.objects.all()
    if not user.all_sites:
        mine = user.site_scope().values("pk")
        nodes = nodes.exclude(sites__in=Site.objects.exclude(pk__in=mine)).filter(sites__in=mine)
    return nodes.distinct()


def get_node_for_user(user, pk) -> Node:
    try:
        return nodes_for_user(user).get(pk=pk)
    except (Node.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _list_page(request, form: NodeForm):
    nodes = nodes_for_user(request.user).annotate(
        site_count=Count("sites", distinct=True), user_count=Count("users", distinct=True)
    )
    return render(request, "field/node_list.html", {"nodes": nodes, "form": form})


@login_required
def node_list(request):
    require(request.user, Capability.MANAGE_NODES)
    return _list_page(request, NodeForm(prefix="n", user=request.user))


@login_required
@require_POST
def node_create(request):
    require(request.user, Capability.MANAGE_NODES)
    form = NodeForm(request.POST, prefix="n", user=request.user)
    if not form.is_valid():
        return _list_page(request, form)
    data = form.cleaned_data
    node = services.node_create(
        actor=request.user,
        name=data["name"],
        sites=data["sites"],
        cycles=data["cycles"],
        points=data["points"],
        users=data["users"],
        roles=data["roles"],
    )
    package = services.package_make(
        actor=request.user,
        node=node,
        passphrase=data["passphrase"],
        url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(package, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{node.name}.mawa-package"'
    return response


@login_required
@require_POST
def node_revoke(request, pk):
    node = get_node_for_user(request.user, pk)
    if node.status == Node.Status.ACTIVE:
        services.node_revoke(actor=request.user, node=node)
        messages.success(
            request, _("Node %(name)s is revoked: its bundles are refused.") % {"name": node.name}
        )
    return redirect("field:node_list")

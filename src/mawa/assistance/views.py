"""The distribution-point screen: scan or type a card, see the entitlement, press Give."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from mawa.assistance import services
from mawa.assistance.access import get_cycle_for_point, get_point_for_user, points_for_user
from mawa.assistance.models import Cycle
from mawa.core.roles import Capability


@login_required
def point_list(request):
    points = list(points_for_user(request.user, Capability.DISTRIBUTE))
    for point in points:
        point.open_cycles = Cycle.objects.filter(
            sites=point.site_id, status=Cycle.Status.OPEN
        ).select_related("programme")
    return render(request, "assistance/point_list.html", {"points": points})


@login_required
def point_screen(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    context = {"point": point, "cycle": cycle, "tally": services.point_tally(cycle, point)}
    return render(request, "assistance/point_screen.html", context)


@login_required
@require_POST
def point_scan(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    result = services.scan_lookup(
        actor=request.user, cycle=cycle, point=point, typed=request.POST.get("code", "")
    )
    context = {"point": point, "cycle": cycle, "result": result}
    return render(request, "assistance/_scan_result.html", context)


@login_required
@require_POST
def point_give(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    result = services.redemption_record(
        actor=request.user, cycle=cycle, point=point, typed=request.POST.get("code", "")
    )
    context = {
        "point": point,
        "cycle": cycle,
        "result": result,
        "tally": services.point_tally(cycle, point),
    }
    return render(request, "assistance/_scan_result.html", context)


@login_required
def point_tally(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    context = {"point": point, "cycle": cycle, "tally": services.point_tally(cycle, point)}
    return render(request, "assistance/_tally.html", context)

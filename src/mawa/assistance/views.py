"""The distribution-point screen: scan or type a card, see the entitlement, press Give."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.assistance import reports, services
from mawa.assistance.access import get_cycle_for_point, get_point_for_user, points_for_user
from mawa.assistance.models import Cycle, DayClose
from mawa.assistance.services import AssistanceError
from mawa.core.roles import Capability
from mawa.registry import exports


def arabic_by_default(view):
    """The distribution screen speaks Arabic unless the operator chose another language."""

    def wrapper(request, *args, **kwargs):
        if not request.user.language and "mawa_language" not in request.COOKIES:
            translation.activate("ar")
            request.LANGUAGE_CODE = "ar"
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@login_required
def point_list(request):
    points = list(points_for_user(request.user, Capability.DISTRIBUTE))
    for point in points:
        point.open_cycles = Cycle.objects.filter(
            sites=point.site_id, status=Cycle.Status.OPEN
        ).select_related("programme")
    return render(request, "assistance/point_list.html", {"points": points})


@login_required
@arabic_by_default
def point_screen(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    context = {"point": point, "cycle": cycle, "tally": services.point_tally(cycle, point)}
    return render(request, "assistance/point_screen.html", context)


@login_required
@require_POST
@arabic_by_default
def point_scan(request, point_pk, cycle_pk):
    # The point and cycle are checked against the user's sites in the scan's own statement.
    result = services.scan_at(
        actor=request.user, point_id=point_pk, cycle_id=cycle_pk, typed=request.POST.get("code", "")
    )
    return _scan_result(request, point_pk, cycle_pk, result)


@login_required
@require_POST
@arabic_by_default
def point_give(request, point_pk, cycle_pk):
    result = services.redemption_at(
        actor=request.user, point_id=point_pk, cycle_id=cycle_pk, typed=request.POST.get("code", "")
    )
    # The tally is refreshed by the screen itself (GET tally/), not computed on every give.
    return _scan_result(request, point_pk, cycle_pk, result)


def _scan_result(request, point_pk, cycle_pk, result):
    if result is None:
        raise Http404
    # The fragment needs only the ids of the point and cycle (the Give form's URL).
    context = {"point": {"pk": point_pk}, "cycle": {"pk": cycle_pk}, "result": result}
    return render(request, "assistance/_scan_result.html", context)


@login_required
@arabic_by_default
def point_tally(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    context = {"point": point, "cycle": cycle, "tally": services.point_tally(cycle, point)}
    return render(request, "assistance/_tally.html", context)


def _day(request):
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def point_report(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    day = _day(request)
    hours = reports.served_by_hour(cycle, point, day)
    peak = max([1, *(n for _h, n in hours)])
    bars = []
    for index, (hour, n) in enumerate(hours):
        height = round(100 * n / peak)
        bars.append({"hour": hour, "n": n, "x": index * 30, "h": height, "y": 100 - height})
    context = {
        "point": point,
        "cycle": cycle,
        "day": day,
        "bars": bars,
        "today": reports.reconciliation(cycle, point, day),
        "cycle_total": reports.reconciliation(cycle, point),
        "closed": DayClose.objects.filter(cycle=cycle, point=point, day=day).first(),
    }
    return render(request, "assistance/report.html", context)


@login_required
@require_POST
def point_close(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    try:
        reports.day_close(actor=request.user, cycle=cycle, point=point)
    except AssistanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The day is closed; its reconciliation is saved."))
    return redirect("assistance:report", point.pk, cycle.pk)


# The reconciliation as a table: a header row, an HXL hashtag row, then one row per commodity.
RECONCILIATION_COLUMNS = [
    ("point", "#loc+name"),
    ("cycle", "#meta+cycle"),
    ("day", "#date"),
    ("commodity", "#item+code"),
    ("received", "#value+received"),
    ("given", "#value+distributed"),
    ("lost", "#value+lost"),
    ("left", "#value+stock"),
]


QUANTITIES = ("received", "given", "lost", "left")


def _reconciliation_rows(request, point_pk, cycle_pk) -> list[dict]:
    point = get_point_for_user(request.user, point_pk, Capability.DISTRIBUTE)
    cycle = get_cycle_for_point(point, cycle_pk)
    figures = reports.reconciliation(cycle, point, _day(request))
    return [
        {"point": point.name, "cycle": cycle.name, "day": figures["day"], "commodity": code}
        | {name: line[name] for name in QUANTITIES}
        for code, line in figures["stock"].items()
    ]


def _number_cell(name: str, value):
    return Decimal(value) if name in QUANTITIES else value


@login_required
def point_report_csv(request, point_pk, cycle_pk):
    rows = _reconciliation_rows(request, point_pk, cycle_pk)
    response = HttpResponse(
        exports.write_csv(RECONCILIATION_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mawa-reconciliation.csv"'
    return response


@login_required
def point_report_xlsx(request, point_pk, cycle_pk):
    """The same table as the CSV, as a spreadsheet whose quantities are numbers."""
    rows = _reconciliation_rows(request, point_pk, cycle_pk)
    response = HttpResponse(
        exports.write_xlsx(
            RECONCILIATION_COLUMNS, rows, sheet_name="reconciliation", cell=_number_cell
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mawa-reconciliation.xlsx"'
    return response

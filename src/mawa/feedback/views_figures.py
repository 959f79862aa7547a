"""Patterns at a distribution point and aggregate figures (restricted categories never counted)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from mawa.assistance.access import get_cycle_for_point, get_point_for_user, points_for_user
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent
from mawa.feedback import figures as agg
from mawa.feedback import patterns
from mawa.feedback.access import FIGURES, figures_tickets


@login_required
def point_pattern(request, point_pk, cycle_pk):
    point = get_point_for_user(request.user, point_pk, FIGURES)
    cycle = get_cycle_for_point(point, cycle_pk)
    table = patterns.point_days(point, cycle)
    context = {
        "point": point,
        "cycle": cycle,
        "table": table,
        "chart": patterns.bars(table),
        "spikes": [r for r in table if r["spike"]],
        "figures": patterns.point_figures(point, cycle),
    }
    return render(request, "feedback/point_pattern.html", context)


@login_required
def figures(request):
    tickets = figures_tickets(request.user)
    points = points_for_user(request.user, FIGURES).prefetch_related("site__cycles")
    context = {"tables": agg.tables(tickets), "small": agg.SMALL, "points": points[:50]}
    return render(request, "feedback/figures.html", context)


@login_required
def figures_csv(request):
    tickets = figures_tickets(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mawa-feedback-figures.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in agg.export_rows(tickets):
        writer.writerow(row)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="feedback.figures",
        summary={"format": "csv"},
    )
    return response

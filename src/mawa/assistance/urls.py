from django.urls import path

from mawa.assistance import views, views_cards, views_cycles, views_stock

app_name = "assistance"
urlpatterns = [
    path("households/<uuid:pk>/cards/", views_cards.household_cards, name="household_cards"),
    path("households/<uuid:pk>/cards/issue/", views_cards.card_issue, name="card_issue"),
    path("cards/<uuid:pk>/replace/", views_cards.card_replace, name="card_replace"),
    path("cards/<uuid:pk>/alternates/", views_cards.card_alternates, name="card_alternates"),
    path("cards/<uuid:pk>.pdf", views_cards.card_pdf, name="card_pdf"),
    path("cycles/", views_cycles.cycle_list, name="cycle_list"),
    path("cycles/<uuid:pk>/", views_cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<uuid:pk>/cards/", views_cycles.cycle_issue_cards, name="cycle_issue_cards"),
    path("cycles/<uuid:pk>/cards.pdf", views_cycles.cycle_cards_pdf, name="cycle_cards_pdf"),
    path("cycles/<uuid:pk>/plan.csv", views_cycles.cycle_plan_csv, name="cycle_plan_csv"),
    path("stock/", views_stock.stock_overview, name="stock"),
    path("stock/move/", views_stock.stock_move, name="stock_move"),
    path("stock/dispatch/", views_stock.stock_dispatch, name="stock_dispatch"),
    path("stock/dispatch/<uuid:pk>/receive/", views_stock.stock_receive, name="stock_receive"),
    path("doubles/", views_stock.doubles, name="doubles"),
    path("doubles/<uuid:pk>/review/", views_stock.double_review, name="double_review"),
    path("distribution/", views.point_list, name="point_list"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/", views.point_screen, name="screen"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/scan/", views.point_scan, name="scan"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/give/", views.point_give, name="give"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/tally/", views.point_tally, name="tally"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/report/", views.point_report, name="report"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/close/", views.point_close, name="close"),
    path(
        "distribution/<uuid:point_pk>/<uuid:cycle_pk>/report.csv",
        views.point_report_csv,
        name="report_csv",
    ),
    path(
        "distribution/<uuid:point_pk>/<uuid:cycle_pk>/report.xlsx",
        views.point_report_xlsx,
        name="report_xlsx",
    ),
]

from django.urls import path

from mawa.assistance import views, views_stock

app_name = "assistance"
urlpatterns = [
    path("stock/", views_stock.stock_overview, name="stock"),
    path("stock/move/", views_stock.stock_move, name="stock_move"),
    path("stock/dispatch/", views_stock.stock_dispatch, name="stock_dispatch"),
    path("stock/dispatch/<uuid:pk>/receive/", views_stock.stock_receive, name="stock_receive"),
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
]

from django.urls import path

from mawa.assistance import views

app_name = "assistance"
urlpatterns = [
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

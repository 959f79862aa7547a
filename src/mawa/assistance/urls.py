from django.urls import path

from mawa.assistance import views

app_name = "assistance"
urlpatterns = [
    path("distribution/", views.point_list, name="point_list"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/", views.point_screen, name="screen"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/scan/", views.point_scan, name="scan"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/give/", views.point_give, name="give"),
    path("distribution/<uuid:point_pk>/<uuid:cycle_pk>/tally/", views.point_tally, name="tally"),
]

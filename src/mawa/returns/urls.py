from django.urls import path

from mawa.returns import views

app_name = "returns"
urlpatterns = [
    path("households/<uuid:pk>/return/", views.household_return, name="household"),
    path("households/<uuid:pk>/return/record/", views.intention_record, name="intention_record"),
    path("returns/", views.statistics, name="stats"),
    path("returns/<str:table>.csv", views.statistics_csv, name="stats_csv"),
    path("hazards/priorities/", views.priority_list, name="priority"),
    path("hazards/priorities.geojson", views.priority_geojson, name="priority_geojson"),
]

from django.urls import path

from mawa.hazards import views

app_name = "hazards"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/boundaries.geojson", views.boundaries, name="boundaries"),
    path("map/boundaries/", views.boundaries_upload, name="boundaries_upload"),
    path("hazards/", views.hazard_list, name="list"),
    path("hazards/new/", views.building_new, name="building_new"),
    path("hazards/buildings/<uuid:pk>/", views.building_detail, name="building_detail"),
    path("hazards/areas/<uuid:pk>/", views.area_detail, name="area_detail"),
    path(
        "hazards/buildings/<uuid:pk>/step/",
        views.step_add,
        {"kind": "building"},
        name="building_step",
    ),
    path("hazards/areas/<uuid:pk>/step/", views.step_add, {"kind": "area"}, name="area_step"),
    path(
        "hazards/buildings/<uuid:pk>/blocks/",
        views.blocks_edit,
        {"kind": "building"},
        name="building_blocks",
    ),
    path(
        "hazards/areas/<uuid:pk>/blocks/", views.blocks_edit, {"kind": "area"}, name="area_blocks"
    ),
    path("hazards/import/", views.import_upload, name="import"),
    path("hazards/export.geojson", views.export_geojson, name="export"),
]

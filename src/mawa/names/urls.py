from django.urls import path

from mawa.names import views

app_name = "names"
urlpatterns = [
    path("duplicates/check/", views.duplicate_check, name="check"),
    path("duplicates/", views.review_list, name="review_list"),
    path("duplicates/<uuid:pk>/", views.pair_detail, name="pair_detail"),
    path("duplicates/merges/", views.merge_list, name="merge_list"),
    path("duplicates/merges/<uuid:pk>/undo/", views.merge_reverse, name="merge_reverse"),
    path("duplicates/pairs.csv", views.pairs_export, name="pairs_export"),
    path("duplicates/runs/", views.run_list, name="run_list"),
    path("duplicates/runs/<uuid:pk>/", views.run_detail, name="run_detail"),
    path("duplicates/runs/<uuid:pk>/cancel/", views.run_cancel, name="run_cancel"),
]

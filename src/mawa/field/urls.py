from django.urls import path

from mawa.field import views

app_name = "field"
urlpatterns = [
    path("field/nodes/", views.node_list, name="node_list"),
    path("field/nodes/new/", views.node_create, name="node_create"),
    path("field/nodes/<uuid:pk>/revoke/", views.node_revoke, name="node_revoke"),
]

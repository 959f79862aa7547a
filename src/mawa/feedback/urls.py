from django.urls import path

from mawa.feedback import views, views_figures

app_name = "feedback"
urlpatterns = [
    path("feedback/", views.ticket_list, name="ticket_list"),
    path("feedback/new/", views.ticket_new, name="ticket_new"),
    path("feedback/overdue/", views.overdue, name="overdue"),
    path("feedback/panel/", views.dashboard_panel, name="dashboard_panel"),
    path("feedback/figures/", views_figures.figures, name="figures"),
    path("feedback/figures.csv", views_figures.figures_csv, name="figures_csv"),
    path(
        "feedback/points/<uuid:point_pk>/<uuid:cycle_pk>/",
        views_figures.point_pattern,
        name="point_pattern",
    ),
    path("feedback/<uuid:pk>/", views.ticket_detail, name="ticket_detail"),
    path("feedback/<uuid:pk>/assign/", views.ticket_assign, name="ticket_assign"),
    path("feedback/<uuid:pk>/status/", views.ticket_status, name="ticket_status"),
    path("feedback/<uuid:pk>/answer/", views.ticket_answer, name="ticket_answer"),
]

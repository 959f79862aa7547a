from django.urls import path

from mawa.tracing import views, views_batch

app_name = "tracing"
urlpatterns = [
    path("tracing/", views.case_list, name="case_list"),
    path("tracing/children/", views.child_list, name="child_list"),
    path("tracing/new/", views.case_new, name="case_new"),
    path("tracing/export/", views.export, name="export"),
    path("tracing/lists/", views_batch.batch_list, name="batch_list"),
    path("tracing/lists/<uuid:pk>/", views_batch.batch_detail, name="batch_detail"),
    path("tracing/<uuid:pk>/", views.case_detail, name="case_detail"),
    path("tracing/<uuid:pk>/sought/", views.sought_add, name="sought_add"),
    path("tracing/<uuid:pk>/rematch/", views.case_rematch, name="case_rematch"),
    path("tracing/<uuid:pk>/status/", views.case_status, name="case_status"),
    path("tracing/<uuid:pk>/best-interests/", views.case_best_interests, name="best_interests"),
    path("tracing/<uuid:pk>/erase/", views.case_erase, name="case_erase"),
    path("tracing/<uuid:pk>/seeker/", views.seeker_update, name="seeker_update"),
    path("tracing/<uuid:pk>/summary.pdf", views.case_pdf, name="case_pdf"),
    path("tracing/matches/<uuid:pk>/decide/", views.match_decide, name="match_decide"),
    path("tracing/matches/<uuid:pk>/ask/", views.verification_ask, name="verification_ask"),
    path("tracing/matches/<uuid:pk>/consent/", views.consent_record, name="consent_record"),
    path("tracing/answers/<int:pk>/", views.verification_answer, name="verification_answer"),
    path("tracing/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]

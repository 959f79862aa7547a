from django.urls import path

from mawa.registry import views, views_consent, views_exchange, views_places

app_name = "registry"
urlpatterns = [
    path("", views_places.dashboard, name="dashboard"),
    path("sites/<uuid:pk>/", views_places.site_detail, name="site_detail"),
    path("sites/<uuid:pk>/shelters/", views_places.site_shelters_add, name="site_shelters_add"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_register, name="household_register"),
    path("households/new/member-row/", views.register_member_row, name="member_row"),
    path("households/<uuid:pk>/", views.household_detail, name="household_detail"),
    path("households/<uuid:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<uuid:pk>/members/new/", views.person_add, name="person_add"),
    path("households/<uuid:pk>/shelter/", views.household_shelter, name="household_shelter"),
    path("households/<uuid:pk>/transfer/", views.household_transfer, name="household_transfer"),
    path("households/<uuid:pk>/departure/", views.household_depart, name="household_depart"),
    path("people/<uuid:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:pk>/remove/", views.person_remove, name="person_remove"),
    path("people/<uuid:pk>/needs/", views_consent.person_needs, name="person_needs"),
    path("people/<uuid:pk>/consent/", views_consent.consent_record, name="consent_record"),
    path("consents/<uuid:pk>/withdraw/", views_consent.consent_withdraw, name="consent_withdraw"),
    path("imports/", views_exchange.import_upload, name="import_upload"),
    path("imports/<uuid:pk>/", views_exchange.import_check, name="import_check"),
    path("exports/", views_exchange.export_page, name="export_page"),
    path("exports/<str:kind>.<str:fmt>", views_exchange.export_download, name="export_download"),
]

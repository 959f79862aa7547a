from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mawa.api import api
from mawa.core import views as core_views

urlpatterns = [
    path("", include("mawa.core.urls")),
    path("", include("mawa.registry.urls")),
    path("", include("mawa.names.urls")),
    path("", include("mawa.assistance.urls")),
    path("", include("mawa.field.urls")),
    path("", include("mawa.feedback.urls")),
    path("", include("mawa.hazards.urls")),
    path("", include("mawa.returns.urls")),
    path("", include("mawa.tracing.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", core_views.language_set, name="language_set"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "mawa.core.views.not_found"
handler500 = "mawa.core.views.server_error"

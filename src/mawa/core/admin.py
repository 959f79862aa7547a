"""Django admin for administrators: users, places. The audit log is read-only here.

Every add, change and delete made here is audited (core.signals reads the admin's own log);
deleting several objects at once goes through `audited_delete_selected`, which logs each."""

import secrets

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mawa.core.models import AdminArea, ApiToken, AuditEvent, Site, User


def audited_delete_selected(modeladmin, request, queryset):
    """Django's 'delete selected' action, with one audited admin log entry per object deleted
    (Django writes them in one bulk insert, which sends no signal)."""
    objects = list(queryset) if request.POST.get("post") else []
    response = delete_selected(modeladmin, request, queryset)
    if response is None:  # confirmed and deleted
        for obj in objects:
            LogEntry.objects.log_actions(
                user_id=request.user.pk, queryset=[obj], action_flag=DELETION, single_object=True
            )
    return response


audited_delete_selected.allowed_permissions = ("delete",)
audited_delete_selected.short_description = gettext_lazy("Delete selected %(verbose_name_plural)s")
admin.site.disable_action("delete_selected")
admin.site.add_action(audited_delete_selected, "delete_selected")


@admin.register(User)
class MawaUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Mawa", {"fields": ("role", "all_sites", "sites", "language")}),
    )
    list_display = ("username", "role", "all_sites", "is_active", "last_login")
    list_filter = ("role", "all_sites", "is_active")
    filter_horizontal = ("sites", "groups", "user_permissions")


@admin.register(AdminArea)
class AdminAreaAdmin(admin.ModelAdmin):
    list_display = ("pcode", "name_en", "name_ar", "level", "illustrative")
    list_filter = ("level",)
    search_fields = ("pcode", "name_en", "name_ar")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ar", "code", "kind", "area", "capacity_people", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name_en", "name_ar", "code")
    autocomplete_fields = ("area",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Adding a token shows it once; only its SHA-256 is kept."""

    list_display = ("user", "created_at", "last_used_at")
    fields = ("user",)
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token = secrets.token_urlsafe(32)
        obj.key = ApiToken.digest(token)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _("The token for %(user)s, shown this once (copy it now): %(token)s")
            % {"user": obj.user.username, "token": token},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_type", "object_id", "address")
    list_filter = ("action",)
    search_fields = ("username", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

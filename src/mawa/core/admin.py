"""Django admin for administrators: users, places. The audit log is read-only here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from mawa.core.models import AdminArea, ApiToken, AuditEvent, Site, User


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
    list_display = ("user", "created_at", "last_used_at")
    readonly_fields = ("key",)


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

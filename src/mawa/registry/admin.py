"""Django admin for administrators: sectors and shelters of each site."""

from django.contrib import admin

from mawa.registry.models import Sector, Shelter


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "site")
    list_filter = ("site",)


@admin.register(Shelter)
class ShelterAdmin(admin.ModelAdmin):
    list_display = ("code", "site", "sector", "kind", "capacity_people", "is_active")
    list_filter = ("kind", "is_active", "site")
    search_fields = ("code",)

"""Django admin for administrators: commodities, locations, programmes with their rules, cycles.
The ledger, redemptions and scan log are read-only here: they change only through services."""

from django.contrib import admin

from mawa.assistance.models import (
    Commodity,
    Cycle,
    EntitlementRule,
    Programme,
    Redemption,
    ScanLog,
    StockEntry,
    StockLocation,
)


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ar", "unit")


@admin.register(StockLocation)
class StockLocationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "site")
    list_filter = ("kind",)


class RuleInline(admin.TabularInline):
    model = EntitlementRule
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ar")
    inlines = [RuleInline]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "starts", "ends", "status")
    list_filter = ("status", "programme")
    filter_horizontal = ("sites",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockEntry)
class StockEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "location", "commodity", "quantity", "kind")
    list_filter = ("kind", "location")


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ("at", "cycle", "card", "point", "operator")


@admin.register(ScanLog)
class ScanLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "point", "typed", "outcome", "operator")
    list_filter = ("outcome",)

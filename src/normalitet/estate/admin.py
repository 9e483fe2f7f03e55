from __future__ import annotations

from django.contrib import admin

from .models import Cell, Facility, Municipality, Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "latitude", "longitude")
    search_fields = ("name", "number")


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "security_level", "is_active")
    list_filter = ("region", "security_level", "is_active")
    search_fields = ("name", "code")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "facility", "kind", "security_level", "is_active")
    list_filter = ("kind", "security_level", "is_active")
    search_fields = ("name", "code", "facility__name")
    autocomplete_fields = ("facility",)


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin):
    list_display = ("code", "unit", "capacity", "single_occupancy", "is_active")
    list_filter = ("is_active", "safe_cell", "accessible")
    search_fields = ("code", "unit__name", "unit__facility__name")
    autocomplete_fields = ("unit",)

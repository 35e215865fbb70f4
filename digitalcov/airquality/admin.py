"""Admin: officers edit the city's green targets."""

from django.contrib import admin

from .models import GreenTarget


@admin.register(GreenTarget)
class GreenTargetAdmin(admin.ModelAdmin):
    list_display = ("pollutant", "value", "target_year", "description")
    list_filter = ("pollutant",)

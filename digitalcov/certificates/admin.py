"""Django admin: administrators keep the fee table up to date; orders are read-only here."""

from django.contrib import admin

from .models import Fee, Order


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    list_display = ["certificate_type", "service_level", "amount_pence", "effective_from"]
    list_filter = ["certificate_type", "service_level"]
    ordering = ["certificate_type", "service_level", "-effective_from"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Registrars work in the back office; the admin only lets superusers look orders up."""

    list_display = ["reference", "certificate_type", "status", "total_pence", "created_at"]
    list_filter = ["status", "certificate_type"]
    search_fields = ["reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

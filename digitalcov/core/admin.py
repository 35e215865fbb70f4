"""The audit log in the Django admin: searchable by administrators, and read-only for everyone."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor_id", "on_behalf_of_id", "object_type", "object_id", "channel")
    list_filter = ("channel", "action", "object_type")
    search_fields = ("action", "object_id", "=actor_id", "=on_behalf_of_id")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

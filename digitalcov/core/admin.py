"""The audit log in the Django admin: searchable by administrators, and read-only for everyone."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery

from .models import AuditEvent


def _name_of(field: str) -> Subquery:
    return Subquery(get_user_model().objects.filter(pk=OuterRef(field)).values("full_name")[:1])


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "who", "object_type", "object_id", "channel")
    list_filter = ("channel", "action", "object_type")
    search_fields = ("action", "object_id", "=actor_id", "=on_behalf_of_id")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def get_queryset(self, request):
        # Names are looked up in the same query (no query per row); the log itself stores only ids.
        return (
            super()
            .get_queryset(request)
            .annotate(actor_name=_name_of("actor_id"), on_behalf_of_name=_name_of("on_behalf_of_id"))
        )

    @admin.display(description="Who")
    def who(self, event) -> str:
        """ "User 5 (Chris Adviser) on behalf of user 7 (Sam Patel)", or "System"."""
        if event.actor_id is None:
            return "System"
        text = f"User {event.actor_id} ({event.actor_name or 'erased'})"
        if event.on_behalf_of_id is not None:
            text += f" on behalf of user {event.on_behalf_of_id} ({event.on_behalf_of_name or 'erased'})"
        return text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The Django admin for accounts: find people by email or name, assign roles (groups), never see or
type a password hash (Django's read-only password summary and its "set password" form only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from digitalcov.core.audit import record_for_request

from .models import User


class UserChangeFormForEmail(UserChangeForm):
    """Django's change form (read-only password summary) for our model."""

    class Meta:
        model = User
        fields = "__all__"


class UserCreationFormForEmail(AdminUserCreationForm):
    """Django's admin creation form, asking for an email address instead of a username."""

    class Meta:
        model = User
        fields = ("email", "full_name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People: search by email, name or postcode; assign roles through groups."""

    form = UserChangeFormForEmail
    add_form = UserCreationFormForEmail
    ordering = ("email",)
    list_display = ("email", "full_name", "email_verified", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "email_verified", "groups")
    search_fields = ("email", "full_name", "postcode")
    readonly_fields = ("last_login", "date_joined", "erased_at", "recorded_by")
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "email_verified", "pending_email", "password")}),
        (
            "Personal details",
            {"fields": ("full_name", "phone", "address_line_1", "address_line_2", "town", "postcode")},
        ),
        (
            "Roles and access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("History", {"fields": ("date_joined", "last_login", "recorded_by", "erased_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Show or save one person's record, auditing the read or the change (ids only)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        person = self.get_object(request, object_id)
        if person is not None and response.status_code in (200, 302):
            action = "admin.user_changed" if request.method == "POST" else "admin.user_viewed"
            record_for_request(request, action, person)
        return response

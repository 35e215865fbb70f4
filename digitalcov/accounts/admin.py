"""The Django admin for accounts: find people by email or name, assign roles (groups), never see or
type a password hash (Django's read-only password summary and its "set password" form only).

Only a superuser can give out admin access. The Administrator role (`core.roles`) can change residents'
and non-administrator staff's records and give or take away the roles in `services.GRANTABLE_ROLES`, but
cannot make anyone staff or superuser, hand out single permissions, change its own roles, change other
administrators' or superusers' accounts, or set anyone's password (see `services.may_change_account`).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from digitalcov.core.audit import record_for_request
from digitalcov.core.forms import PhoneField, PostcodeField

from . import services
from .models import User

# Fields only a superuser may change: each one could hand out more access than the Administrator role has.
ESCALATION_FIELDS = ("is_staff", "is_superuser", "user_permissions")


class UserChangeFormForEmail(UserChangeForm):
    """Django's change form (read-only password summary) for our model, checking telephone numbers and
    postcodes the way the resident's own pages do (either may be left blank)."""

    postcode = PostcodeField(required=False, max_length=10)
    phone = PhoneField(label="Phone number", required=False, max_length=30)

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

    def has_change_permission(self, request, obj=None):
        """Superusers' and other administrators' accounts are view-only to anyone but a superuser."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_change_account(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ESCALATION_FIELDS
            if obj is not None and not services.may_change_roles(request.user, obj):
                fields.append("groups")
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """A non-superuser can only pick the roles they are allowed to give."""
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=services.grantable_roles(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        """Keep any role the editor cannot give (and so was not offered): choosing from the roles they
        may give must not silently take away one they may not (such as Administrator)."""
        kept = []
        if change and "groups" in form.fields and not request.user.is_superuser:
            kept = list(form.instance.groups.exclude(name__in=services.grantable_roles(request.user)))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)

    def user_change_password(self, request, id, form_url=""):
        """Only a superuser may set a password here; residents reset their own by email."""
        if not services.may_set_passwords(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Show or save one person's record, auditing the read or the change (ids only)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        person = self.get_object(request, object_id)
        if person is not None and response.status_code in (200, 302):
            action = "admin.user_changed" if request.method == "POST" else "admin.user_viewed"
            record_for_request(request, action, person)
        return response

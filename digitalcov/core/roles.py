"""Roles as Django groups, each granted only the permissions its work needs (least privilege).

`ensure_roles()` runs after every migrate, so a new database always has the groups. Staff areas are
guarded by `staff_area(permission)`: a visitor who is not signed in is sent to sign in; a signed-in user
without the permission gets the 403 page.
"""

from __future__ import annotations

from functools import wraps

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

RESIDENT = "Resident"
CUSTOMER_SERVICE_AGENT = "Customer service agent"
RECYCLING_SITE_STAFF = "Recycling site staff"
REGISTRAR = "Registrar"
ADMINISTRATOR = "Administrator"
OPEN_DATA_MANAGER = "Open data manager"
# Manages data sharing agreements with partners and reads who saw what (records, issue 5 section 8).
# Partner users hold no role: their PartnerMembership (records.models) names their organisation.
INFORMATION_GOVERNANCE_OFFICER = "Information governance officer"
# Imports source files, runs linkage and settles uncertain pairs: the only staff who read the personal
# data in golden records and source records (records, issue 5 sections 1 and 6).
DATA_STEWARD = "Data steward"

# "app_label.codename" for each role. Administrators also get is_staff for the Django admin.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    RESIDENT: [],
    CUSTOMER_SERVICE_AGENT: ["accounts.act_for_resident"],
    RECYCLING_SITE_STAFF: ["tips.manage_site_visits"],
    REGISTRAR: ["certificates.process_orders"],
    # Manages the whole catalogue in the Django admin and may change any organisation's datasets through
    # the CKAN API (CKAN's "sysadmin"). Publishers need no role: their organisation membership says it.
    OPEN_DATA_MANAGER: [
        "catalogue.administer_catalogue",
        *[
            f"catalogue.{action}_{model}"
            for model in (
                "organisation",
                "membership",
                "theme",
                "licence",
                "tag",
                "dataset",
                "datasetextra",
                "resource",
            )
            for action in ("add", "change", "view", "delete")
        ],
        "catalogue.view_metadatachange",
        "catalogue.view_apitoken",
        "catalogue.delete_apitoken",
    ],
    INFORMATION_GOVERNANCE_OFFICER: [
        "records.manage_sharing",
        "records.view_partnerorganisation",
        "records.add_partnerorganisation",
    ],
    DATA_STEWARD: ["records.steward_golden_records"],
    ADMINISTRATOR: [
        "core.view_auditevent",
        "tips.add_site",
        "tips.change_site",
        "tips.view_site",
        "tips.delete_site",
        "tips.add_openinghours",
        "tips.change_openinghours",
        "tips.view_openinghours",
        "tips.delete_openinghours",
        "tips.add_closure",
        "tips.change_closure",
        "tips.view_closure",
        "tips.delete_closure",
        "certificates.add_fee",
        "certificates.change_fee",
        "certificates.view_fee",
        "accounts.view_user",
        "accounts.change_user",
        "auth.view_group",
        # The city's own air quality targets, shown on /air-quality/green-targets/.
        "airquality.add_greentarget",
        "airquality.change_greentarget",
        "airquality.view_greentarget",
        "airquality.delete_greentarget",
    ],
}


def ensure_roles(**_kwargs) -> None:
    """Create the role groups and (re)grant exactly their permissions. Safe to run repeatedly."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, permission_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(permission_names))


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:  # an app not yet migrated simply grants nothing yet
            found.append(permission)
    return found


def staff_area(permission: str):
    """Decorator for a staff page that needs `permission`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

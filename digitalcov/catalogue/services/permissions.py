"""Who may see and change what (CKAN's authorisation rules, ckan/logic/auth/, simplified to the
catalogue's needs):

- a sysadmin (a superuser, or anyone with `catalogue.administer_catalogue`) may do anything;
- an organisation's admins and editors create, change and delete its datasets and resources;
- its members (any role) also see its private and draft datasets;
- everyone sees active public datasets. Private, draft and deleted datasets are hidden from everyone
  else: the API answers "not found", never "not allowed", so their existence does not leak.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..models import Dataset, Membership, Organisation, State

PUBLISHING_ROLES = (Membership.Role.ADMIN, Membership.Role.EDITOR)


def is_sysadmin(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("catalogue.administer_catalogue")


def member_organisation_ids(user, roles: tuple[str, ...] | None = None) -> list:
    """Ids of the organisations `user` belongs to (with one of `roles`, when given)."""
    if user is None or not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("organisation_id", flat=True))


def can_publish_in(user, organisation: Organisation) -> bool:
    """May `user` create and change datasets of `organisation`?"""
    if is_sysadmin(user):
        return True
    return organisation.pk in member_organisation_ids(user, PUBLISHING_ROLES)


def visible_datasets(user, *, include_private: bool = True, include_drafts: bool = False) -> QuerySet:
    """The datasets `user` may see. Outsiders get only active public ones. Members also get their
    organisations' private ones (when `include_private`) and drafts (when `include_drafts`)."""
    public = Q(state=State.ACTIVE, private=False)
    if is_sysadmin(user):
        states = [State.ACTIVE, State.DRAFT] if include_drafts else [State.ACTIVE]
        allowed = Q(state__in=states) if include_private else Q(state__in=states, private=False)
        return Dataset.objects.filter(allowed)
    organisations = member_organisation_ids(user)
    if not organisations:
        return Dataset.objects.filter(public)
    own = Q(organisation_id__in=organisations)
    allowed = public
    if include_private:
        allowed |= own & Q(state=State.ACTIVE, private=True)
    if include_drafts:
        allowed |= own & Q(state=State.DRAFT)
    return Dataset.objects.filter(allowed)


def can_see(user, dataset: Dataset) -> bool:
    """May `user` see this one dataset (package_show, resource_show, downloads)? Deleted datasets are
    seen only by those who may change them, as in CKAN."""
    if dataset.state == State.ACTIVE and not dataset.private:
        return True
    if is_sysadmin(user):
        return True
    if dataset.state == State.DELETED:
        return can_publish_in(user, dataset.organisation)
    return dataset.organisation_id in member_organisation_ids(user)


def can_change(user, dataset: Dataset) -> bool:
    return can_publish_in(user, dataset.organisation)

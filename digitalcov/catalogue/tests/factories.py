"""Test data for the catalogue: organisations with members, themes, and datasets made through the
services (so history and the search index are real), with Coventry-flavoured content."""

from __future__ import annotations

import itertools

from digitalcov.catalogue import services
from digitalcov.catalogue.models import Membership, Organisation, Theme
from digitalcov.core.testing.factories import make_resident

_counter = itertools.count(1)


def make_organisation(name: str = "", title: str = "") -> Organisation:
    n = next(_counter)
    return Organisation.objects.create(name=name or f"service-{n}", title=title or f"Council service {n}")


def make_member(organisation: Organisation, role: str = Membership.Role.EDITOR):
    user = make_resident()
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def make_theme(name: str, title: str) -> Theme:
    return Theme.objects.create(name=name, title=title)


def make_dataset(publisher, organisation: Organisation, **fields):
    n = next(_counter)
    data = {
        "name": f"dataset-{n}",
        "title": f"Dataset {n}",
        "notes": "Figures published by Coventry City Council.",
        "owner_org": organisation.name,
    }
    data.update(fields)
    return services.create_dataset(publisher, data)

"""Catalogue fixtures: uploads go to a temporary folder; a publishing organisation with an editor."""

import pytest

from .factories import make_member, make_organisation


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def transport(db):
    return make_organisation("transport", "Transport and highways")


@pytest.fixture
def editor(transport):
    return make_member(transport)

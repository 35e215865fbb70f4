"""Catalogue fixtures: uploads go to a temporary folder; a publishing organisation with an editor;
a production server on a fresh database for the live client tests."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from digitalcov.core.testing.live_server import fresh_database, production_server

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


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for a server started meanwhile (it reads its settings from them),
    and put back what was there before."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def live_catalogue(request, tmp_path_factory):
    """A production server on a fresh database, set up by the test module, with uploads in a
    temporary folder: yields the server and the API tokens its set-up script printed as JSON.

    The module names its database in ``LIVE_DATABASE``, its set-up script in ``SET_UP`` and any
    further server settings in ``LIVE_ENVIRON``; one server serves all the module's tests.
    """
    module = request.module
    environ = {"MEDIA_ROOT": str(tmp_path_factory.mktemp("media")), **getattr(module, "LIVE_ENVIRON", {})}
    with (
        _environ(environ),
        fresh_database(module.LIVE_DATABASE) as url,
        production_server(url, workers=2, threads=2) as server,
    ):
        tokens = json.loads(server.shell(module.SET_UP).strip().splitlines()[-1])
        yield server, tokens

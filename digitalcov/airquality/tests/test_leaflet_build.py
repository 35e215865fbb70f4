"""`digitalcov build_frontend` copies Leaflet from npm into the static files, so the map needs no CDN."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"


@pytest.mark.skipif(not (NODE_MODULES / "leaflet").exists(), reason="npm ci has not been run")
def test_build_frontend_copies_leaflet_with_its_images_and_licence(tmp_path, settings):
    settings.FRONTEND_BUILD_DIR = tmp_path
    call_command("build_frontend", node_modules=str(NODE_MODULES), stdout=StringIO())
    leaflet = tmp_path / "leaflet"
    for name in ("leaflet.js", "leaflet.js.map", "leaflet.css", "LICENSE", "images/marker-icon.png"):
        assert (leaflet / name).is_file(), name
    assert "url(images/layers.png)" in (leaflet / "leaflet.css").read_text()
    assert (tmp_path / "govuk" / "govuk-frontend.min.css").is_file()

"""The PyPI `ckanapi` client (`RemoteCKAN`) drives every action against the production server, as
harvesters and scripts do: results come back, and CKAN's errors are raised as ckanapi's NotFound,
ValidationError, NotAuthorized and SearchError. Runs on SQLite or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import io
import json

import ckanapi
import pytest

SET_UP = """
import json
from django.contrib.auth import get_user_model
from digitalcov.catalogue import services
from digitalcov.catalogue.models import Membership, Organisation, Theme

User = get_user_model()
transport = Organisation.objects.create(name="transport", title="Transport and highways")
housing = Organisation.objects.create(name="housing", title="Housing")
Theme.objects.create(name="environment", title="Environment")
editor = User.objects.create_user(email="editor@example.gov.uk", full_name="Ed Itor")
outsider = User.objects.create_user(email="housing@example.gov.uk", full_name="Out Sider")
Membership.objects.create(organisation=transport, user=editor, role="editor")
Membership.objects.create(organisation=housing, user=outsider, role="editor")
services.create_dataset(outsider, {"name": "private-tenancy-audit", "owner_org": "housing", "private": True,
                                   "title": "Private tenancy audit", "tags": [{"name": "secret-tag"}]})
print(json.dumps({"editor": services.issue_token(editor, "script")[1],
                  "outsider": services.issue_token(outsider, "script")[1]}))
"""


# The live_catalogue fixture (conftest.py) starts the server on this database and runs SET_UP.
LIVE_DATABASE = "digitalcov_catalogue_live"
LIVE_ENVIRON = {"CATALOGUE_UPLOAD_MAX_BYTES": "2000"}


@pytest.mark.server
def test_ckanapi_client_reads_writes_and_gets_ckans_errors(live_catalogue):
    srv, tokens = live_catalogue
    anonymous = ckanapi.RemoteCKAN(srv.url)
    editor = ckanapi.RemoteCKAN(srv.url, apikey=tokens["editor"])
    outsider = ckanapi.RemoteCKAN(srv.url, apikey=tokens["outsider"])

    assert anonymous.action.status_show()["ckan_version"].startswith("2.10")
    assert anonymous.action.help_show(name="package_search").startswith("Search (q, fq")
    assert "OGL-UK-3.0" in [licence["id"] for licence in anonymous.action.license_list()]

    created = editor.action.package_create(
        name="bus-stops",
        title="Bus stops",
        notes="Every bus stop in Coventry.",
        owner_org="transport",
        tags=[{"name": "buses"}],
        groups=[{"name": "environment"}],
        extras=[{"key": "source", "value": "NaPTAN"}],
        update_frequency="monthly",
    )
    assert created["organization"]["name"] == "transport"
    assert created["license_id"] == "OGL-UK-3.0"

    resource = editor.action.resource_create(
        package_id="bus-stops", name="Stops", upload=("stops.csv", io.BytesIO(b"id,name\n1,Pool Meadow\n"))
    )
    assert (resource["format"], resource["size"], resource["url_type"]) == ("CSV", 22, "upload")
    import requests

    assert requests.get(resource["url"], timeout=30).content == b"id,name\n1,Pool Meadow\n"
    link = editor.action.resource_create(package_id="bus-stops", url="https://example.org/stops.json")
    assert (
        editor.action.resource_update(id=link["id"], url="https://example.org/stops.geojson")["format"]
        == "GEOJSON"
    )
    assert anonymous.action.resource_show(id=resource["id"])["name"] == "Stops"
    assert editor.action.resource_patch(id=link["id"], name="Stops as GeoJSON")["url"].endswith(".geojson")
    editor.action.resource_delete(id=link["id"])

    patched = editor.action.package_patch(id="bus-stops", title="Bus stops and shelters")
    assert (patched["title"], patched["notes"], patched["num_resources"]) == (
        "Bus stops and shelters",
        "Every bus stop in Coventry.",
        1,
    )
    updated = editor.action.package_update(**{**patched, "notes": "Stops and shelters."})
    assert updated["notes"] == "Stops and shelters."
    assert anonymous.action.package_show(id="bus-stops")["title"] == "Bus stops and shelters"

    assert anonymous.action.package_list() == ["bus-stops"]
    assert [p["name"] for p in anonymous.action.current_package_list_with_resources()] == ["bus-stops"]
    found = anonymous.action.package_search(
        q="shelters", fq="tags:buses", **{"facet.field": '["res_format"]'}
    )
    assert found["count"] == 1 and found["facets"]["res_format"] == {"CSV": 1}
    assert anonymous.action.organization_list() == ["housing", "transport"]
    assert anonymous.action.organization_show(id="transport")["package_count"] == 1
    assert anonymous.action.group_list() == ["environment"]
    assert anonymous.action.group_show(id="environment")["package_count"] == 1
    assert anonymous.action.tag_list() == ["buses"]

    # CKAN's errors, raised by ckanapi as CKAN's own exceptions.
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="private-tenancy-audit")
    with pytest.raises(ckanapi.NotFound):
        editor.action.package_show(id="private-tenancy-audit")
    with pytest.raises(ckanapi.ValidationError) as invalid:
        editor.action.package_create(name="bus-stops", owner_org="transport")
    assert invalid.value.error_dict["name"] == ["That URL is already in use."]
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(name="new-one", owner_org="transport")
    with pytest.raises(ckanapi.NotAuthorized):
        outsider.action.package_patch(id="bus-stops", title="Taken over")
    with pytest.raises(ckanapi.NotAuthorized):
        outsider.action.resource_create(package_id="bus-stops", url="https://example.org/x.csv")
    with pytest.raises(ckanapi.SearchError):
        anonymous.action.package_search(fq="title:bus*")
    with pytest.raises(ckanapi.ValidationError) as too_big:
        editor.action.resource_create(package_id="bus-stops", upload=("big.csv", io.BytesIO(b"x" * 2001)))
    assert "larger than the limit" in too_big.value.error_dict["upload"][0]
    # The uploaded CSV was loaded into the datastore by the background task once the upload committed.
    loaded = anonymous.action.datastore_search(resource_id=resource["id"])
    assert loaded["records"][0]["name"] == "Pool Meadow"

    # Private datasets: nothing reaches an outsider, on any route.
    for client in (anonymous, editor):
        everything = json.dumps(
            [
                client.action.package_list(),
                client.action.current_package_list_with_resources(),
                client.action.package_search(q="audit", include_private=True),
                client.action.tag_list(),
                client.action.organization_show(id="housing", include_datasets=True),
                client.action.organization_list(all_fields=True),
            ]
        )
        assert "tenancy" not in everything and "secret-tag" not in everything
    assert outsider.action.package_search(q="audit", include_private=True)["count"] == 1

    editor.action.package_delete(id="bus-stops")
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="bus-stops")
    assert anonymous.action.package_search()["count"] == 0

"""The PyPI `ckanapi` client (`RemoteCKAN`) against the production server: datastore_create,
datastore_upsert, datastore_search, datastore_search_sql and datastore_delete as scripts call them, an
uploaded CSV loaded by the background task, CKAN's errors raised as ckanapi's exceptions, and a
private dataset's datastore invisible to an outsider. Runs on SQLite or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import io

import ckanapi
import pytest

SET_UP = """
import json
from django.contrib.auth import get_user_model
from digitalcov.catalogue import services
from digitalcov.catalogue.models import Membership, Organisation

User = get_user_model()
environment = Organisation.objects.create(name="environment", title="Environment")
housing = Organisation.objects.create(name="housing", title="Housing")
editor = User.objects.create_user(email="editor@example.gov.uk", full_name="Ed Itor")
officer = User.objects.create_user(email="officer@example.gov.uk", full_name="Hou Sing")
Membership.objects.create(organisation=environment, user=editor, role="editor")
Membership.objects.create(organisation=housing, user=officer, role="editor")
services.create_dataset(editor, {"name": "air-quality", "owner_org": "environment", "title": "Air quality"})
services.create_dataset(officer, {"name": "tenancies", "owner_org": "housing", "private": True})
print(json.dumps({"editor": services.issue_token(editor, "script")[1],
                  "officer": services.issue_token(officer, "script")[1]}))
"""


# The live_catalogue fixture (conftest.py) starts the server on this database and runs SET_UP.
LIVE_DATABASE = "digitalcov_h3store_live"


@pytest.mark.server
def test_ckanapi_client_drives_the_datastore(live_catalogue):
    srv, tokens = live_catalogue
    anonymous = ckanapi.RemoteCKAN(srv.url)
    editor = ckanapi.RemoteCKAN(srv.url, apikey=tokens["editor"])
    officer = ckanapi.RemoteCKAN(srv.url, apikey=tokens["officer"])

    created = editor.action.datastore_create(
        resource={"package_id": "air-quality", "name": "Daily NO2"},
        fields=[
            {"id": "site", "type": "text"},
            {"id": "day", "type": "date"},
            {"id": "no2", "type": "numeric"},
        ],
        primary_key=["site", "day"],
        records=[
            {"site": "Holyhead Road", "day": "2024-01-01", "no2": 31.5},
            {"site": "Foleshill Road", "day": "2024-01-01", "no2": 28},
        ],
    )
    resource_id = created["resource_id"]
    editor.action.datastore_upsert(
        resource_id=resource_id,
        records=[
            {"site": "Holyhead Road", "day": "2024-01-01", "no2": 33},
            {"site": "Ball Hill", "day": "2024-01-01", "no2": 19},
        ],
    )
    found = anonymous.action.datastore_search(resource_id=resource_id, sort="no2 desc", limit=2)
    assert found["total"] == 3
    assert [(r["site"], r["no2"]) for r in found["records"]] == [
        ("Holyhead Road", 33.0),
        ("Foleshill Road", 28.0),
    ]
    assert found["_links"]["next"].endswith("&offset=2")
    filtered = anonymous.action.datastore_search(resource_id=resource_id, filters={"site": ["Ball Hill"]})
    assert filtered["records"][0]["no2"] == 19.0

    table = "ds_" + resource_id.replace("-", "")
    summed = anonymous.action.datastore_search_sql(sql=f'SELECT sum(no2) AS total FROM "{table}"')  # noqa: S608
    assert summed["records"] == [{"total": 80.0}]

    # An uploaded CSV is loaded by the background task after the upload is committed.
    upload = editor.action.resource_create(
        package_id="air-quality", upload=("sites.csv", io.BytesIO(b"site,ward\nHolyhead Road,Radford\n"))
    )
    assert anonymous.action.datastore_search(resource_id=upload["id"])["records"][0]["ward"] == "Radford"

    # CKAN's errors, as ckanapi raises them.
    with pytest.raises(ckanapi.ValidationError):
        anonymous.action.datastore_search_sql(sql=f"DELETE FROM {table}")  # noqa: S608
    with pytest.raises(ckanapi.ValidationError):
        anonymous.action.datastore_search_sql(sql="SELECT * FROM accounts_user")
    with pytest.raises(ckanapi.ValidationError):
        anonymous.action.datastore_search(resource_id=resource_id, filters={"no2": "high"})
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.datastore_upsert(
            resource_id=resource_id, records=[{"site": "x", "day": "2024-01-02"}]
        )
    with pytest.raises(ckanapi.NotAuthorized):
        officer.action.datastore_create(resource_id=resource_id, records=[{"site": "x", "day": "2024-01-02"}])
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.datastore_search(resource_id="00000000-0000-0000-0000-000000000000")

    # A private dataset's datastore: its members read it, nobody else learns it exists.
    private = officer.action.datastore_create(
        resource={"package_id": "tenancies", "name": "Tenancies"},
        fields=[{"id": "tenancy", "type": "text"}],
        records=[{"tenancy": "T1"}],
    )["resource_id"]
    assert officer.action.datastore_search(resource_id=private)["total"] == 1
    for client in (anonymous, editor):
        with pytest.raises(ckanapi.NotFound):
            client.action.datastore_search(resource_id=private)
        with pytest.raises(ckanapi.ValidationError):
            client.action.datastore_search_sql(sql="SELECT * FROM ds_" + private.replace("-", ""))  # noqa: S608

    editor.action.datastore_delete(resource_id=resource_id, filters={"site": "Ball Hill"})
    assert anonymous.action.datastore_search(resource_id=resource_id)["total"] == 2

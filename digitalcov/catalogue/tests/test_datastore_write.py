"""datastore_create, datastore_upsert and datastore_delete: only the publishers of the resource's
organisation write, with an API token; records are typed and checked; upserts go by the primary key."""

from __future__ import annotations

import json

import pytest

from digitalcov.catalogue import services
from digitalcov.catalogue.datastore.models import DatastoreTable
from digitalcov.catalogue.datastore.search import datastore_search
from digitalcov.catalogue.models import Membership, Resource

from .factories import make_dataset, make_member, make_organisation

pytestmark = pytest.mark.django_db

FIELDS = [{"id": "site", "type": "text"}, {"id": "no2", "type": "numeric"}, {"id": "day", "type": "date"}]


def _call(client, action: str, token: str | None, **params):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    response = client.post(
        f"/api/3/action/{action}", json.dumps(params), content_type="application/json", **headers
    )
    return response.status_code, response.json()


@pytest.fixture
def token(editor):
    return services.issue_token(editor, "script")[1]


@pytest.fixture
def readings(client, editor, transport, token):
    make_dataset(editor, transport, name="no2-readings")
    status, body = _call(
        client,
        "datastore_create",
        token,
        resource={"package_id": "no2-readings", "name": "Daily NO2"},
        fields=FIELDS,
        primary_key=["site", "day"],
        records=[
            {"site": "Holyhead Road", "no2": 31.5, "day": "2024-01-01"},
            {"site": "Foleshill Road", "no2": 28, "day": "2024-01-01"},
        ],
    )
    assert status == 200, body
    return body["result"]["resource_id"]


def test_datastore_create_makes_the_resource_and_its_typed_table(editor, readings):
    resource = Resource.objects.get(pk=readings)
    assert resource.datastore_active and resource.dataset.name == "no2-readings"
    record = DatastoreTable.objects.get(resource=resource)
    assert (record.source, record.row_count, record.primary_key) == ("api", 2, ["site", "day"])
    result = datastore_search(editor, {"resource_id": readings, "sort": "no2"})
    assert result["records"][0] == {"_id": 2, "site": "Foleshill Road", "no2": 28.0, "day": "2024-01-01"}


def test_datastore_create_on_an_existing_table_adds_fields_and_rows(client, editor, readings, token):
    status, body = _call(
        client,
        "datastore_create",
        token,
        resource_id=readings,
        fields=[{"id": "ratified", "type": "bool"}],
        records=[{"site": "Ball Hill", "no2": 19, "day": "2024-01-01", "ratified": True}],
    )
    assert status == 200, body
    assert [f["id"] for f in body["result"]["fields"]] == ["site", "no2", "day", "ratified"]
    assert datastore_search(editor, {"resource_id": readings})["total"] == 3


def test_upsert_updates_by_the_primary_key_and_inserts_new_keys(client, editor, readings, token):
    status, body = _call(
        client,
        "datastore_upsert",
        token,
        resource_id=readings,
        records=[
            {"site": "Holyhead Road", "day": "2024-01-01", "no2": 33},
            {"site": "Holyhead Road", "day": "2024-01-02", "no2": 30},
        ],
    )
    assert status == 200 and body["result"]["method"] == "upsert"
    rows = datastore_search(
        editor, {"resource_id": readings, "filters": {"site": "Holyhead Road"}, "sort": "day"}
    )
    assert [(r["day"], r["no2"]) for r in rows["records"]] == [("2024-01-01", 33.0), ("2024-01-02", 30.0)]


def test_update_of_a_missing_key_and_insert_of_a_repeated_key_are_refused(client, editor, readings, token):
    status, body = _call(
        client,
        "datastore_upsert",
        token,
        resource_id=readings,
        method="update",
        records=[{"site": "Nowhere", "day": "2024-01-01", "no2": 1}],
    )
    assert status == 409 and "not found" in body["error"]["key"][0]
    status, body = _call(
        client,
        "datastore_upsert",
        token,
        resource_id=readings,
        method="insert",
        records=[{"site": "Holyhead Road", "day": "2024-01-01", "no2": 1}],
    )
    assert status == 409 and "repeats the primary key" in body["error"]["records"][0]
    assert datastore_search(editor, {"resource_id": readings})["total"] == 2  # nothing half-written


def test_records_of_the_wrong_type_or_with_unknown_fields_are_refused(client, readings, token):
    status, body = _call(client, "datastore_upsert", token, resource_id=readings, records=[{"no2": "high"}])
    assert status == 409 and "no2" in body["error"]["records"][0]
    status, body = _call(client, "datastore_upsert", token, resource_id=readings, records=[{"x": 1}])
    assert status == 409 and 'field "x" not in table' in body["error"]["records"][0]
    status, body = _call(
        client,
        "datastore_create",
        token,
        resource={"package_id": "no2-readings"},
        fields=[{"id": 'bad"name', "type": "text"}],
    )
    assert status == 409 and "quotes" in body["error"]["fields"][0]


def test_only_the_organisations_publishers_write_with_a_token(client, readings, transport):
    record = {"site": "Holyhead Road", "day": "2024-01-01", "no2": 99}
    status, body = _call(client, "datastore_upsert", None, resource_id=readings, records=[record])
    assert status == 403 and body["error"]["__type"] == "Authorization Error"
    outsider = services.issue_token(make_member(make_organisation()), "x")[1]
    assert _call(client, "datastore_upsert", outsider, resource_id=readings, records=[record])[0] == 403
    member = services.issue_token(make_member(transport, Membership.Role.MEMBER), "x")[1]
    assert _call(client, "datastore_upsert", member, resource_id=readings, records=[record])[0] == 403
    assert _call(client, "datastore_delete", outsider, resource_id=readings)[0] == 403
    assert _call(client, "datastore_create", outsider, resource_id=readings, records=[record])[0] == 403
    # GET cannot write.
    response = client.get("/api/3/action/datastore_upsert", {"resource_id": readings})
    assert response.status_code == 400


def test_writes_to_a_private_datasets_datastore_look_like_a_missing_resource_to_outsiders(client, db):
    housing = make_organisation("housing", "Housing")
    officer = make_member(housing)
    make_dataset(officer, housing, name="tenancies", private=True)
    created = services.create_resource(officer, {"package_id": "tenancies", "name": "List"})
    outsider = services.issue_token(make_member(make_organisation()), "x")[1]
    status, body = _call(client, "datastore_create", outsider, resource_id=str(created.pk), fields=FIELDS)
    assert status == 404 and body["error"]["__type"] == "Not Found Error"


def test_datastore_delete_removes_filtered_rows_or_the_whole_table(client, editor, readings, token):
    status, _ = _call(
        client, "datastore_delete", token, resource_id=readings, filters={"site": "Foleshill Road"}
    )
    assert status == 200
    assert datastore_search(editor, {"resource_id": readings})["total"] == 1
    status, _ = _call(client, "datastore_delete", token, resource_id=readings)
    assert status == 200
    assert not Resource.objects.get(pk=readings).datastore_active
    assert _call(client, "datastore_search", None, resource_id=readings)[0] == 404

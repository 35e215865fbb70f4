"""datastore_search through the Action API (Django's test client): filters, q, fields, sort, paging,
totals, record formats and CKAN's errors; a private dataset's datastore is invisible to outsiders."""

from __future__ import annotations

import json

import pytest

from digitalcov.catalogue import services

from .datastore_factories import BUS_STOPS_CSV, upload_table
from .factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def stops(editor, transport):
    resource, _ = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode())
    return str(resource.pk)


def _search(client, **params):
    response = client.post(
        "/api/3/action/datastore_search", json.dumps(params), content_type="application/json"
    )
    return response.status_code, response.json()


def test_filters_take_a_value_or_a_list_and_are_typed(client, stops):
    status, body = _search(client, resource_id=stops, filters={"ward": "St Michael's"})
    assert status == 200 and body["success"] and body["result"]["total"] == 2
    _, body = _search(client, resource_id=stops, filters={"atco_code": ["007", "009"], "accessible": "true"})
    assert [r["name"] for r in body["result"]["records"]] == ["Pool Meadow Bus Station", "Coventry Station"]
    status, body = _search(client, resource_id=stops, filters={"boardings": "lots"})
    assert status == 409 and body["error"]["__type"] == "Validation Error" and "filters" in body["error"]
    status, body = _search(client, resource_id=stops, filters={"nope": 1})
    assert status == 409 and body["error"]["filters"] == ['field "nope" not in table']


def test_q_finds_every_word_in_any_field_or_in_one_field(client, stops):
    _, body = _search(client, resource_id=stops, q="station pool")
    assert [r["atco_code"] for r in body["result"]["records"]] == ["007"]
    _, body = _search(client, resource_id=stops, q={"ward": "earlsdon"})
    assert [r["atco_code"] for r in body["result"]["records"]] == ["009"]
    _, body = _search(client, resource_id=stops, q="100%")
    assert body["result"]["total"] == 0  # % is a character to find, not a wildcard


def test_fields_sort_limit_offset_and_links(client, stops):
    _, body = _search(
        client, resource_id=stops, fields="name,boardings", sort="boardings desc", limit=2, offset=1
    )
    result = body["result"]
    assert result["fields"] == [{"id": "name", "type": "text"}, {"id": "boardings", "type": "numeric"}]
    assert result["records"] == [
        {"name": "Coventry Station", "boardings": 4100.0},
        {"name": "Trinity Street", "boardings": 2300.5},
    ]
    assert result["total"] == 3 and result["limit"] == 2
    assert result["_links"]["next"].endswith("&offset=3")
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search?resource_id=")
    status, body = _search(client, resource_id=stops, sort="boardings; drop table x")
    assert status == 409 and "sort" in body["error"]
    status, body = _search(client, resource_id=stops, limit=10**9)
    assert status == 200 and body["result"]["limit"] == 32000


def test_records_come_as_lists_csv_and_without_a_total(client, stops):
    _, body = _search(client, resource_id=stops, records_format="lists", fields=["atco_code"], limit=1)
    assert body["result"]["records"] == [["007"]]
    _, body = _search(client, resource_id=stops, records_format="csv", fields=["atco_code", "ward"])
    assert body["result"]["records"] == "007,St Michael's\n008,St Michael's\n009,Earlsdon\n"
    _, body = _search(client, resource_id=stops, include_total=False)
    assert "total" not in body["result"]


def test_get_with_url_parameters_works_as_ckan_clients_send_it(client, stops):
    response = client.get(
        "/api/3/action/datastore_search", {"resource_id": stops, "filters": '{"ward": "Earlsdon"}'}
    )
    assert response.status_code == 200 and response.json()["result"]["total"] == 1


def test_a_resource_without_a_datastore_is_not_found_as_ckan_says(client, editor, transport):
    dataset = services.create_dataset(editor, {"name": "links", "owner_org": transport.name})
    link = services.create_resource(editor, {"package_id": dataset.name, "url": "https://example.org/a.csv"})
    status, body = _search(client, resource_id=str(link.pk))
    assert status == 404 and body["error"]["__type"] == "Not Found Error"


def test_a_private_datasets_datastore_is_invisible_to_outsiders(client, db):
    housing = make_organisation("housing", "Housing")
    officer = make_member(housing)
    resource, _ = upload_table(officer, housing, "tenancies.csv", b"tenancy,rent\nT1,120\n", private=True)
    status, body = _search(client, resource_id=str(resource.pk))
    assert status == 404
    outsider_token = services.issue_token(make_member(make_organisation()), "x")[1]
    response = client.post(
        "/api/3/action/datastore_search",
        json.dumps({"resource_id": str(resource.pk)}),
        content_type="application/json",
        HTTP_AUTHORIZATION=outsider_token,
    )
    assert response.status_code == 404 and "tenancy" not in response.content.decode()
    member_token = services.issue_token(officer, "x")[1]
    response = client.post(
        "/api/3/action/datastore_search",
        json.dumps({"resource_id": str(resource.pk)}),
        content_type="application/json",
        HTTP_AUTHORIZATION=member_token,
    )
    assert response.status_code == 200 and response.json()["result"]["records"][0]["tenancy"] == "T1"

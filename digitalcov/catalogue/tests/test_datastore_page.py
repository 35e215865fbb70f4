"""The datastore page of a resource: the publisher reads the load's status, the columns and the
validation report by row and column; outsiders get "not found" for a private dataset's page; in
Chromium axe-core finds nothing, with JavaScript and without."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from digitalcov.core.testing.browser import assert_accessible

from .datastore_factories import BUS_STOPS_CSV, upload_table
from .factories import make_member, make_organisation

SCHEMA = {
    "fields": [
        {"name": "atco_code", "type": "string"},
        {"name": "name", "type": "string"},
        {"name": "ward", "type": "string", "constraints": {"enum": ["Earlsdon"]}},
        {"name": "boardings", "type": "integer"},
        {"name": "accessible", "type": "boolean"},
        {"name": "surveyed", "type": "date"},
    ]
}


def _url(resource) -> str:
    return reverse("catalogue:resource-datastore", args=[resource.dataset.name, resource.pk])


@pytest.mark.django_db
def test_the_publisher_reads_the_validation_report_by_row_and_column(client, editor, transport):
    resource, _ = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode(), schema=SCHEMA)
    client.force_login(editor)
    page = BeautifulSoup(client.get(_url(resource)).content, "html.parser")
    assert page.h1.get_text(strip=True) == "Data table for stops.csv"
    assert "Loaded" in page.select_one(".govuk-summary-list").get_text()
    tables = page.select("table.govuk-table")
    columns = [
        [cell.get_text(strip=True) for cell in row.select("td")] for row in tables[0].select("tbody tr")
    ]
    assert columns[3] == ["boardings", "int"]
    problems = [
        [cell.get_text(strip=True) for cell in row.select("td")] for row in tables[1].select("tbody tr")
    ]
    assert ["2", "ward", '"St Michael\'s" is not one of the allowed values'] in problems
    assert ["3", "boardings", "'2300.5' is not of type int"] in problems
    assert "3 problems found" in page.get_text()


@pytest.mark.django_db
def test_a_private_datasets_datastore_page_is_not_found_for_outsiders(client, db):
    housing = make_organisation("housing", "Housing")
    officer = make_member(housing)
    resource, _ = upload_table(officer, housing, "t.csv", b"tenancy,rent\nT1,120\n", private=True)
    assert client.get(_url(resource)).status_code == 404
    client.force_login(make_member(make_organisation()))
    assert client.get(_url(resource)).status_code == 404
    client.force_login(officer)
    assert client.get(_url(resource)).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_datastore_page_passes_axe_with_and_without_javascript(
    page, nojs_page, live_server, editor, transport
):
    from .test_previews_browser import reload_licences

    reload_licences()
    resource, _ = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode(), schema=SCHEMA)
    failed, _ = upload_table(editor, transport, "broken.xlsx", b"not a workbook")
    for item in (resource, failed):
        page.goto(live_server.url + _url(item))
        assert_accessible(page)
        nojs_page.goto(live_server.url + _url(item))
        assert nojs_page.locator("h1").inner_text().startswith("Data table for")


@pytest.mark.django_db
def test_the_resource_page_says_how_the_datastore_load_went_and_links_to_it(client, editor, transport):
    resource, _ = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode(), schema=SCHEMA)
    page_url = reverse("catalogue:resource", args=[resource.dataset.name, resource.pk])
    page = BeautifulSoup(client.get(page_url).content, "html.parser")
    rows = {
        row.select_one("dt").get_text(strip=True): row
        for row in page.select(".govuk-summary-list__row")
        if row.select_one("dt")
    }
    assert (
        rows["Datastore"].select_one(".govuk-summary-list__value").get_text(strip=True).startswith("Loaded")
    )
    assert rows["Datastore"].select_one("a")["href"] == _url(resource)

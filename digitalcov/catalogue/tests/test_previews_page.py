"""The resource page: details, download, back link, each kind of preview, the size limit, broken
files (a message, never a server error), bad page numbers, and the dataset's visibility rules."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from digitalcov.catalogue import services

from .factories import make_dataset, make_member, make_organisation
from .previews_files import AURN_CSV, IMD_CSV, LSOA_GEOJSON, parquet_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _page_url(resource) -> str:
    return reverse("catalogue:resource", args=[resource.dataset.name, resource.id])


def _get(client, resource, query: str = "") -> BeautifulSoup:
    response = client.get(_page_url(resource) + query)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _preview_message(soup: BeautifulSoup) -> str:
    return soup.select_one("#preview").find_next("div", class_="govuk-inset-text").get_text(" ", strip=True)


@pytest.fixture
def dataset(editor, transport):
    return make_dataset(editor, transport, title="Deprivation in Coventry")


def test_the_page_shows_the_details_the_download_and_the_way_back(client, editor, dataset):
    resource = upload(editor, dataset, "imd2019_coventry.csv", IMD_CSV.read_bytes(), description="IMD ranks")
    soup = _get(client, resource)
    assert soup.h1.get_text(strip=True) == "imd2019_coventry.csv"
    assert soup.select_one(".govuk-back-link")["href"] == f"/data/dataset/{dataset.name}/"
    details = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in soup.select(".govuk-summary-list__row")
    }
    assert details["Format"] == "CSV"
    assert details["Size"] == "10.6\xa0KB"
    assert details["Licence"].startswith("Open Government Licence")
    button = soup.select_one("a.govuk-button")
    assert button["href"] == f"/dataset/{dataset.id}/resource/{resource.id}/download/imd2019_coventry.csv"
    assert client.get(button["href"]).status_code == 200


def test_a_csv_preview_is_a_paged_table_of_fifty_rows(client, editor, dataset):
    resource = upload(editor, dataset, "imd2019_coventry.csv", IMD_CSV.read_bytes())
    soup = _get(client, resource, "?page=2")
    table = soup.select_one("table.dc-preview-table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[:2] == ["LSOA code (2011)", "LSOA name (2011)"]
    rows = table.select("tbody tr")
    assert len(rows) == 50
    assert rows[0].td.get_text() == "E01009578"
    assert "Rows 51 to 100 of 195." in soup.get_text()
    pagination = soup.select_one("nav.govuk-pagination")
    assert pagination.select_one("[aria-current=page]").get_text() == "2"
    assert [a.get_text() for a in pagination.select(".govuk-pagination__list a")] == ["1", "2", "3", "4"]
    assert pagination.select_one("a[rel=next]")["href"] == "?page=3#preview"
    assert pagination.select_one("a[rel=prev]")["href"] == "?page=1#preview"
    assert soup.select_one("svg.dc-chart__svg") is None  # no dates, so no chart


def test_a_time_series_gets_a_chart_above_its_table(client, editor, dataset):
    resource = upload(editor, dataset, "aurn_daily.csv", AURN_CSV.read_bytes(), title="Daily means")
    soup = _get(client, resource)
    chart = soup.select_one("svg.dc-chart__svg")
    assert chart["role"] == "img"
    assert chart.title.get_text() == "Daily means over time"
    assert "1 January 2019 to 31 March 2019" in chart.desc.get_text()
    assert len(chart.select("g.dc-chart__line")) == 4
    assert len(soup.select("table.dc-preview-table tbody tr")) == 50  # the table alternative


def test_an_xlsx_preview_offers_its_sheets(client, editor, dataset):
    resource = upload(editor, dataset, "coventry.xlsx", xlsx_bytes())
    soup = _get(client, resource)
    options = [option.get_text() for option in soup.select("select[name=sheet] option")]
    assert options == ["Air quality", "IMD 2019"]
    assert soup.select_one("svg.dc-chart__svg") is not None  # the first sheet is a time series
    soup = _get(client, resource, "?sheet=IMD+2019&page=4")
    assert soup.select_one("select[name=sheet] option[selected]").get_text() == "IMD 2019"
    assert "Rows 151 to 195 of 195." in soup.get_text()
    assert soup.select_one("a[rel=prev]")["href"] == "?page=3&sheet=IMD+2019#preview"


def test_a_long_workbook_is_paged_up_to_the_limit_then_offered_as_a_download(
    client, editor, dataset, monkeypatch
):
    monkeypatch.setattr("digitalcov.catalogue.previews.xlsx_table.PAGE_LIMIT", 2)
    resource = upload(editor, dataset, "coventry.xlsx", xlsx_bytes())
    soup = _get(client, resource, "?sheet=IMD+2019&page=3")
    assert "Rows 51 to 100 of 195." in soup.get_text()
    assert "The preview shows the first 100 rows of this workbook." in soup.get_text()
    assert [a.get_text() for a in soup.select(".govuk-pagination__list a")] == ["1", "2"]


def test_a_parquet_preview_is_a_paged_table(client, editor, dataset, tmp_path):
    resource = upload(editor, dataset, "imd.parquet", parquet_bytes(tmp_path))
    soup = _get(client, resource, "?page=4")
    assert "Rows 151 to 195 of 195." in soup.get_text()
    assert len(soup.select("table.dc-preview-table tbody tr")) == 45


def test_a_parquet_time_series_gets_a_chart(client, editor, dataset, tmp_path):
    resource = upload(editor, dataset, "aurn.parquet", parquet_bytes(tmp_path, AURN_CSV), title="Daily means")
    chart = _get(client, resource).select_one("svg.dc-chart__svg")
    assert "Line chart of 90 rows from 1 January 2019 to 31 March 2019." in chart.desc.get_text()
    assert len(chart.select("g.dc-chart__line")) == 4


def test_a_geojson_preview_is_a_map_with_a_table_of_properties(client, editor, dataset):
    resource = upload(editor, dataset, "lsoa.geojson", LSOA_GEOJSON.read_bytes())
    soup = _get(client, resource)
    svg = soup.select_one("#preview-map svg")
    assert svg["role"] == "img" and len(svg.select("path.dc-preview-map__area")) == 4
    assert "4 features between longitude" in svg.desc.get_text()
    cells = [td.get_text() for td in soup.select("table.dc-preview-table tbody tr")[0].select("td")]
    assert cells[:3] == ["1", "E01009522", "Coventry 014A"]
    assert soup.select_one("#preview-map-data") is not None
    assert soup.find("script", src=lambda src: src and src.endswith("leaflet/leaflet.js"))


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("broken.csv", b'ward,count\n"Foleshill,12\n', "This CSV file cannot be read"),
        ("cut.xlsx", None, "not a readable Excel workbook"),
        ("wards.json", b'{"wards": ["Foleshill", "Earlsdon"]}', "not GeoJSON"),
        ("broken.parquet", b"PAR1 not really", "not a readable Parquet file"),
    ],
)
def test_a_broken_file_shows_a_message_not_an_error(client, editor, dataset, name, content, says):
    if content is None:
        whole = xlsx_bytes()
        content = whole[: len(whole) // 2]
    resource = upload(editor, dataset, name, content)
    assert says in _preview_message(_get(client, resource))


def test_a_file_over_the_preview_limit_is_offered_as_a_download(client, editor, dataset, settings):
    settings.CATALOGUE_PREVIEW_MAX_BYTES = 5_000
    resource = upload(editor, dataset, "imd2019_coventry.csv", IMD_CSV.read_bytes())
    soup = _get(client, resource)
    message = _preview_message(soup)
    assert "too large to preview here (11 kB; previews are for files up to 5 kB)" in message
    assert soup.select_one("table.dc-preview-table") is None
    assert soup.select_one("a.govuk-button")["href"].endswith("/download/imd2019_coventry.csv")


def test_a_link_resource_links_to_its_url_and_has_no_preview(client, editor, dataset):
    resource = services.create_resource(
        editor, {"package_id": dataset.name, "name": "IMD 2019 files", "url": "https://example.org/imd.csv"}
    )
    soup = _get(client, resource)
    assert soup.select_one("a.govuk-button")["href"] == "https://example.org/imd.csv"
    assert "link to another site" in _preview_message(soup)


def test_a_link_with_an_unsafe_scheme_is_never_a_link(client, editor, dataset):
    resource = services.create_resource(
        editor, {"package_id": dataset.name, "name": "Odd", "url": "javascript:alert(1)"}
    )
    soup = _get(client, resource)
    assert soup.select_one("a.govuk-button") is None
    assert not soup.select('a[href^="javascript:"]')


def test_a_format_without_a_preview_says_so(client, editor, dataset):
    resource = upload(editor, dataset, "notes.pdf", b"%PDF-1.4 minimal")
    assert "There is no preview for PDF files." in _preview_message(_get(client, resource))


@pytest.mark.parametrize(("page", "error"), [("two", "whole number"), ("0", "1 or more")])
def test_a_bad_page_number_is_shown_in_the_error_summary(client, editor, dataset, page, error):
    resource = upload(editor, dataset, "imd2019_coventry.csv", IMD_CSV.read_bytes())
    soup = _get(client, resource, f"?page={page}")
    assert error in soup.select_one(".govuk-error-summary").get_text()
    assert soup.title.get_text().startswith("Error: ")
    assert "Rows 1 to 50 of 195." in soup.get_text()


def test_a_page_past_the_end_shows_the_last_page(client, editor, dataset):
    resource = upload(editor, dataset, "imd2019_coventry.csv", IMD_CSV.read_bytes())
    assert "Rows 151 to 195 of 195." in _get(client, resource, "?page=400").get_text()


@pytest.mark.parametrize("fields", [{"private": True}, {"state": "draft"}])
def test_a_private_or_draft_datasets_resource_is_not_found_for_outsiders(client, editor, transport, fields):
    hidden = make_dataset(editor, transport, **fields)
    resource = upload(editor, hidden, "imd.csv", IMD_CSV.read_bytes())
    assert client.get(_page_url(resource)).status_code == 404
    client.force_login(make_member(make_organisation()))
    assert client.get(_page_url(resource)).status_code == 404
    client.force_login(make_member(transport, role="member"))
    assert client.get(_page_url(resource)).status_code == 200


def test_a_deleted_datasets_resource_is_not_found(client, editor, dataset):
    resource = upload(editor, dataset, "imd.csv", IMD_CSV.read_bytes())
    services.delete_dataset(editor, dataset.name)
    assert client.get(_page_url(resource)).status_code == 404


def test_a_resource_under_another_datasets_slug_is_not_found(client, editor, transport, dataset):
    other = make_dataset(editor, transport)
    resource = upload(editor, dataset, "imd.csv", IMD_CSV.read_bytes())
    assert client.get(reverse("catalogue:resource", args=[other.name, resource.id])).status_code == 404

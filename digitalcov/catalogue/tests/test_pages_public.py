"""The catalogue's public pages as a person reads them: the home page, search with facets, sort and
paging, a dataset's page with its Markdown description made safe, its history, and the publishers."""

from __future__ import annotations

import pytest

from .factories import make_dataset
from .pages_data import make_catalogue, soup, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return make_catalogue()


def test_the_home_page_offers_search_and_counts_only_public_datasets(client, catalogue):
    page = soup(client.get("/data/"))
    assert text(page.find("h1")) == "Open data"
    form = page.find("form", attrs={"role": "search"})
    assert form["action"] == "/data/search/" and form["method"] == "get"
    assert text(page.find(id="count-datasets")) == "2"
    assert text(page.find(id="count-resources")) == "2"
    themes = [text(li) for li in page.find(id="themes").find_all("li")]
    assert themes == ["Environment (1 dataset)", "Transport (1 dataset)"]
    publishers = [text(li) for li in page.find(id="organisations").find_all("li")]
    assert publishers == ["Public health (1 dataset)", "Transport and highways (1 dataset)"]


def test_the_site_footer_links_to_the_open_data(client, db):
    page = soup(client.get("/"))
    assert page.find("footer").find("a", href="/data/") is not None


def test_search_lists_matches_with_a_count_and_facets_as_checkboxes(client, catalogue):
    page = soup(client.get("/data/search/", {"q": "traffic"}))
    assert text(page.find(id="result-count")) == "1 dataset found for ‘traffic’"
    titles = [text(h) for h in page.find(id="results").find_all("h3")]
    assert titles == ["Traffic counts"]
    publisher = page.find("legend", string="Publisher").find_parent("fieldset")
    assert [text(label) for label in publisher.find_all("label")] == ["Transport and highways (1)"]
    assert page.find("select", id="sort").find("option", selected=True)["value"] == "relevance"


def test_ticking_a_facet_filters_and_the_filter_can_be_removed(client, catalogue):
    page = soup(client.get("/data/search/", {"theme": "environment"}))
    assert [text(h) for h in page.find(id="results").find_all("h3")] == ["Air quality readings"]
    checkbox = page.find("input", attrs={"name": "theme", "value": "environment"})
    assert checkbox.has_attr("checked")
    link = page.find(id="active-filters").find("a")
    assert text(link) == "Remove filter Theme: Environment ✕"
    page = soup(client.get("/data/search/" + link["href"]))
    assert text(page.find(id="result-count")) == "2 datasets found"


def test_values_ticked_in_one_facet_are_alternatives_and_facets_combine(client, catalogue):
    both = soup(client.get("/data/search/", {"format": ["CSV", "JSON"]}))
    assert text(both.find(id="result-count")) == "2 datasets found"
    narrowed = soup(client.get("/data/search/", {"format": ["CSV", "JSON"], "licence": "CC-BY-4.0"}))
    assert [text(h) for h in narrowed.find(id="results").find_all("h3")] == ["Air quality readings"]
    tagged = soup(client.get("/data/search/", {"tag": "roads", "organisation": "transport"}))
    assert [text(h) for h in tagged.find(id="results").find_all("h3")] == ["Traffic counts"]


def test_search_sorts_by_name_and_pages_through_results(client, catalogue):
    for n in range(25):
        make_dataset(
            catalogue.editor, catalogue.transport, name=f"zz-{n:02d}", title=f"Zebra crossing {n:02d}"
        )
    page = soup(client.get("/data/search/", {"sort": "name"}))
    assert text(page.find(id="result-count")) == "27 datasets found"
    titles = [text(h) for h in page.find(id="results").find_all("h3")]
    assert titles[:2] == ["Air quality readings", "Traffic counts"] and len(titles) == 20
    pagination = page.find("nav", class_="govuk-pagination")
    assert pagination.find("a", rel="next")["href"] == "?sort=name&page=2"
    second = soup(client.get("/data/search/", {"sort": "name", "page": "2"}))
    assert [text(h) for h in second.find(id="results").find_all("h3")][-1] == "Zebra crossing 24"
    assert second.find("a", attrs={"aria-current": "page"}).get_text() == "2"


def test_search_words_it_cannot_read_give_an_error_summary_not_a_failure(client, catalogue):
    response = client.get("/data/search/", {"q": "tags:(unclosed", "page": "x"})
    page = soup(response)
    assert "There is a problem" in text(page.find(class_="govuk-error-summary"))
    assert page.title.get_text().startswith("Error:")


def test_the_dataset_page_shows_its_metadata_and_resources(client, catalogue):
    page = soup(client.get("/data/dataset/traffic-counts/"))
    assert text(page.find("h1")) == "Traffic counts"
    metadata = {
        text(row.find("dt")): text(row.find("dd"))
        for row in page.find(id="metadata").find_all(class_="govuk-summary-list__row")
    }
    assert metadata["Publisher"] == "Transport and highways"
    assert metadata["Licence"] == "Open Government Licence v3.0"
    assert metadata["Contact"] == "Transport data team transport.data@coventry.gov.uk"
    assert metadata["Period covered"] == "1 January 2023 to 31 December 2023"
    assert metadata["Area covered"] == "Coventry (E08000026)"
    assert metadata["Update frequency"] == "Monthly"
    assert metadata["LGA service"] == "http://id.esd.org.uk/service/1234"
    assert metadata["LGA function"] == "http://id.esd.org.uk/function/56"
    assert metadata["Themes"] == "Transport"
    assert "Data updated" not in metadata  # a link's data has no known date until one is given
    assert metadata["Tags"] == "roads traffic"
    row = page.find(id="resources").find("tbody").find("tr")
    cells = [text(td) for td in row.find_all("td")]
    assert cells[:3] == ["Counts 2023", "CSV", "Unknown"]
    resource = catalogue.public.resources.get()
    assert (
        row.find("a", string="Counts 2023")["href"] == f"/data/dataset/traffic-counts/resource/{resource.id}/"
    )
    assert row.find("a", href="https://example.org/counts.csv") is not None
    assert page.find("a", string="Edit details") is None


def test_the_description_is_markdown_with_html_escaped(client, catalogue):
    page = soup(client.get("/data/dataset/traffic-counts/"))
    description = page.find(id="description")
    assert description.find("strong").get_text() == "vehicle"
    assert description.find("script") is None
    assert "<script>alert('x')</script>" in description.get_text()


def test_the_history_page_lists_what_changed(client, catalogue):
    from digitalcov.catalogue import services

    services.patch_dataset(catalogue.editor, {"id": str(catalogue.public.id), "title": "Traffic counts 2023"})
    page = soup(client.get("/data/dataset/traffic-counts/history/"))
    entries = page.find(id="history").find_all("li", recursive=False)
    assert [text(entry.find("h2")) for entry in entries] == ["Details changed", "Dataset created"]
    row = entries[0].find("tbody").find("tr")
    assert [text(cell) for cell in row.find_all(["th", "td"])] == [
        "Title",
        "Traffic counts",
        "Traffic counts 2023",
    ]


def test_the_publishers_page_and_a_publishers_datasets(client, catalogue):
    page = soup(client.get("/data/organisations/"))
    rows = [
        [text(c) for c in tr.find_all("td")]
        for tr in page.find(id="organisations").find("tbody").find_all("tr")
    ]
    assert rows == [["Public health", "1"], ["Transport and highways", "1"]]
    page = soup(client.get("/data/organisations/transport/"))
    assert text(page.find("h1")) == "Transport and highways"
    assert [text(h) for h in page.find(id="results").find_all("h3")] == ["Traffic counts"]
    assert client.get("/data/organisations/nobody/").status_code == 404


def test_an_uploaded_files_time_is_shown_as_data_updated(client, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.timezone import localtime

    from digitalcov.catalogue import services

    upload = SimpleUploadedFile("counts.csv", b"a,b\n1,2\n")
    resource = services.create_resource(
        catalogue.editor, {"package_id": str(catalogue.public.id), "name": "Counts"}, upload
    )
    page = soup(client.get("/data/dataset/traffic-counts/"))
    shown = page.find(id="data-updated").find("time")["datetime"]
    assert shown[:16] == localtime(resource.last_modified).isoformat()[:16]


def test_search_sorts_by_quality_when_the_service_offers_it(client, catalogue):
    from digitalcov.catalogue.services.search import SORT_FIELDS

    page = soup(client.get("/data/search/", {"sort": "quality"}))
    options = [option["value"] for option in page.find("select", id="sort").find_all("option")]
    if "quality" in SORT_FIELDS:
        assert options == ["relevance", "updated", "name", "quality"]
        assert page.find("select", id="sort").find("option", selected=True)["value"] == "quality"
    else:
        assert options == ["relevance", "updated", "name"]
    assert text(page.find(id="result-count")) == "2 datasets found"


def test_other_values_of_a_ticked_facet_stay_on_offer_with_their_own_counts(client, catalogue):
    page = soup(client.get("/data/search/", {"organisation": "transport", "theme": "environment"}))
    publisher = page.find("legend", string="Publisher").find_parent("fieldset")
    labels = [text(label) for label in publisher.find_all("label")]
    # Within the Environment theme: Public health's dataset; Transport's is private, so not counted.
    assert labels == ["Public health (1)", "Transport and highways (0)"]
    assert publisher.find("input", attrs={"value": "transport"}).has_attr("checked")
    assert text(page.find(id="result-count")) == "0 datasets found"


def test_the_history_names_publishers_by_title_and_counts_resource_changes(
    client, catalogue, django_user_model
):
    from digitalcov.catalogue import services

    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x" * 16)
    services.patch_dataset(admin, {"id": str(catalogue.public.id), "owner_org": "public-health"})
    services.create_resource(
        admin, {"package_id": str(catalogue.public.id), "name": "More", "url": "https://x.org/a.csv"}
    )
    page = soup(client.get("/data/dataset/traffic-counts/history/"))
    entries = page.find(id="history").find_all("li", recursive=False)
    assert [text(entry.find("h2")) for entry in entries] == [
        "Resource added",
        "Details changed",
        "Dataset created",
    ]
    rows = {
        text(row.find("th")): [text(td) for td in row.find_all("td")]
        for row in entries[1].find("tbody").find_all("tr")
    }
    assert rows["Publisher"] == ["Transport and highways", "Public health"]
    resources = entries[0].find("tbody").find("tr")
    assert [text(cell) for cell in resources.find_all(["th", "td"])] == ["Resources", "", "1 added"]

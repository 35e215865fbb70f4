"""The catalogue's pages in a real browser (Debian's Chromium through Playwright): axe-core finds no
problems on any page, and two journeys work with JavaScript off: searching with a facet, and a
publisher creating a dataset and uploading a CSV to it."""

from __future__ import annotations

import pytest

from digitalcov.catalogue.models import Dataset
from digitalcov.core.testing.browser import assert_accessible, sign_in

from .pages_data import make_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = "site,hour,count\nA45,08:00,1520\nA444,08:00,980\n"


@pytest.fixture
def catalogue():
    # A transactional test starts from an emptied database: the licences the migration loads go too.
    from importlib import import_module

    from django.apps import apps

    import_module("digitalcov.catalogue.migrations.0002_licences").load_licences(apps, None)
    return make_catalogue()


PUBLIC_PAGES = [
    "/data/",
    "/data/search/?q=counts",
    "/data/search/?theme=environment&format=JSON",
    "/data/search/?q=tags:(broken",
    "/data/dataset/traffic-counts/",
    "/data/dataset/traffic-counts/history/",
    "/data/organisations/",
    "/data/organisations/transport/",
]
PUBLISHER_PAGES = [
    "/data/dataset/new/",
    "/data/dataset/traffic-counts/edit/",
    "/data/dataset/traffic-counts/delete/",
    "/data/dataset/traffic-counts/resource/new/",
    "RESOURCE/edit/",
    "RESOURCE/delete/",
    "/data/dataset/bus-lane-cameras/",
]


def test_every_public_page_is_accessible(page, live_server, catalogue):
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_every_publisher_page_is_accessible_including_with_errors(page, live_server, catalogue):
    sign_in(page, live_server, catalogue.editor)
    resource = catalogue.public.resources.get()
    for path in PUBLISHER_PAGES:
        page.goto(
            live_server.url + path.replace("RESOURCE", f"/data/dataset/traffic-counts/resource/{resource.id}")
        )
        assert_accessible(page)
    page.goto(live_server.url + "/data/dataset/new/")
    page.get_by_label("Title").fill("Cycle counts")
    page.get_by_role("button", name="Create dataset").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_without_javascript_a_person_searches_and_narrows_by_a_facet(nojs_page, live_server, catalogue):
    page = nojs_page
    page.goto(live_server.url + "/data/")
    page.get_by_label("Search the data").fill("air")
    page.get_by_role("button", name="Search").click()
    assert page.locator("#result-count").inner_text() == "1 dataset found for ‘air’"
    page.get_by_label("Search words").fill("")
    page.get_by_role("group", name="Theme").get_by_label("Environment (1)").check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator("#result-count").inner_text() == "1 dataset found"
    remove = page.locator("#active-filters").get_by_role(
        "link", name="Remove filter Theme: Environment", exact=True
    )
    remove.click()
    assert page.locator("#result-count").inner_text() == "2 datasets found"
    page.locator("#results").get_by_role("link", name="Air quality readings").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Air quality readings"


def test_without_javascript_a_publisher_creates_a_dataset_and_uploads_a_csv(
    nojs_page, live_server, catalogue, tmp_path
):
    page = nojs_page
    sign_in(page, live_server, catalogue.editor)
    page.goto(live_server.url + "/data/organisations/transport/")
    page.get_by_role("link", name="Add a dataset").click()
    page.get_by_label("Title").fill("Cycle counts")
    page.get_by_label("Web address name").fill("cycle-counts")
    page.get_by_label("Description").fill("Cyclists counted at **12** sites.")
    page.get_by_label("Tags").fill("cycling, counts")
    page.get_by_role("group", name="Themes").get_by_label("Transport").check()
    page.get_by_label("Contact name").fill("Transport data team")
    page.get_by_label("How often it is updated").select_option("weekly")
    page.get_by_role("button", name="Create dataset").click()
    assert "Cycle counts has been created" in page.locator(".govuk-notification-banner").inner_text()
    csv = tmp_path / "cycle-counts.csv"
    csv.write_text(CSV)
    page.get_by_label("Name", exact=True).fill("Counts 2024")
    page.get_by_label("Upload a file").set_input_files(str(csv))
    page.get_by_role("button", name="Add data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cycle counts"
    row = page.locator("#resources tbody tr")
    assert row.locator("td").nth(1).inner_text() == "CSV"
    assert page.locator("#description strong").inner_text() == "12"
    dataset = Dataset.objects.get(name="cycle-counts")
    assert dataset.resources.get().upload.read().decode() == CSV


def test_the_pages_are_accessible_as_drawn_without_javascript(page, live_server, catalogue):
    # Our scripts blocked: the page as a browser without JavaScript draws it, while axe can still run.
    page.route("**/static/**/*.js", lambda route: route.abort())
    sign_in(page, live_server, catalogue.editor)
    for path in [
        "/data/",
        "/data/search/?theme=environment",
        "/data/dataset/traffic-counts/",
        "/data/dataset/new/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)

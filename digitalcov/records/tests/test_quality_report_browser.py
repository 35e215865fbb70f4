"""The data quality pages in a real browser: axe-core finds nothing, and a steward goes from the
overview to a source and to the records behind a count with JavaScript off."""

import pytest

from digitalcov.core.testing.browser import assert_accessible, sign_in

from .factories import import_rows
from .quality_factories import COUNCIL_TAX, make_steward, two_sources

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def records(tmp_path):
    found = two_sources(tmp_path)
    # A second import of council tax, so the trend chart is drawn.
    import_rows(tmp_path, found["CT1"].source, COUNCIL_TAX[:3], "again.csv")
    return found


def test_the_quality_pages_are_accessible(page, live_server, records):
    sign_in(page, live_server, make_steward())
    source_id = records["CT1"].source_id
    for path in (
        "/records/quality/",
        f"/records/quality/{source_id}/",
        f"/records/quality/{source_id}/invalid/nhs_number/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_without_javascript_a_steward_drills_down_from_the_overview(nojs_page, live_server, records):
    page = nojs_page
    sign_in(page, live_server, make_steward())
    page.goto(live_server.url + "/records/quality/")
    assert page.locator("svg[role=img] title").text_content() == "Findings per 100 rows read, by import"
    page.get_by_role("link", name="Council tax").click()
    page.get_by_role("link", name="records with an invalid NHS number").click()
    assert page.locator("h1").inner_text() == "Records with an invalid nhs number"
    assert "9434765918" in page.locator("table").inner_text()

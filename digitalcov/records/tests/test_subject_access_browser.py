"""Subject access requests in a real browser: axe-core finds nothing on the search (with its errors)
and the report, and a steward finds a person and opens their report with JavaScript off."""

import pytest

from digitalcov.core.testing.browser import assert_accessible, sign_in

from .quality_factories import make_steward, two_sources

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def find_ada(page) -> None:
    page.get_by_label("Surname").fill("Lovelace")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("1985")
    page.get_by_role("button", name="Find the person").click()


def test_the_search_with_errors_and_the_report_are_accessible(page, live_server, tmp_path):
    two_sources(tmp_path)
    sign_in(page, live_server, make_steward())
    page.goto(live_server.url + "/records/subject-access/")
    assert_accessible(page)
    page.get_by_role("button", name="Find the person").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    find_ada(page)
    assert_accessible(page)
    page.locator("#results + table").get_by_role("link", name="Ada Lovelace").click()
    page.locator("h1").wait_for()
    assert_accessible(page)


def test_without_javascript_a_steward_finds_a_person_and_reads_everything_held(
    nojs_page, live_server, tmp_path
):
    page = nojs_page
    two_sources(tmp_path)
    sign_in(page, live_server, make_steward())
    page.goto(live_server.url + "/records/subject-access/")
    page.get_by_role("button", name="Find the person").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a surname and date of birth" in summary.inner_text()
    summary.get_by_role("link").click()  # the error links to the field
    find_ada(page)
    assert "1 person found" in page.locator("#results").inner_text()
    page.locator("#results + table").get_by_role("link", name="Ada Lovelace").click()
    assert page.locator("h1").inner_text() == "Everything held about this person"
    text = page.locator("main").inner_text()
    assert "Council tax: record CT1" in text and "Housing: record H1" in text and "ada.l@example.com" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as JSON").click()
    assert download.value.suggested_filename.endswith(".json")

"""What publishers see of quality: the dataset page's quality section with what to fix, and an
organisation's quality report (worst first; private datasets and drafts only for its members), also
in a real browser with axe-core and with JavaScript off."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from digitalcov.core.testing.browser import assert_accessible, sign_in

from .factories import make_dataset, make_member, make_organisation


def fill_catalogue(editor, organisation):
    poor = make_dataset(editor, organisation, name="poor-data", title="Poor data", notes="")
    good = make_dataset(
        editor,
        organisation,
        name="good-data",
        title="Good data",
        tags=[{"name": "roads"}],
        maintainer_email="roads@example.gov.uk",
        resources=[{"name": "Counts", "url": "https://example.org/counts.csv", "format": "CSV"}],
    )
    secret = make_dataset(editor, organisation, name="secret-data", title="Secret data", private=True)
    draft = make_dataset(editor, organisation, name="draft-data", title="Draft data", state="draft")
    return poor, good, secret, draft


def report_titles(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [row.find("th").find("a").get_text(strip=True) for row in soup.select("#quality-report tbody tr")]


@pytest.mark.django_db
def test_the_dataset_page_shows_the_score_and_what_to_fix(client, editor, transport):
    make_dataset(editor, transport, name="bus-stops", title="Bus stops", notes="")
    client.force_login(editor)
    soup = BeautifulSoup(client.get("/data/dataset/bus-stops/").content, "html.parser")
    assert "out of 100" in soup.select_one("#quality-score").get_text()
    assert soup.select_one("#quality-fixes-heading").get_text(strip=True) == "What to fix"
    fixes = [li.get_text(strip=True) for li in soup.select("#quality-fixes li")]
    assert "Add a description: what the data is, and how it was collected" in fixes
    axes = [th.get_text(strip=True) for th in soup.select("#quality-axes tbody th")]
    assert axes == ["Metadata completeness", "Openness (five stars)", "Freshness", "Schema", "Working links"]


@pytest.mark.django_db
def test_the_report_lists_public_datasets_worst_first_for_everyone(client, editor, transport):
    fill_catalogue(editor, transport)
    response = client.get("/data/organisations/transport/quality/")
    assert response.status_code == 200
    assert report_titles(response.content.decode()) == ["Poor data", "Good data"]


@pytest.mark.django_db
def test_members_also_see_their_private_datasets_and_drafts_but_other_publishers_do_not(
    client, editor, transport
):
    fill_catalogue(editor, transport)
    client.force_login(editor)
    titles = report_titles(client.get("/data/organisations/transport/quality/").content.decode())
    assert sorted(titles) == ["Draft data", "Good data", "Poor data", "Secret data"]
    outsider = make_member(make_organisation("planning", "Planning"))
    client.force_login(outsider)
    titles = report_titles(client.get("/data/organisations/transport/quality/").content.decode())
    assert sorted(titles) == ["Good data", "Poor data"]


@pytest.mark.django_db
def test_an_unknown_organisation_has_no_report(client, db):
    assert client.get("/data/organisations/nobody/quality/").status_code == 404


@pytest.fixture
def licences():
    # A transactional test starts from an emptied database: the licences the migration loads go too.
    from importlib import import_module

    from django.apps import apps

    import_module("digitalcov.catalogue.migrations.0002_licences").load_licences(apps, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quality_pages_pass_axe_and_work_without_javascript(page, nojs_page, live_server, licences):
    organisation = make_organisation("transport", "Transport and highways")
    editor = make_member(organisation)
    fill_catalogue(editor, organisation)
    sign_in(page, live_server, editor)
    for path in ("/data/organisations/transport/quality/", "/data/dataset/poor-data/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
    nojs_page.goto(live_server.url + "/data/organisations/transport/quality/")
    assert nojs_page.locator("#quality-report tbody tr").count() == 2
    nojs_page.get_by_role("link", name="Poor data").click()
    assert "What would improve this data" in nojs_page.locator("#quality").locator("..").inner_text()

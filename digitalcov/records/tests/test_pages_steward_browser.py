"""The data steward's pages in Debian's Chromium: axe-core finds no violation on any page (with its
error summaries showing too), and the review and split journeys work with JavaScript off."""

import pytest

from digitalcov.core import roles
from digitalcov.core.testing.browser import assert_accessible, sign_in
from digitalcov.core.testing.factories import make_staff
from digitalcov.records.models import GoldenRecord, ImportBatch, PairDecision, PredictedPair
from digitalcov.records.services.linkage import run_linkage

from .factories import import_fake_1000

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def linked(tmp_path, settings):
    settings.RECORDS_REVIEW_UPPER = 1.01
    import_fake_1000(tmp_path, slice(0, 200))
    return run_linkage()


def test_every_steward_page_passes_axe(page, live_server, linked):
    sign_in(page, live_server, make_staff(roles.DATA_STEWARD))
    pair = PredictedPair.objects.filter(run=linked).first()
    golden = GoldenRecord.objects.filter(active=True, record_count__gte=2).first()
    paths = [
        "/records/",
        "/records/sources/",
        "/records/sources/new/",
        "/records/imports/",
        "/records/imports/new/",
        f"/records/imports/{ImportBatch.objects.first().pk}/",
        "/records/runs/",
        f"/records/runs/{linked.pk}/",
        "/records/review/",
        f"/records/review/{pair.pk}/",
        "/records/golden/",
        f"/records/golden/{golden.pk}/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)
    # With the error summaries showing.
    page.goto(live_server.url + "/records/sources/new/")
    page.get_by_role("button", name="Register").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + f"/records/review/{pair.pk}/")
    page.get_by_role("button", name="Save decision").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_a_steward_decides_a_pair_and_splits_a_golden_record_without_javascript(
    nojs_page, live_server, linked
):
    page = nojs_page
    sign_in(page, live_server, make_staff(roles.DATA_STEWARD))
    page.goto(live_server.url + "/records/review/")
    page.get_by_role("link", name="Review pair").first.click()
    page.get_by_label("No, different people (reject the match)").check()
    page.get_by_label("Reason for your decision").fill("Different people: checked with the housing officer")
    page.get_by_role("button", name="Save decision").click()
    assert "Your decision is saved" in page.content()
    assert PairDecision.objects.get().outcome == PairDecision.Outcome.DIFFERENT

    golden = GoldenRecord.objects.filter(active=True, record_count__gte=2).order_by("pk").first()
    page.goto(live_server.url + f"/records/golden/{golden.pk}/")
    page.locator("input[name='split-records']").first.check()
    page.get_by_label("Why are they a different person?").fill("Twins at one address")
    page.get_by_role("button", name="Move to a new golden record").click()
    assert "The records are in a new golden record" in page.content()
    golden.refresh_from_db()
    assert golden.record_count >= 1 and GoldenRecord.objects.filter(created_in_run=linked).count() > 0

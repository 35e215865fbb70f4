"""The sharing pages in Debian's Chromium: the journeys work with JavaScript off, and every page
(including its error states) passes axe-core."""

from __future__ import annotations

import pytest

from digitalcov.core.roles import INFORMATION_GOVERNANCE_OFFICER
from digitalcov.core.testing.browser import assert_accessible, sign_in
from digitalcov.core.testing.factories import make_staff
from digitalcov.records.models import DataSharingAgreement, SharingAccess

from .sharing_factories import agreement, golden_record, partner, partner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_and_revokes_an_agreement_with_javascript_off(nojs_page, live_server):
    page = nojs_page
    nhs = partner()
    sign_in(page, live_server, make_staff(INFORMATION_GOVERNANCE_OFFICER))

    page.goto(f"{live_server.url}/records/sharing/agreements/")
    page.get_by_role("button", name="Record a new agreement").click()
    page.get_by_role("button", name="Record agreement").click()
    assert page.get_by_text("There is a problem").is_visible()

    page.get_by_label("Partner organisation").select_option(label=nhs.name)
    page.get_by_label("Title").fill("Early help sharing")
    page.get_by_label("Purposes").fill("Early help\nSafeguarding children")
    page.get_by_label("Art. 6(1)(e) public task").check()
    page.get_by_label("Surname").check()
    page.get_by_label("Postcode").check()
    for prefix, (day, month, year) in (("starts_on", ("1", "1", "2026")), ("ends_on", ("31", "12", "2030"))):
        page.locator(f"#id_{prefix}_0").fill(day)
        page.locator(f"#id_{prefix}_1").fill(month)
        page.locator(f"#id_{prefix}_2").fill(year)
    page.get_by_label("Signatory's name").fill("Pat Caldicott")
    page.get_by_label("Signatory's role").fill("Caldicott Guardian")
    page.get_by_role("button", name="Record agreement").click()

    assert page.get_by_role("heading", name="Early help sharing").is_visible()
    page.get_by_label("Why is this agreement being revoked?").fill("The partner's system was breached")
    page.get_by_role("button", name="Revoke agreement").click()
    assert page.get_by_text("revoked: partners can no longer use it").is_visible()
    assert DataSharingAgreement.objects.get().status == "revoked"


def test_a_partner_finds_a_person_with_javascript_off(nojs_page, live_server):
    page = nojs_page
    nhs = partner()
    agreement(nhs, fields=["surname", "postcode"])
    golden = golden_record()
    sign_in(page, live_server, partner_user(nhs))

    page.goto(f"{live_server.url}/records/partner/")
    page.get_by_label("Safeguarding children").check()
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Find record").click()

    assert page.get_by_role("heading", name="Record found").is_visible()
    assert page.get_by_text(str(golden.pk)).is_visible()
    assert SharingAccess.objects.get().outcome == "allowed"


def test_every_sharing_page_passes_axe(page, live_server):
    nhs = partner()
    deal = agreement(nhs)
    golden_record()
    officer = make_staff(INFORMATION_GOVERNANCE_OFFICER)
    sign_in(page, live_server, officer)
    SharingAccess.objects.create(
        partner=nhs,
        agreement=deal,
        purpose="Marketing",
        channel="api",
        lookup="id",
        outcome="refused",
        reason="no_agreement_for_purpose",
    )

    for path in (
        "/records/sharing/agreements/",
        "/records/sharing/agreements/new/",
        f"/records/sharing/agreements/{deal.pk}/",
        "/records/sharing/partners/",
        "/records/sharing/access-log/",
        "/records/sharing/access-log/?golden_record=wrong",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.goto(f"{live_server.url}/records/sharing/agreements/new/")
    page.get_by_role("button", name="Record agreement").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/records/sharing/agreements/{deal.pk}/")
    page.get_by_role("button", name="Revoke agreement").click()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, partner_user(nhs))
    page.goto(f"{live_server.url}/records/partner/")
    assert_accessible(page)
    page.get_by_role("button", name="Find record").click()
    assert_accessible(page)
    page.get_by_label("Safeguarding children").check()
    page.get_by_label("NHS number").fill("9434765919")
    page.get_by_role("button", name="Find record").click()
    assert page.get_by_role("heading", name="Record found").is_visible()
    assert_accessible(page)

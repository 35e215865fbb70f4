"""The site's own pages in a real browser: no axe-core violations, and GOV.UK Frontend's JavaScript
starts without errors."""

import pytest

from digitalcov.core.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/accessibility", "/privacy", "/cookies", "/no-such-page"])
def test_site_pages_pass_axe(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


def test_govuk_frontend_javascript_starts_without_errors(page, live_server):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    page.wait_for_timeout(300)  # the module that starts the components loads after the page
    assert errors == []


def test_the_server_error_page_passes_axe(page, live_server, rf):
    from digitalcov.core.views import server_error

    html = server_error(rf.get("/")).content.decode()
    page.goto(f"{live_server.url}/cookies")  # same origin, so the page's stylesheet loads
    page.set_content(html, wait_until="load")
    assert "Sorry, there is a problem with the service" in page.content()
    assert_accessible(page)

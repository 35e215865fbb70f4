"""The pages every council site needs render in GOV.UK style, with the council's name."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/accessibility", "/privacy", "/cookies"])
def test_site_pages_show_council_name_skip_link_and_footer_links(client, url):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Coventry City Council" in html
    assert 'class="govuk-skip-link"' in html
    assert "govuk-phase-banner" in html
    for footer_link in ("Accessibility statement", "Privacy notice", "Cookies"):
        assert footer_link in html


def test_another_council_can_run_it_by_changing_settings(client, settings):
    settings.COUNCIL_NAME = "Warwick District Council"
    settings.COUNCIL_LOGO_URL = "/static/logo.svg"
    html = client.get("/").content.decode()
    assert "Warwick District Council" in html
    assert "Coventry City Council" not in html
    assert 'src="/static/logo.svg"' in html


def test_unknown_page_gets_a_govuk_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-footer" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_is_in_the_same_style(rf):
    from digitalcov.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()

"""Link checks against a web server on this machine (never the internet): working, missing, slow and
HEAD-refusing URLs, the Last-Modified date used for freshness, rechecks only when due, and nothing at
all when checks are off."""

from __future__ import annotations

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from digitalcov.catalogue.quality.links import check_links, check_url, due_resources
from digitalcov.catalogue.quality.models import LinkCheck, QualityScore

from .factories import make_dataset

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    """/ok (Last-Modified 1 Nov 2026), /gone (404), /slow (answers after 3 s), /no-head (405 to HEAD,
    200 to GET), /moved (302 to /ok), /loop (301 to itself)."""

    def _answer(self, with_body: bool) -> None:
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/ok")
        elif self.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
        elif self.path in ("/ok", "/no-head", "/slow"):
            self.send_response(200)
            if self.path == "/ok":
                self.send_header("Last-Modified", "Sun, 01 Nov 2026 09:00:00 GMT")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:  # noqa: N802 - the standard library's naming
        self._answer(False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(autouse=True)
def local_links_allowed(settings):
    # The test server is on 127.0.0.1, a private address the checker refuses by default.
    settings.CATALOGUE_LINK_CHECK_PRIVATE_ADDRESSES = True


@pytest.fixture
def web():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_url_tells_working_from_broken_links(web):
    ok = check_url(f"{web}/ok", timeout=2, allow_private=True)
    assert ok.ok and ok.status_code == 200
    assert ok.last_modified == dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    gone = check_url(f"{web}/gone", timeout=2, allow_private=True)
    assert not gone.ok and gone.error == "it answered 404 Not Found"
    assert check_url(f"{web}/no-head", timeout=2, allow_private=True).ok  # retried with GET
    assert check_url(f"{web}/moved", timeout=2, allow_private=True).ok
    slow = check_url(f"{web}/slow", timeout=0.5, allow_private=True)
    assert not slow.ok and slow.error == "it did not answer within 0.5 seconds"
    assert (
        check_url("ftp://example.org/file.csv", timeout=2).error == "it is not a web address (http or https)"
    )
    closed = check_url("http://127.0.0.1:9/nothing-listens-here", timeout=2, allow_private=True)
    assert not closed.ok and closed.error == "the server could not be reached"


def test_checking_stores_results_and_the_score_says_which_link_to_fix(web, editor, transport, settings):
    settings.CATALOGUE_LINK_CHECK_TIMEOUT = 2
    dataset = make_dataset(
        editor,
        transport,
        update_frequency="monthly",
        resources=[
            {"name": "Portal", "url": f"{web}/ok", "format": "CSV"},
            {"name": "Live API", "url": f"{web}/gone", "format": "JSON", "resource_type": "api"},
        ],
    )
    assert check_links() == 2
    checks = {c.resource.name: c for c in LinkCheck.objects.select_related("resource")}
    assert checks["Portal"].ok and not checks["Live API"].ok
    assert checks["Live API"].status_code == 404
    score = QualityScore.objects.get(dataset=dataset)
    links = next(a for a in score.axes if a["key"] == "links")
    assert links["earned"] == 7.5
    assert links["fixes"] == ["Fix the link of Live API: it answered 404 Not Found"]
    freshness = next(a for a in score.axes if a["key"] == "freshness")
    assert freshness["notes"] == ["Data last changed on 01 November 2026"]  # from Last-Modified


def test_links_are_checked_again_only_when_due_or_changed(web, editor, transport, settings):
    settings.CATALOGUE_LINK_CHECK_TIMEOUT = 2
    dataset = make_dataset(
        editor, transport, resources=[{"name": "Portal", "url": f"{web}/ok", "format": "CSV"}]
    )
    assert check_links() == 1
    assert check_links() == 0
    resource = dataset.resources.get()
    from digitalcov.catalogue import services

    services.update_resource(editor, {"id": str(resource.id), "url": f"{web}/gone", "format": "CSV"})
    assert list(due_resources()) == [resource]
    LinkCheck.objects.update(url=f"{web}/gone", checked_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert list(due_resources()) == [resource]


def test_no_link_is_fetched_when_checks_are_off(editor, transport, settings):
    settings.CATALOGUE_LINK_CHECKS = False
    dataset = make_dataset(editor, transport, resources=[{"url": "http://127.0.0.1:9/x", "format": "CSV"}])
    assert check_links() == 0
    assert not LinkCheck.objects.exists()
    links = next(a for a in QualityScore.objects.get(dataset=dataset).axes if a["key"] == "links")
    assert links["applicable"] is False and links["notes"] == ["Links are not checked on this server"]


def test_private_network_addresses_are_not_requested_unless_allowed(web, editor, transport, settings):
    for url in (
        f"{web}/ok",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/",
        "http://10.0.0.1/",
    ):
        result = check_url(url, timeout=2)
        assert (result.ok, result.error) == (
            False,
            "it points into a private network, which is not checked from here",
        )
    settings.CATALOGUE_LINK_CHECK_PRIVATE_ADDRESSES = False
    make_dataset(editor, transport, resources=[{"name": "Intranet", "url": f"{web}/ok", "format": "CSV"}])
    assert check_links() == 1
    assert LinkCheck.objects.get().error == "it points into a private network, which is not checked from here"


def test_redirect_loops_are_broken(web):
    result = check_url(f"{web}/loop", timeout=2, allow_private=True)
    assert (result.ok, result.error) == (False, "it redirects too many times")


def test_links_to_this_site_are_checked_even_on_a_private_address(web, settings):
    settings.SITE_URL = web
    assert check_url(f"{web}/ok", timeout=2).ok

"""Descriptions are Markdown rendered safely: raw HTML is shown as text, dangerous link schemes are not
made into links, headings start at level 3 under the page's own, and GOV.UK classes are applied."""

from __future__ import annotations

from bs4 import BeautifulSoup

from digitalcov.catalogue.templatetags.catalogue_pages import render_markdown


def html(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(render_markdown(markdown), "html.parser")


def test_raw_html_is_escaped_not_run():
    page = html('<img src=x onerror="alert(1)">\n\n<a href="javascript:alert(1)">x</a> <iframe></iframe>')
    assert page.find(["img", "iframe", "a", "script"]) is None
    assert '<img src=x onerror="alert(1)">' in page.get_text()


def test_javascript_and_data_links_are_not_links():
    page = html("[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://x.org)")
    assert [a["href"] for a in page.find_all("a")] == ["https://x.org"]
    assert page.find("a")["class"] == ["govuk-link"]


def test_headings_sit_under_the_page_headings_with_govuk_styles():
    page = html("# Method\n\n## Columns\n\n- one\n- two\n\n1. first")
    assert [(h.name, h["class"][0]) for h in page.find_all(["h1", "h2", "h3", "h4"])] == [
        ("h3", "govuk-heading-m"),
        ("h4", "govuk-heading-s"),
    ]
    assert page.find("ul")["class"] == ["govuk-list", "govuk-list--bullet"]
    assert page.find("ol")["class"] == ["govuk-list", "govuk-list--number"]


def test_tables_get_govuk_table_classes():
    page = html("| Ward | People |\n|---|---|\n| Foleshill | 31,000 |")
    assert page.find("table")["class"] == ["govuk-table"]
    assert [th.get_text() for th in page.find_all("th")] == ["Ward", "People"]

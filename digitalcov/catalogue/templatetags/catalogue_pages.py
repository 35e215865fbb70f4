"""Template filters for the catalogue's pages.

`markdown` renders a dataset's or organisation's Markdown description SAFELY: markdown-it-py with raw
HTML switched off (CommonMark §4.6 "HTML blocks" and §6.6 "Raw HTML" become escaped text) and its link
check, which refuses `javascript:`, `vbscript:`, `file:` and `data:` URLs. GOV.UK classes are added to
the elements, and headings are moved down to level 3 and below so a description never breaks the
page's heading order (WCAG 2.2 1.3.1).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# Element -> GOV.UK class (https://design-system.service.gov.uk/styles/).
CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "table_open": "govuk-table",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
    "blockquote_open": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}
HEADING_CLASSES = {
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
}


def _parser() -> MarkdownIt:
    # "js-default" is CommonMark plus tables and strikethrough, with html=False.
    return MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> str:
    """Safe HTML for Markdown `text` (see the module docstring)."""
    md = _parser()
    tokens = md.parse(text or "")
    for token in tokens:
        _style(token)
        for child in token.children or []:
            _style(child)
    return md.renderer.render(tokens, md.options, {})


def _style(token) -> None:
    if token.type in ("heading_open", "heading_close"):
        level = min(int(token.tag[1]) + 2, 6)
        token.tag = f"h{level}"
        if token.type == "heading_open":
            token.attrSet("class", HEADING_CLASSES[token.tag])
        return
    css = CLASSES.get(token.type)
    if css:
        token.attrSet("class", css)


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """`{{ dataset.notes|markdown }}`: the description as safe GOV.UK-styled HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - raw HTML is escaped by the parser (html=False)


@register.filter
def size(value: int | None) -> str:
    """A file size for people ("2.3 MB"), or an empty string when unknown."""
    return "" if value is None else str(filesizeformat(value))


@register.filter
def formats(dataset) -> list[str]:
    """The distinct formats of a dataset's resources (prefetched by the search), in A to Z order."""
    return sorted({resource.format.upper() for resource in dataset.resources.all() if resource.format})

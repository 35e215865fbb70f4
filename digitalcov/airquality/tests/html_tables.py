"""Reading a page the way a person does: GOV.UK tables by their caption, as rows of cell text."""

from __future__ import annotations

from bs4 import BeautifulSoup


def get_page(client, url: str, status: int = 200) -> BeautifulSoup:
    """GET a page and parse it; fails unless the status is as expected."""
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def table_by_caption(soup: BeautifulSoup, caption: str):
    """The table whose caption reads exactly ``caption``."""
    for table in soup.find_all("table"):
        if table.caption and table.caption.get_text(" ", strip=True) == caption:
            return table
    found = [t.caption.get_text(" ", strip=True) for t in soup.find_all("table") if t.caption]
    raise AssertionError(f"No table captioned {caption!r}; captions are {found}")


def table_rows(table) -> list[dict[str, str]]:
    """The body rows as {column heading: cell text}."""
    headings = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    return [
        dict(
            zip(
                headings, (cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])), strict=True
            )
        )
        for row in table.find("tbody").find_all("tr")
    ]

"""The map page's table of other UK sites, with both real files loaded."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def test_other_uk_sites_are_listed_with_an_index_or_why_there_is_none(client, aurn):
    soup = BeautifulSoup(client.get("/air-quality/").content, "html.parser")
    details = soup.find("details")
    assert "Latest index at 94 other UK sites" in details.find("summary").get_text(" ", strip=True)
    rows = {
        row.find("th").get_text(" ", strip=True): [c.get_text(" ", strip=True) for c in row.find_all("td")]
        for row in details.find("tbody").find_all("tr")
    }
    assert len(rows) == 94
    assert rows["Aberdeen"] == ["Urban Background", "31 August 2020", "1", "Low", "PM2.5"]
    assert rows["Aston Hill"][1] == "Latest reading 31 August 2020"
    assert rows["Aston Hill"][2].startswith("No index: only daily means are stored here")

"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import re

LINK_PATTERN = re.compile(r"(https?://\S+)")


def links_in(message) -> list[str]:
    """Every web address in an email's body."""
    return LINK_PATTERN.findall(message.body)


def path_of(link: str, site_url: str) -> str:
    assert link.startswith(site_url), f"{link} is not built from SITE_URL {site_url}"
    return link[len(site_url) :]

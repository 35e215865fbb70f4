"""UK postcodes: validate, normalise, and check against the real postcode list.

The format follows the UK Government Data Standards Catalogue (BS 7666 postcode). Postcodes in the
council's postcode area are checked against OS Code-Point Open (`data/postcodes/`), which lists every
live postcode, so a typo that is well-formed but does not exist is caught. The file is read once, lazily.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data" / "postcodes"
CODEPOINT_FILE = DATA_DIR / "codepoint_open_cv.csv"
WARDS_FILE = DATA_DIR / "coventry_ward_codes_names_codepoint.csv"

# Outward code (area, district) then inward code (sector digit, unit letters; C I K M O V never used).
POSTCODE_PATTERN = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


class PostcodeError(ValueError):
    """A postcode that is not valid; the message is written for the person who typed it."""


@dataclass(frozen=True)
class PostcodeInfo:
    postcode: str
    admin_district_code: str
    ward_code: str

    @property
    def ward_name(self) -> str:
        return ward_names().get(self.ward_code, "")


def normalise_postcode(text: str) -> str:
    """Upper-case, single space before the inward code: " cv1  5fb" -> "CV1 5FB".

    Raises PostcodeError for anything that is not in the UK postcode format.
    """
    compact = "".join(text.upper().split())
    if not compact:
        raise PostcodeError("Enter a postcode")
    if not POSTCODE_PATTERN.match(compact):
        raise PostcodeError("Enter a real postcode, like CV1 5RR")
    return f"{compact[:-3]} {compact[-3:]}"


def lookup_postcode(text: str) -> PostcodeInfo | None:
    """The Code-Point Open entry for a postcode, or None when it is not in the list."""
    return known_postcodes().get(normalise_postcode(text))


def validate_postcode(text: str) -> str:
    """Normalise a postcode and, inside the areas our list covers, check that it exists."""
    postcode = normalise_postcode(text)
    area = re.match(r"[A-Z]+", postcode).group(0)
    if area in covered_areas() and postcode not in known_postcodes():
        raise PostcodeError("We cannot find that postcode. Check it and enter it again")
    return postcode


def is_in_council_area(postcode: str) -> bool:
    """True when the postcode lies in the council's own district (Coventry: E08000026)."""
    info = known_postcodes().get(postcode)
    return info is not None and info.admin_district_code == settings.COUNCIL_ADMIN_DISTRICT_CODE


@cache
def known_postcodes() -> dict[str, PostcodeInfo]:
    """Every live postcode in the shipped Code-Point Open extract, keyed by normalised postcode."""
    entries: dict[str, PostcodeInfo] = {}
    with CODEPOINT_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            postcode = " ".join(row[0].split())
            entries[postcode] = PostcodeInfo(postcode=postcode, admin_district_code=row[8], ward_code=row[9])
    return entries


@cache
def covered_areas() -> frozenset[str]:
    return frozenset(re.match(r"[A-Z]+", postcode).group(0) for postcode in known_postcodes())


@cache
def ward_names() -> dict[str, str]:
    with WARDS_FILE.open(newline="", encoding="utf-8") as handle:
        return {row["ward_code"]: row["ward_name"] for row in csv.DictReader(handle)}

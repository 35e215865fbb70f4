"""Which household an address belongs to, so limits that apply per home (tip visits) cannot be dodged by
writing the same address differently.

"1 High Street", "1, High St." and "1 high st" are one household: the key is the normalised postcode and
the first address line (flat or house number and street) in upper case, without punctuation, with
single spaces and with common street abbreviations written out (Royal Mail's Programmers' Guide lists
them as "thoroughfare descriptors").
"""

from __future__ import annotations

import re

from digitalcov.core.postcodes import PostcodeError, normalise_postcode

# Abbreviation -> the word it stands for, as residents type them.
STREET_WORDS = {
    "ST": "STREET",
    "STR": "STREET",
    "RD": "ROAD",
    "AVE": "AVENUE",
    "AV": "AVENUE",
    "AVN": "AVENUE",
    "LN": "LANE",
    "DR": "DRIVE",
    "DRV": "DRIVE",
    "CL": "CLOSE",
    "CRES": "CRESCENT",
    "CRESC": "CRESCENT",
    "CT": "COURT",
    "CRT": "COURT",
    "PL": "PLACE",
    "GDNS": "GARDENS",
    "GDN": "GARDEN",
    "GRN": "GREEN",
    "GR": "GROVE",
    "GRV": "GROVE",
    "TER": "TERRACE",
    "TERR": "TERRACE",
    "TCE": "TERRACE",
    "SQ": "SQUARE",
    "PK": "PARK",
    "WY": "WAY",
    "HSE": "HOUSE",
    "FLT": "FLAT",
    "APT": "APARTMENT",
}
# The longest key the tips app stores (TipBooking.household_key is 130 characters).
MAX_KEY_LENGTH = 130


def normalise_line(line: str) -> str:
    """The first address line spelled one way: "Flat 2, 10a High St." -> "FLAT 2 10A HIGH STREET"."""
    text = (line or "").upper()
    text = re.sub(r"['’`]", "", text)  # "St John's" -> "ST JOHNS", not "ST JOHN S"
    text = re.sub(r"[^A-Z0-9]+", " ", text)
    text = re.sub(r"\b(\d+) ([A-Z])\b(?= [A-Z])", r"\1\2", text)  # "10 A High St" -> "10A HIGH ST"
    words = text.split()
    expanded = []
    for index, word in enumerate(words):
        follows_number = index > 0 and words[index - 1][0].isdigit()
        if word == "ST" and (index == 0 or follows_number) and index < len(words) - 1:
            # "St Johns Road": before a street's name "St" is "Saint", not "Street".
            expanded.append("SAINT")
        else:
            expanded.append(STREET_WORDS.get(word, word))
    return " ".join(expanded)


def _normalised_postcode(postcode: str) -> str:
    try:
        return normalise_postcode(postcode)
    except PostcodeError:
        return " ".join((postcode or "").upper().split())


def household_key(postcode: str, address_line_1: str) -> str:
    """ "POSTCODE|LINE" for an address, or "" when either part is missing."""
    if not (postcode or "").strip():
        return ""
    line = normalise_line(address_line_1)
    if not line:
        return ""
    return f"{_normalised_postcode(postcode)}|{line}"[:MAX_KEY_LENGTH]

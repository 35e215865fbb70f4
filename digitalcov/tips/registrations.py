"""UK vehicle registration marks: validate and normalise what a resident types.

The formats are those the DVLA has issued (GOV.UK "Vehicle registration numbers and number plates",
INF104): current (since September 2001), prefix (1983-2001), suffix (1963-1983), dateless (before
1963, also sold as cherished marks), Northern Ireland, and Q plates (vehicles of unknown age). Each is
normalised to upper case with the standard single space, so "ab12cde" and "AB 12 CDE" are both
stored as "AB12 CDE" and compare equal.

Letters the DVLA never uses in a format are refused: I and Q in current marks (and Z in the two
"memory tag" letters), I, O, Q, U and Z as prefix or suffix year letters, and I, Q and Z in Great
Britain's dateless marks (I and Z belong to the Irish codes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters for general use: I and Q are never issued in GB marks; Z only in the random letters.
_GB = "A-HJ-PR-Y"
_GB_Z = "A-HJ-PR-Z"
# Year letters of prefix and suffix marks: I, O, Q, U and Z were never used.
_YEAR = "A-HJ-NPR-TV-Y"


@dataclass(frozen=True)
class RegistrationFormat:
    """A named format: a pattern over the mark with spaces removed, and where the space goes."""

    name: str
    pattern: re.Pattern[str]
    # Index in the compact mark where the standard space goes (negative counts from the end), or
    # "letters-digits" to split where letters meet digits.
    space_at: int | str


FORMATS = [
    RegistrationFormat("current", re.compile(rf"^[{_GB}]{{2}}[0-9]{{2}}[{_GB_Z}]{{3}}$"), 4),
    RegistrationFormat("prefix", re.compile(rf"^[{_YEAR}][0-9]{{1,3}}[{_GB}]{{3}}$"), -3),
    RegistrationFormat("Q plate", re.compile(rf"^Q[0-9]{{1,3}}[{_GB}]{{3}}$"), -3),
    RegistrationFormat("suffix", re.compile(rf"^[{_GB}]{{3}}[0-9]{{1,3}}[{_YEAR}]$"), 3),
    # Northern Ireland: an optional serial letter, a two-letter code holding I or Z, then 1-4 digits.
    RegistrationFormat(
        "Northern Ireland", re.compile(r"^[A-HJ-PR-Y]?(?:[A-Z][IZ]|I[A-Z])[0-9]{1,4}$"), "letters-digits"
    ),
    RegistrationFormat("dateless", re.compile(rf"^[{_GB}]{{1,3}}[0-9]{{1,4}}$"), "letters-digits"),
    RegistrationFormat("dateless", re.compile(rf"^[0-9]{{1,4}}[{_GB}]{{1,3}}$"), "letters-digits"),
]


class RegistrationError(ValueError):
    """Not a UK registration; the message is written for the person who typed it."""


def normalise_registration(text: str) -> str:
    """Return the registration in upper case with the standard spacing, or raise RegistrationError.

    >>> normalise_registration("ab12cde")
    'AB12 CDE'
    """
    compact = "".join(text.upper().split()).replace("-", "")
    if not compact:
        raise RegistrationError("Enter your vehicle registration number")
    if not compact.isalnum() or not compact.isascii():
        raise RegistrationError("Vehicle registration must only include letters and numbers")
    if len(compact) > 8:
        raise RegistrationError("Vehicle registration must be 8 characters or fewer, like AB12 CDE")
    fmt = registration_format(compact)
    if fmt is None:
        raise RegistrationError("Enter a real UK vehicle registration, like AB12 CDE")
    return _spaced(compact, fmt)


def registration_format(text: str) -> RegistrationFormat | None:
    """The format a registration (any case or spacing) is in, or None when it is in none."""
    compact = "".join(text.upper().split())
    return next((fmt for fmt in FORMATS if fmt.pattern.match(compact)), None)


def is_valid_registration(text: str) -> bool:
    try:
        normalise_registration(text)
    except RegistrationError:
        return False
    return True


def _spaced(compact: str, fmt: RegistrationFormat) -> str:
    if fmt.space_at == "letters-digits":
        match = re.match(r"^([A-Z]+|[0-9]+)(.*)$", compact)
        return f"{match.group(1)} {match.group(2)}"
    at = int(fmt.space_at)
    return f"{compact[:at]} {compact[at:]}"

"""Standardisation of the common person schema (issue 5, section 2).

Each rule takes the raw text a source sent and returns the standardised value and, when the value breaks
the rule, a problem code (`DataQualityFinding.Problem`). The raw text is always kept in the record, so a
value that is cleaned, or cannot be used, is never lost and the finding says why. Rules are cached by
value: sources repeat the same names, dates and postcodes many times and a 1,000,000-row import would
otherwise spend most of its time re-parsing them.
"""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata
from functools import lru_cache

from digitalcov.core.phones import PhoneError, normalise_phone
from digitalcov.core.postcodes import PostcodeError, covered_areas, is_in_council_area, known_postcodes
from digitalcov.core.postcodes import normalise_postcode as normalise_uk_postcode

from .models import DataQualityFinding

Problem = DataQualityFinding.Problem
Result = tuple[object, str | None]  # (standardised value, problem code or None)
CACHE_SIZE = 262_144

# Oldest date of birth we accept without a finding: nobody alive was born before it.
EARLIEST_PLAUSIBLE_BIRTH = datetime.date(1890, 1, 1)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Year first (ISO 8601, compact, slashes); then UK day-first orders (never US month-first: a council's
# sources are British, and guessing between the two would change dates without trace).
YEAR_FIRST = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:[T ].*)?$")
DAY_FIRST = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[-/. ]+([a-z]+)\.?[-/. ]+(\d{4})$")

# The WHATWG HTML "valid e-mail address" (what a browser's type=email field accepts), with a dot in
# the domain as well: an address without one cannot be delivered from the council's systems.
EMAIL_PATTERN = re.compile(
    r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)
NHS_WEIGHTS = tuple(range(10, 1, -1))

SEXES = {
    "m": "M",
    "male": "M",
    "man": "M",
    "1": "M",
    "f": "F",
    "female": "F",
    "woman": "F",
    "2": "F",
    "x": "X",
    "other": "X",
    "indeterminate": "X",
    "9": "X",
}
UNKNOWN_SEX = {"", "u", "unknown", "not known", "not stated", "0"}


def tidy(text: str) -> str:
    """Unicode NFC, single spaces, no spaces at either end."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _title_case(text: str) -> str:
    """Words in all capitals or all lower case in title case ("JOHN o'neil" -> "John O'Neil"); a word
    in mixed case ("McDonald") is kept as written."""
    return " ".join(word.title() if word.isupper() or word.islower() else word for word in text.split(" "))


@lru_cache(maxsize=CACHE_SIZE)
def standardise_name(text: str) -> Result:
    """A name tidied for display: spacing collapsed and case as `_title_case` puts it."""
    name = _title_case(tidy(text))
    problem = Problem.INVALID_FORMAT if any(character.isdigit() for character in name) else None
    return name, problem


@lru_cache(maxsize=CACHE_SIZE)
def name_key(text: str) -> str:
    """What linkage compares: accents folded, lower case, letters and single spaces only
    ("Zoë  O'Neil-Smith" -> "zoe oneil smith")."""
    folded = unicodedata.normalize("NFKD", text or "")
    letters = "".join(c for c in folded if not unicodedata.combining(c)).lower().replace("-", " ")
    return " ".join("".join(c for c in letters if c.isalpha() or c.isspace()).split())


@lru_cache(maxsize=CACHE_SIZE)
def standardise_date(text: str, today: datetime.date | None = None) -> Result:
    """A date of birth in any of the formats sources use; an impossible date (31 February) or one we
    cannot read gives no date and a finding; a future or implausibly old date is kept with a finding."""
    value = tidy(text).lower()
    if not value:
        return None, None
    parts = _date_parts(value)
    if parts is None:
        return None, Problem.INVALID_FORMAT
    try:
        date = datetime.date(*parts)
    except ValueError:
        return None, Problem.IMPOSSIBLE_DATE
    if date > (today or datetime.date.today()):
        return date, Problem.FUTURE_DATE
    if date < EARLIEST_PLAUSIBLE_BIRTH:
        return date, Problem.IMPLAUSIBLE_DATE
    return date, None


def _date_parts(value: str) -> tuple[int, int, int] | None:
    if match := YEAR_FIRST.match(value):
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    if match := DAY_FIRST.match(value):
        day, month, year = match.groups()
        return int(year), int(month), int(day)
    if (match := DAY_MONTH_NAME.match(value)) and match.group(2) in MONTHS:
        day, month, year = match.groups()
        return int(year), MONTHS[month], int(day)
    return None


@lru_cache(maxsize=CACHE_SIZE)
def standardise_sex(text: str) -> Result:
    value = tidy(text).lower()
    if value in SEXES:
        return SEXES[value], None
    if value in UNKNOWN_SEX:
        return "", None
    return "", Problem.UNRECOGNISED_VALUE


@lru_cache(maxsize=CACHE_SIZE)
def standardise_postcode(text: str) -> Result:
    """A UK postcode in its standard form ("cv15fb" -> "CV1 5FB"), checked against Code-Point Open.

    A value that is not a UK postcode is kept in upper case without spaces (so linkage can still compare
    it) with an `invalid_format` finding. A well-formed postcode in an area the list covers but missing
    from it is `unknown_postcode`; one outside the council's district is `outside_area`."""
    raw = tidy(text)
    if not raw:
        return "", None
    try:
        postcode = normalise_uk_postcode(raw)
    except PostcodeError:
        return "".join(raw.upper().split()), Problem.INVALID_FORMAT
    area = re.match(r"[A-Z]+", postcode).group(0)
    if area in covered_areas() and postcode not in known_postcodes():
        return postcode, Problem.UNKNOWN_POSTCODE
    if not is_in_council_area(postcode):
        return postcode, Problem.OUTSIDE_AREA
    return postcode, None


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number modulus 11 check (NHS Data Dictionary, "NHS Number"): weights 10 down to 2 on
    the first nine digits; 11 minus the remainder is the check digit, 11 means 0 and 10 is never valid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(map(operator.mul, map(int, digits[:9]), NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


@lru_cache(maxsize=CACHE_SIZE)
def standardise_nhs_number(text: str) -> Result:
    digits = re.sub(r"[\s-]", "", text or "")
    if not digits:
        return "", None
    if len(digits) != 10 or not digits.isdigit():
        return "", Problem.INVALID_FORMAT
    if not nhs_number_is_valid(digits):
        return "", Problem.FAILED_CHECK_DIGIT
    return digits, None


@lru_cache(maxsize=CACHE_SIZE)
def standardise_uprn(text: str) -> Result:
    """A Unique Property Reference Number: a whole number of up to 12 digits, leading zeros dropped."""
    value = tidy(text)
    if not value:
        return "", None
    if not value.isdigit() or len(value.lstrip("0")) > 12 or not value.strip("0"):
        return "", Problem.INVALID_FORMAT
    return value.lstrip("0"), None


@lru_cache(maxsize=CACHE_SIZE)
def standardise_email(text: str) -> Result:
    value = tidy(text).lower()
    if not value:
        return "", None
    if not EMAIL_PATTERN.match(value) or len(value) > 320:
        return "", Problem.INVALID_EMAIL
    return value, None


@lru_cache(maxsize=CACHE_SIZE)
def standardise_phone(text: str) -> Result:
    if not tidy(text):
        return "", None
    try:
        return normalise_phone(text), None
    except PhoneError:
        return "", Problem.INVALID_PHONE


@lru_cache(maxsize=CACHE_SIZE)
def standardise_address_line(text: str) -> Result:
    return _title_case(tidy(text)), None


@lru_cache(maxsize=CACHE_SIZE)
def standardise_identifier(text: str) -> Result:
    """Another identifier the sources share (a national insurance number, a partner's reference)."""
    return "".join(tidy(text).upper().split()), None


RULES = {
    "forenames": standardise_name,
    "surname": standardise_name,
    "date_of_birth": standardise_date,
    "sex": standardise_sex,
    "address_line_1": standardise_address_line,
    "address_line_2": standardise_address_line,
    "address_line_3": standardise_address_line,
    "address_line_4": standardise_address_line,
    "postcode": standardise_postcode,
    "uprn": standardise_uprn,
    "nhs_number": standardise_nhs_number,
    "email": standardise_email,
    "phone": standardise_phone,
    "other_id": standardise_identifier,
}


RULE_LIST = list(RULES.items())
# The standardised values `standardise_values` returns, in order: the schema, then the name keys.
STANDARDISED_FIELDS = (*RULES, "forenames_key", "surname_key")


def standardise_values(raw: tuple[str, ...]) -> tuple[list[object], list[tuple[str, str]]]:
    """Standardise one record's raw values (in the order of RULES): the values of STANDARDISED_FIELDS
    and a (field, problem) pair for each value that broke a rule. Built for speed: imports call it
    once a row."""
    values: list[object] = []
    problems: list[tuple[str, str]] = []
    for (field, rule), text in zip(RULE_LIST, raw, strict=True):
        value, problem = rule(text)
        values.append(value)
        if problem:
            problems.append((field, problem))
    values.append(name_key(values[0]))
    values.append(name_key(values[1]))
    return values, problems


def standardise_person(raw: dict[str, str]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Standardise one record given as {field: raw text}: {field: standardised value} and problems."""
    values, problems = standardise_values(tuple(raw.get(field, "") for field in RULES))
    return dict(zip(STANDARDISED_FIELDS, values, strict=True)), problems

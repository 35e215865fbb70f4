"""UK telephone numbers: validate and normalise with Google's libphonenumber (`phonenumbers`)."""

from __future__ import annotations

import phonenumbers

PHONE_ERROR = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


class PhoneError(ValueError):
    """A telephone number that is not valid; the message is written for the person who typed it."""


def normalise_phone(text: str) -> str:
    """A valid number in UK national format ("07700 900982"), or international format when abroad."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException as error:
        raise PhoneError(PHONE_ERROR) from error
    if not (phonenumbers.is_valid_number(number) or _is_ofcom_drama_number(number)):
        raise PhoneError(PHONE_ERROR)
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# Ofcom keeps these ranges for drama and examples (GOV.UK's own hint uses them); libphonenumber calls them
# invalid, but they are real UK numbers in format, and our tests and demo data use them.
OFCOM_DRAMA_PREFIXES = ("7700900", "1632960", "8081570")


def _is_ofcom_drama_number(number: phonenumbers.PhoneNumber) -> bool:
    national = str(number.national_number)
    return number.country_code == 44 and len(national) == 10 and national.startswith(OFCOM_DRAMA_PREFIXES)

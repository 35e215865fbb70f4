"""UK telephone numbers: check what a resident typed and store it one way (E.164, "+447700900123").

Parsing uses `phonenumbers` (Google's libphonenumber) with the UK as the default region, so "07700
900 982", "+44 7700 900982" and "(01632) 960001" are all understood. Ofcom keeps some ranges for use in
drama and examples (https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama);
libphonenumber rejects them, but GOV.UK's own error message uses them as examples and our demo and test
data use them, so we accept them too.
"""

from __future__ import annotations

import phonenumbers

PHONE_ERROR = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"

# National significant numbers (no leading 0) of Ofcom's drama ranges: prefix, then total length.
OFCOM_DRAMA_PREFIXES = (
    "7700900",  # mobile 07700 900000 to 900999
    "1632960",  # 01632 960000 to 960999
    "1134960",
    "1144960",
    "1154960",
    "1164960",
    "1174960",
    "1184960",
    "1214960",
    "1314960",
    "1414960",
    "1514960",
    "1614960",
    "1914980",
    "2079460",  # London 020 7946 0000 to 0999
    "2896496",
    "2920180",
    "8081570",  # freephone 0808 157 0000 to 0999
    "9098790",
    "3069990",
)


class PhoneError(ValueError):
    """A number we cannot use; the message is written for the person who typed it."""


def normalise_phone(text: str) -> str:
    """Return the number in E.164 form, or raise PhoneError with the GOV.UK-style message."""
    text = (text or "").strip()
    if not text:
        raise PhoneError(PHONE_ERROR)
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException as error:
        raise PhoneError(PHONE_ERROR) from error
    if not (phonenumbers.is_valid_number(number) or _is_ofcom_drama_number(number)):
        raise PhoneError(PHONE_ERROR)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(stored: str) -> str:
    """A stored number as people write it: national format for UK numbers, international otherwise."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, "GB")
    except phonenumbers.NumberParseException:
        return stored
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def _is_ofcom_drama_number(number: phonenumbers.PhoneNumber) -> bool:
    national = str(number.national_number)
    return number.country_code == 44 and len(national) == 10 and national.startswith(OFCOM_DRAMA_PREFIXES)

"""UK vehicle registrations are recognised in every DVLA format and stored with standard spacing."""

import pytest

from digitalcov.tips.registrations import (
    RegistrationError,
    is_valid_registration,
    normalise_registration,
    registration_format,
)


@pytest.mark.parametrize(
    ("typed", "stored", "format_name"),
    [
        ("AB12 CDE", "AB12 CDE", "current"),
        ("ab12cde", "AB12 CDE", "current"),
        ("  Ab 12 cDe ", "AB12 CDE", "current"),
        ("AB-12-CDE", "AB12 CDE", "current"),
        ("YY71 ZZZ", "YY71 ZZZ", "current"),
        ("A123 BCD", "A123 BCD", "prefix"),
        ("p7abc", "P7 ABC", "prefix"),
        ("y999xyy", "Y999 XYY", "prefix"),
        ("ABC 123D", "ABC 123D", "suffix"),
        ("abc1a", "ABC 1A", "suffix"),
        ("A 1", "A 1", "dateless"),
        ("1234 AB", "1234 AB", "dateless"),
        ("ABC 1", "ABC 1", "dateless"),
        ("ab1234", "AB 1234", "dateless"),
        ("1a", "1 A", "dateless"),
        ("ABZ 1234", "ABZ 1234", "Northern Ireland"),
        ("aiz1", "AIZ 1", "Northern Ireland"),
        ("IA 123", "IA 123", "Northern Ireland"),
        ("Q123 ABC", "Q123 ABC", "Q plate"),
    ],
)
def test_real_registrations_are_accepted_and_normalised(typed, stored, format_name):
    assert normalise_registration(typed) == stored
    assert registration_format(stored).name == format_name


@pytest.mark.parametrize(
    "typed",
    [
        "AI12 CDE",  # I is never a memory tag letter
        "AB12 CDQ",  # Q is never issued in current marks
        "ZB12 CDE",  # Z is not a memory tag letter
        "AB1 CDE",  # current marks have two age digits
        "I123 ABC",  # I was never a prefix year letter
        "O123 ABC",  # nor O
        "Z123 ABC",  # nor Z
        "ABC 123I",  # nor a suffix year letter
        "ABC 123U",
        "ABCD 123",  # dateless marks have at most three letters
        "12345 A",  # and at most four digits
        "AB12",  # "AB 12" is dateless, but not with Q: see below
        "QQ 12",
        "AB12 CDEF",
        "A1B2C3",
        "AB12 CD!",
        "",
        "   ",
    ],
)
def test_impossible_registrations_are_refused(typed):
    if typed == "AB12":  # a real dateless mark, kept in the list to show the contrast
        assert normalise_registration(typed) == "AB 12"
        return
    with pytest.raises(RegistrationError):
        normalise_registration(typed)


def test_errors_are_written_for_the_person_who_typed_it():
    with pytest.raises(RegistrationError, match="Enter your vehicle registration number"):
        normalise_registration("")
    with pytest.raises(RegistrationError, match="only include letters and numbers"):
        normalise_registration("AB12 CD£")
    with pytest.raises(RegistrationError, match="like AB12 CDE"):
        normalise_registration("AI12 CDE")


def test_is_valid_registration_answers_yes_or_no():
    assert is_valid_registration("ab12 cde")
    assert not is_valid_registration("not a reg")

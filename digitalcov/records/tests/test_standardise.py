"""Standardisation rules (issue 5, section 2): each rule's clean value and the finding for a bad one."""

import datetime

import pytest

from digitalcov.records.models import DataQualityFinding
from digitalcov.records.standardise import (
    name_key,
    nhs_number_is_valid,
    standardise_date,
    standardise_email,
    standardise_name,
    standardise_nhs_number,
    standardise_person,
    standardise_phone,
    standardise_postcode,
    standardise_sex,
    standardise_uprn,
)

Problem = DataQualityFinding.Problem


def test_names_are_tidied_for_display_and_keep_mixed_case_as_written():
    assert standardise_name("  JOHN   smith ") == ("John Smith", None)
    assert standardise_name("McDonald") == ("McDonald", None)
    assert standardise_name("o'neil") == ("O'Neil", None)


def test_name_keys_fold_accents_case_and_punctuation_for_matching():
    assert name_key("Zoë  O'Neil-Smith") == "zoe oneil smith"
    assert name_key("JOSÉ") == name_key("jose")


def test_a_name_with_digits_is_kept_with_a_finding():
    assert standardise_name("J0hn") == ("J0hn", Problem.INVALID_FORMAT)


@pytest.mark.parametrize(
    "text", ["1980-03-01", "19800301", "01/03/1980", "1-3-1980", "1 March 1980", "1st mar 1980"]
)
def test_dates_of_birth_are_read_in_the_formats_sources_use(text):
    assert standardise_date(text) == (datetime.date(1980, 3, 1), None)


def test_day_first_dates_are_read_the_british_way():
    assert standardise_date("02/03/1980") == (datetime.date(1980, 3, 2), None)


def test_an_impossible_date_gives_no_date_and_a_finding():
    assert standardise_date("31/02/1980") == (None, Problem.IMPOSSIBLE_DATE)
    assert standardise_date("19560431") == (None, Problem.IMPOSSIBLE_DATE)


def test_an_unreadable_date_is_a_finding():
    assert standardise_date("last tuesday") == (None, Problem.INVALID_FORMAT)


def test_future_and_implausibly_old_dates_are_kept_with_a_finding():
    assert standardise_date("2099-01-01") == (datetime.date(2099, 1, 1), Problem.FUTURE_DATE)
    assert standardise_date("1850-01-01") == (datetime.date(1850, 1, 1), Problem.IMPLAUSIBLE_DATE)


def test_a_coventry_postcode_is_put_in_its_standard_form():
    assert standardise_postcode(" cv1  5rr") == ("CV1 5RR", None)


def test_a_well_formed_postcode_missing_from_code_point_open_is_unknown():
    assert standardise_postcode("CV1 5ZZ") == ("CV1 5ZZ", Problem.UNKNOWN_POSTCODE)


def test_a_postcode_outside_the_council_area_is_kept_with_a_finding():
    assert standardise_postcode("CV21 2AA") == ("CV21 2AA", Problem.OUTSIDE_AREA)  # Rugby
    assert standardise_postcode("b1 1aa") == ("B1 1AA", Problem.OUTSIDE_AREA)


def test_a_value_that_is_not_a_uk_postcode_is_kept_compact_with_a_finding():
    assert standardise_postcode("4223") == ("4223", Problem.INVALID_FORMAT)


def test_phone_numbers_are_stored_in_e164():
    assert standardise_phone("07700 900982") == ("+447700900982", None)
    assert standardise_phone("(01632) 960001") == ("+441632960001", None)


def test_an_unusable_phone_number_is_a_finding():
    assert standardise_phone("12345") == ("", Problem.INVALID_PHONE)


def test_nhs_numbers_pass_the_modulus_11_check():
    assert nhs_number_is_valid("9434765919")
    assert standardise_nhs_number("943 476 5919") == ("9434765919", None)


def test_an_nhs_number_with_a_wrong_check_digit_is_a_finding():
    assert standardise_nhs_number("9434765918") == ("", Problem.FAILED_CHECK_DIGIT)


def test_an_nhs_number_of_the_wrong_length_is_a_finding():
    assert standardise_nhs_number("94347659") == ("", Problem.INVALID_FORMAT)


def test_an_nhs_number_whose_check_would_be_ten_is_never_valid():
    # 1000000010: weights give 10 * 1 + 2 * 1 = 12, 11 - 12 % 11 = 10.
    assert not nhs_number_is_valid("1000000010")


def test_emails_are_lower_cased_and_bad_ones_are_findings():
    assert standardise_email(" Ann.Smith@Example.COM ") == ("ann.smith@example.com", None)
    assert standardise_email("ann@localhost") == ("", Problem.INVALID_EMAIL)
    assert standardise_email("ann smith@example.com") == ("", Problem.INVALID_EMAIL)


def test_sex_is_coded_and_unknown_codes_are_findings():
    assert standardise_sex("Female") == ("F", None)
    assert standardise_sex("1") == ("M", None)
    assert standardise_sex("not known") == ("", None)
    assert standardise_sex("Q") == ("", Problem.UNRECOGNISED_VALUE)


def test_uprns_are_whole_numbers_of_up_to_twelve_digits():
    assert standardise_uprn("0100070000001") == ("100070000001", None)
    assert standardise_uprn("10007A") == ("", Problem.INVALID_FORMAT)


def test_a_person_is_standardised_field_by_field_with_every_problem_listed():
    values, problems = standardise_person(
        {"forenames": "ZOË", "surname": "o'neil", "date_of_birth": "30/02/1990", "email": "zoe@"}
    )
    assert values["forenames"] == "Zoë" and values["forenames_key"] == "zoe"
    assert values["surname_key"] == "oneil"
    assert values["date_of_birth"] is None
    assert sorted(problems) == [("date_of_birth", Problem.IMPOSSIBLE_DATE), ("email", Problem.INVALID_EMAIL)]

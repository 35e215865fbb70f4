"""One household however its address is written, so per-home limits cannot be dodged."""

import pytest

from digitalcov.accounts.households import household_key, normalise_line
from digitalcov.accounts.models import User


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("1 High Street", "1, High St"),
        ("1 High Street", "1 high st."),
        ("1 High Street", "  1   HIGH   STREET  "),
        ("12 Station Road", "12 Station Rd"),
        ("3 Kenilworth Avenue", "3 Kenilworth Ave"),
        ("3 Kenilworth Avenue", "3 Kenilworth Av."),
        ("4 Lovers Lane", "4 Lovers Ln"),
        ("5 Park Drive", "5 Park Dr"),
        ("6 Beech Close", "6 Beech Cl"),
        ("7 Moon Crescent", "7 Moon Cres"),
        ("8 Fir Court", "8 Fir Ct"),
        ("9 Ash Place", "9 Ash Pl"),
        ("10 Rose Gardens", "10 Rose Gdns"),
        ("11 Village Green", "11 Village Grn"),
        ("12 Albany Terrace", "12 Albany Ter"),
        ("12 Albany Terrace", "12 Albany Terr"),
        ("13 Market Square", "13 Market Sq"),
        ("14 Holly Park", "14 Holly Pk"),
        ("Flat 2, 10 High Street", "Flat 2 10 High St"),
        ("10A High Street", "10 a High St"),
        ("2 St John's Road", "2 St Johns Rd"),
    ],
)
def test_the_same_address_written_differently_is_one_household(one, other):
    assert household_key("CV1 5RR", one) == household_key("cv15rr", other)


def test_st_before_a_name_is_saint_and_after_it_is_street():
    assert normalise_line("2 St Mary's St") == "2 SAINT MARYS STREET"


@pytest.mark.parametrize(
    ("one", "other"),
    [("1 High Street", "2 High Street"), ("Flat 1, 10 High St", "Flat 2, 10 High St")],
)
def test_different_homes_are_different_households(one, other):
    assert household_key("CV1 5RR", one) != household_key("CV1 5RR", other)


def test_the_household_key_keeps_its_postcode_and_line_shape():
    resident = User(postcode="CV1 5RR", address_line_1="1, High St.")
    assert resident.household_key == "CV1 5RR|1 HIGH STREET"


def test_no_household_without_a_postcode_or_a_first_line():
    assert User(postcode="", address_line_1="1 High Street").household_key == ""
    assert User(postcode="CV1 5RR", address_line_1=" , ").household_key == ""


def test_a_very_long_address_line_still_fits_the_stored_key():
    assert len(household_key("CV1 5RR", "1 " + "Rd " * 40)) <= 130

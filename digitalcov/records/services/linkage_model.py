"""The Splink model for people (issue 5, section 3): which fields are compared and how, which pairs are
compared at all (blocking rules), and how the parameters are trained.

Comparisons follow Splink's guidance for person data: names by exact match with term-frequency
adjustment (a match on "Smith" counts for less than one on "Zebedee"), then forenames and surname
swapped, then Jaro-Winkler similarity;
dates of birth exact, then day and month swapped, then one typo, then within a year; postcodes by unit,
typo, sector and district; addresses by Jaro-Winkler (Levenshtein and Jaro-Winkler rather than
Damerau-Levenshtein, which is several times slower in DuckDB); identifiers (NHS number, UPRN) exact.
A field only takes part when the data holds it, so the same model serves a council's sources and
the FEBRL and fake_1000 test sets.
The SQL is written in DuckDB's dialect and Splink translates it (sqlglot) for Spark.
"""

from __future__ import annotations

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

# A field is used for linkage when at least this share of records hold it.
MIN_FILLED_SHARE = 0.05

DOB_SWAPPED = (
    "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
    "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
)
# Sector and district only mean something for UK postcodes (which have a space); FEBRL's Australian
# postcodes and other non-UK values fall through to the typo and else levels.
NAMES_SWAPPED = "l.forenames = r.surname AND l.surname = r.forenames"
POSTCODE_UK = "postcode_l LIKE '% %' AND postcode_r LIKE '% %'"
POSTCODE_SECTOR = (
    f"{POSTCODE_UK} AND substr(postcode_l, 1, length(postcode_l) - 2) "
    "= substr(postcode_r, 1, length(postcode_r) - 2)"
)
POSTCODE_DISTRICT = f"{POSTCODE_UK} AND split_part(postcode_l, ' ', 1) = split_part(postcode_r, ' ', 1)"


def date_of_birth_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(DOB_SWAPPED, "Day and month swapped", base_dialect_str="duckdb"),
            cll.LevenshteinLevel("dob", 1),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=True, threshold=1, metric="year"),
            cll.ElseLevel(),
        ],
        comparison_description="Date of birth",
    )


def postcode_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
            cll.LevenshteinLevel("postcode", 1),
            cll.CustomLevel(POSTCODE_SECTOR, "Same postcode sector", base_dialect_str="duckdb"),
            cll.CustomLevel(POSTCODE_DISTRICT, "Same postcode district", base_dialect_str="duckdb"),
            cll.ElseLevel(),
        ],
        comparison_description="Postcode",
    )


def name_comparison(column: str, other: str, columns: list[str]) -> cl.CustomComparison:
    """Exact (with term frequencies), then the name found in the other name field (forenames and
    surname swapped, a common slip when keying), then Jaro-Winkler similarity."""
    swapped = [
        cll.CustomLevel(
            f"{column}_l = {other}_r OR {other}_l = {column}_r",
            f"{column} matches the other record's {other}",
            base_dialect_str="duckdb",
        )
    ]
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True),
            *(swapped if other in columns else []),
            cll.JaroWinklerLevel(column, 0.92),
            cll.JaroWinklerLevel(column, 0.8),
            cll.ElseLevel(),
        ],
        comparison_description=column.capitalize(),
    )


# Linkage column -> the comparison used for it, in the order the match weights chart shows them.
COMPARISONS = {
    "forenames": lambda columns: name_comparison("forenames", "surname", columns),
    "surname": lambda columns: name_comparison("surname", "forenames", columns),
    "dob": lambda _: date_of_birth_comparison(),
    "sex": lambda _: cl.ExactMatch("sex"),
    "address_1": lambda _: cl.JaroWinklerAtThresholds("address_1", [0.95, 0.85]),
    "address_2": lambda _: cl.JaroWinklerAtThresholds("address_2", [0.9]),
    "locality": lambda _: cl.JaroWinklerAtThresholds("locality", [0.9]).configure(
        term_frequency_adjustments=True
    ),
    "town": lambda _: cl.JaroWinklerAtThresholds("town", [0.9]).configure(term_frequency_adjustments=True),
    "postcode": lambda _: postcode_comparison(),
    "uprn": lambda _: cl.ExactMatch("uprn"),
    "nhs_number": lambda _: cl.ExactMatch("nhs_number"),
    "email": lambda _: cl.EmailComparison("email"),
    "phone": lambda _: cl.ExactMatch("phone"),
    "other_id": lambda _: cl.LevenshteinAtThresholds("other_id", [1, 2]),
}

# Pairs are compared when they agree on at least one of these (each rule only when its fields are used).
PREDICTION_BLOCKS = [
    ("forenames", "surname"),
    ("surname", "dob"),
    ("forenames", "dob"),
    ("postcode", "surname"),
    ("postcode", "forenames"),
    ("postcode", "dob"),
    ("address_1", "dob"),
    ("address_1", "locality"),
    ("address_1", "postcode"),
    ("locality", "postcode"),
    ("nhs_number",),
    ("uprn", "forenames"),
    ("email",),
    ("phone",),
    ("other_id",),
]


# Broader rules that find more true matches (a typo in both names, say) but compare many more pairs;
# each is used only when the pairs it would compare stay within BROAD_RULE_PAIR_BUDGET. The main rules
# have a larger budget: a value shared by thousands of records (a switchboard number given as everyone's
# phone) identifies nobody, and comparing all their pairs would take longer than the rest of the run.
BROAD_BLOCKS = [
    ("surname",),
    ("dob",),
    ("forenames", "town"),
    ("forenames", "locality"),
    ("address_1",),
    ("postcode",),
]
BROAD_RULE_PAIR_BUDGET = 1_000_000
RULE_PAIR_BUDGET = 20_000_000


def pairs_compared(frame: pd.DataFrame, rule: tuple[str, ...]) -> int:
    """How many pairs a blocking rule on exact equality of `rule`'s columns would compare."""
    counts = frame[list(rule)].dropna().value_counts()
    return int((counts * (counts - 1) // 2).sum())


def used_columns(frame: pd.DataFrame) -> list[str]:
    """The linkage columns held by enough of the records to be worth comparing."""
    return [
        column
        for column in COMPARISONS
        if column in frame and frame[column].notna().mean() >= MIN_FILLED_SHARE
    ]


def blocking_rules(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    """The prediction blocking rules whose fields are used and whose pair counts fit their budgets."""
    return [
        rule
        for rules, budget in ((PREDICTION_BLOCKS, RULE_PAIR_BUDGET), (BROAD_BLOCKS, BROAD_RULE_PAIR_BUDGET))
        for rule in rules
        if all(column in columns for column in rule) and pairs_compared(frame, rule) <= budget
    ]


def settings_for(rules: list[tuple[str, ...]], columns: list[str]) -> SettingsCreator:
    """Splink settings for a dedupe over all sources' records using `columns` and blocking `rules`."""
    blocks = [block_on(*rule) for rule in rules]
    if {"forenames", "surname"} <= set(columns):
        blocks.append(CustomRule(NAMES_SWAPPED, sql_dialect="duckdb"))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[COMPARISONS[column](columns) for column in columns],
        blocking_rules_to_generate_predictions=blocks,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def deterministic_rules(columns: list[str]) -> list:
    """Rules nearly certain to find true matches, for Splink's estimate of how many pairs match."""
    rules = []
    if {"forenames", "surname", "dob"} <= set(columns):
        rules.append(block_on("forenames", "surname", "dob"))
    for identifier in ("nhs_number", "email", "other_id"):
        if identifier in columns:
            rules.append(block_on(identifier))
    return rules or [block_on("forenames", "surname")]


def training_blocks(columns: list[str]) -> list:
    """Blocking rules for the EM passes: each pass trains the fields its rule does not fix, so the
    two passes together train every field (names in the second, everything else in the first)."""
    first = block_on("forenames", "surname")
    second_fields = [column for column in ("dob", "postcode") if column in columns] or ["email"]
    return [first, block_on(*second_fields)]

"""The quality score as a pure function: each axis, the five stars as defined, freshness against the
stated frequency, and axes that cannot apply left out of the total."""

from __future__ import annotations

import datetime as dt

from digitalcov.catalogue.quality.scoring import DatasetFacts, ResourceFacts, assess

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


def csv(**fields) -> ResourceFacts:
    values = {"name": "Counts", "kind": "file", "format": "CSV", "has_data": True, "has_schema": True}
    values.update(fields)
    return ResourceFacts(**values)


def complete(**fields) -> DatasetFacts:
    values = {
        "description": "Traffic counts.",
        "tags": 2,
        "themes": 1,
        "contact_email": "traffic@example.gov.uk",
        "temporal": True,
        "spatial": True,
        "update_frequency": "monthly",
        "licence_open": True,
        "resources": [csv(data_modified=NOW - dt.timedelta(days=10))],
    }
    values.update(fields)
    return DatasetFacts(**values)


def axis(assessment, key):
    return next(a for a in assessment.axes if a.key == key)


def test_complete_metadata_and_fresh_schema_checked_csv_scores_all_but_the_linked_data_stars():
    result = assess(complete(), NOW)
    assert result.stars == 3
    assert axis(result, "metadata").fixes == []
    assert axis(result, "freshness").earned == 20
    assert axis(result, "schema").earned == 10
    assert not axis(result, "links").applicable  # no links to check
    # 30 + 15 (3 stars) + 20 + 10 of 30 + 25 + 20 + 10
    assert result.score == round(100 * 75 / 85)
    assert axis(result, "openness").fixes == [
        "Publish it as linked data (Turtle or JSON-LD) so each thing has a URI"
    ]


def test_each_missing_field_is_a_fix_worth_three_points():
    result = assess(complete(description="", tags=0, contact_email=""), NOW)
    metadata = axis(result, "metadata")
    assert metadata.earned == 21
    assert metadata.fixes == [
        "Add a description: what the data is, and how it was collected",
        "Add keywords so people searching can find it",
        "Add a contact email for questions about the data",
    ]


def test_stars_stop_at_the_first_one_not_earned():
    pdf = ResourceFacts(name="Report", kind="file", format="PDF", has_data=True)
    assert assess(complete(resources=[pdf]), NOW).stars == 1
    xlsx = ResourceFacts(name="Book", kind="file", format="xlsx", has_data=True)
    assert assess(complete(resources=[xlsx]), NOW).stars == 2
    assert assess(complete(resources=[xlsx, csv()]), NOW).stars == 3
    turtle = ResourceFacts(name="Graph", kind="file", format="TTL", has_data=True)
    assert assess(complete(resources=[turtle]), NOW).stars == 4
    linked = ResourceFacts(name="Graph", kind="file", format="TTL", has_data=True, links_out=True)
    assert assess(complete(resources=[linked]), NOW).stars == 5
    # A closed licence earns no star at all, however good the format.
    closed = assess(complete(licence_open=False, resources=[linked]), NOW)
    assert closed.stars == 0
    assert axis(closed, "openness").fixes == ["Use an open licence such as the Open Government Licence"]


def test_freshness_falls_to_half_then_nothing_as_updates_are_missed():
    def freshness(days):
        facts = complete(resources=[csv(data_modified=NOW - dt.timedelta(days=days))])
        return axis(assess(facts, NOW), "freshness")

    assert freshness(40).earned == 20  # monthly, within one and a half periods
    assert freshness(60).earned == 10
    assert freshness(100).earned == 0
    assert freshness(100).fixes == [
        "Update the data: it is meant to change every 31 days but last changed 100 days ago"
    ]


def test_freshness_is_not_scored_without_a_schedule_and_asks_for_dates_it_needs():
    assert not axis(assess(complete(update_frequency="irregular"), NOW), "freshness").applicable
    undated = axis(assess(complete(resources=[csv()]), NOW), "freshness")
    assert undated.applicable and undated.earned == 0
    assert undated.fixes == ["Give each resource the date its data last changed"]


def test_schema_axis_counts_tabular_resources_and_validation_errors():
    result = assess(complete(resources=[csv(has_schema=False), csv(name="Other", schema_errors=12)]), NOW)
    schema = axis(result, "schema")
    assert schema.earned == 2.5
    assert schema.fixes == [
        "Add a Table Schema to Counts, describing its columns and their types",
        "Correct Other: 12 values do not match its schema",
    ]
    pdf = ResourceFacts(name="Report", kind="file", format="PDF", has_data=True)
    assert not axis(assess(complete(resources=[pdf]), NOW), "schema").applicable


def test_broken_links_lose_points_and_unchecked_or_disabled_checks_are_not_scored():
    ok = ResourceFacts(name="Portal", kind="link", format="CSV", has_data=True, link_ok=True)
    broken = ResourceFacts(
        name="API",
        kind="api",
        format="JSON",
        has_data=True,
        link_ok=False,
        link_problem="it answered 404 Not Found",
    )
    links = axis(assess(complete(resources=[ok, broken]), NOW), "links")
    assert links.earned == 7.5
    assert links.fixes == ["Fix the link of API: it answered 404 Not Found"]
    unchecked = ResourceFacts(name="Portal", kind="link", format="CSV", has_data=True)
    assert not axis(assess(complete(resources=[unchecked]), NOW), "links").applicable
    off = axis(assess(complete(resources=[ok], link_checks_enabled=False), NOW), "links")
    assert not off.applicable and off.notes == ["Links are not checked on this server"]


def test_an_empty_dataset_scores_low_with_every_fix_listed():
    result = assess(DatasetFacts(), NOW)
    assert result.score == 4  # 3 points (a licence is chosen) of 75: no schema or links to score
    assert result.stars == 0
    assert (
        len(axis(result, "metadata").fixes) == 8
    )  # the licence counts as chosen; no resources to lack formats

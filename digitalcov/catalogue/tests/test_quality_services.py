"""Stored quality scores: every change through the catalogue services rescores the dataset, search
sorts by the score, uploaded RDF that links out earns the fifth star, the datastore's validation is
read when it offers it, and the command and task rescore everything."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from digitalcov.catalogue import services
from digitalcov.catalogue.quality.models import QualityScore
from digitalcov.catalogue.quality.tasks import refresh_quality

from .factories import make_dataset

pytestmark = pytest.mark.django_db


def score_of(dataset) -> QualityScore:
    return QualityScore.objects.get(dataset=dataset)


def test_publishing_a_dataset_scores_it_and_each_change_rescores_it(editor, transport):
    dataset = make_dataset(editor, transport, notes="")
    first = score_of(dataset)
    assert "Add a description: what the data is, and how it was collected" in first.fixes
    services.patch_dataset(editor, {"id": dataset.name, "notes": "Counts of bus passengers."})
    second = score_of(dataset)
    assert second.score > first.score
    assert "Add a description: what the data is, and how it was collected" not in second.fixes
    services.create_resource(
        editor, {"package_id": dataset.name, "url": "https://example.org/a.csv", "format": "CSV"}
    )
    third = score_of(dataset)
    assert third.stars == 3 and third.score > second.score


def test_private_drafts_are_scored_for_their_publishers(editor, transport):
    dataset = make_dataset(editor, transport, private=True, state="draft")
    assert score_of(dataset).score >= 0


def test_search_sorts_by_quality_both_ways_with_unscored_datasets_last(editor, transport):
    poor = make_dataset(editor, transport, notes="")
    good = make_dataset(
        editor,
        transport,
        tags=[{"name": "buses"}],
        maintainer_email="buses@example.gov.uk",
        resources=[{"url": "https://example.org/a.csv", "format": "CSV"}],
    )
    unscored = make_dataset(editor, transport)
    QualityScore.objects.filter(dataset=unscored).delete()
    best_first = services.package_search(AnonymousUser(), {"sort": "quality desc"})
    assert [d.name for d in best_first.datasets] == [good.name, poor.name, unscored.name]
    worst_first = services.package_search(AnonymousUser(), {"sort": "quality asc"})
    assert [d.name for d in worst_first.datasets] == [poor.name, good.name, unscored.name]
    texts = services.package_search(AnonymousUser(), {"q": "Dataset", "sort": "quality desc"})
    assert texts.datasets[0].name == good.name


def test_score_and_quality_cannot_be_combined(db):
    with pytest.raises(services.SearchError):
        services.package_search(AnonymousUser(), {"sort": "score desc, quality desc"})


def test_the_ckan_api_sorts_by_quality(client, editor, transport):
    make_dataset(editor, transport, notes="")
    good = make_dataset(editor, transport, tags=[{"name": "buses"}], maintainer_email="b@example.gov.uk")
    response = client.get("/api/3/action/package_search", {"sort": "quality desc"})
    assert response.json()["result"]["results"][0]["name"] == good.name


def test_uploaded_turtle_linking_to_ons_areas_earns_five_stars(editor, transport):
    dataset = make_dataset(editor, transport)
    turtle = (
        b"@prefix ex: <https://data.example.gov.uk/def/> .\n"
        b"<https://data.example.gov.uk/ward/1> ex:within "
        b"<http://statistics.data.gov.uk/id/statistical-geography/E08000026> .\n"
    )
    services.create_resource(
        editor, {"package_id": dataset.name, "format": "TTL"}, SimpleUploadedFile("wards.ttl", turtle)
    )
    assert score_of(dataset).stars == 5


def test_turtle_that_only_names_its_own_things_earns_four_stars(editor, transport):
    dataset = make_dataset(editor, transport)
    turtle = (
        b"<https://data.example.gov.uk/ward/1> <https://data.example.gov.uk/def/next> "
        b"<https://data.example.gov.uk/ward/2> .\n"
    )
    services.create_resource(
        editor, {"package_id": dataset.name, "format": "TTL"}, SimpleUploadedFile("wards.ttl", turtle)
    )
    assert score_of(dataset).stars == 4


def test_the_datastore_validation_report_counts_when_the_datastore_offers_it(editor, transport, monkeypatch):
    datastore = pytest.importorskip("digitalcov.catalogue.datastore")
    schema = {"fields": [{"name": "count", "type": "integer"}]}
    dataset = make_dataset(
        editor,
        transport,
        resources=[{"name": "Counts", "url": "https://example.org/c.csv", "format": "CSV", "schema": schema}],
    )
    schema_axis = next(a for a in score_of(dataset).axes if a["key"] == "schema")
    assert schema_axis["earned"] == 10  # a schema, and no report to say otherwise
    monkeypatch.setattr(datastore, "validation_report", lambda resource: {"error_count": 3}, raising=False)
    call_command("catalogue_quality", dataset.name)
    schema_axis = next(a for a in score_of(dataset).axes if a["key"] == "schema")
    assert schema_axis["earned"] == 5
    assert schema_axis["fixes"] == ["Correct Counts: 3 values do not match its schema"]


def test_the_command_and_the_task_rescore_every_dataset(editor, transport, capsys):
    datasets = [make_dataset(editor, transport) for _ in range(3)]
    QualityScore.objects.all().delete()
    call_command("catalogue_quality")
    assert "scored 3 datasets" in capsys.readouterr().out
    QualityScore.objects.all().delete()
    result = refresh_quality.enqueue(check=False)
    assert result.return_value == {"links_checked": 0, "datasets_scored": 3}
    assert QualityScore.objects.filter(dataset__in=datasets).count() == 3


def test_the_command_refuses_an_unknown_dataset(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No dataset named nope"):
        call_command("catalogue_quality", "nope")

"""The platform data registry: every sensor Thing is published as a dataset with a live API and CSV
resources per Datastream, freshness stored, simulated streams labelled; syncing again changes nothing,
a changed Datastream updates its dataset (with history), a removed Thing retires it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from digitalcov.catalogue import services
from digitalcov.catalogue.models import Dataset, MetadataChange, State
from digitalcov.catalogue.registry import sync_platform_datasets
from digitalcov.catalogue.registry.datastreams import datasets as sensor_datasets
from digitalcov.catalogue.registry.publisher import SERVICE_ACCOUNT_EMAIL
from digitalcov.catalogue.registry.sync import SOURCE_KEY
from digitalcov.core import registry
from digitalcov.sensors import services as sensor_services
from digitalcov.sensors.tests import factories as sta

pytestmark = pytest.mark.django_db
SENSORS = [("sensors", sensor_datasets)]


def a_site(name="Allesley station", results=(31.0, 35.5, 28.25), simulated=False):
    thing = sta.thing(name, at=sta.location(name.split()[0]))
    stream = sta.datastream(thing, "NO2 hourly")
    if simulated:
        stream.properties = {"simulated": True}
        stream.save()
    sta.observations(stream, list(results))
    sensor_services.recompute_datastream_times(stream)
    return thing, stream


def platform_dataset(thing) -> Dataset:
    return Dataset.objects.get(extras__key=SOURCE_KEY, extras__value=f"sensors:thing-{thing.pk}")


def test_the_sensors_app_registers_its_provider():
    assert ("sensors", sensor_datasets) in registry.dataset_providers


def test_a_thing_becomes_a_public_dataset_with_a_live_api_and_csv_resources_per_datastream():
    thing, stream = a_site()
    summary = sync_platform_datasets(SENSORS)
    assert (summary.created, summary.failed) == (1, [])
    dataset = platform_dataset(thing)
    assert dataset.organisation.name == "coventry-city-council"
    assert dataset.title == "Allesley station: sensor readings"
    assert not dataset.private and dataset.state == State.ACTIVE
    assert dataset.update_frequency == "continuous"
    assert dataset.spatial == {"type": "Point", "coordinates": [-1.56, 52.42]}
    assert {"sensors", "SensorThings"} <= set(dataset.tags.values_list("name", flat=True))
    api, day, everything = dataset.resources.order_by("position")
    assert api.resource_type == "api"
    assert api.url == f"http://127.0.0.1:8000/sta/v1.1/Datastreams({stream.pk})/Observations"
    assert day.format == everything.format == "CSV"
    assert day.url.endswith(f"/data/datastreams/{stream.pk}/day.csv")
    assert everything.url.endswith(f"/air-quality/datastreams/{stream.pk}.csv")
    # Freshness: the latest phenomenonTime (the third hourly reading), on every resource and the dataset.
    latest = datetime(2024, 3, 1, 2, tzinfo=UTC)
    assert {r.last_modified for r in (api, day, everything)} == {latest}
    assert dataset.data_updated == latest


def test_the_dataset_is_found_by_search_and_its_history_names_the_platform_publisher():
    thing, _ = a_site()
    sync_platform_datasets(SENSORS)
    result = services.package_search(None, {"q": "Allesley"})
    assert [d.name for d in result.datasets] == [platform_dataset(thing).name]
    change = MetadataChange.objects.get(dataset=platform_dataset(thing))
    assert change.action == "package_create"
    assert change.actor.email == SERVICE_ACCOUNT_EMAIL
    assert not change.actor.has_usable_password()


def test_syncing_again_changes_nothing_and_keeps_no_new_history():
    thing, _ = a_site()
    sync_platform_datasets(SENSORS)
    modified = platform_dataset(thing).modified
    summary = sync_platform_datasets(SENSORS)
    assert (summary.created, summary.updated, summary.unchanged, summary.refreshed) == (0, 0, 1, 0)
    assert platform_dataset(thing).modified == modified
    assert MetadataChange.objects.count() == 1


def test_new_readings_move_freshness_on_without_a_history_entry():
    thing, stream = a_site()
    sync_platform_datasets(SENSORS)
    sta.observations(stream, [40.0], start=datetime(2024, 3, 5, 9, tzinfo=UTC))
    sensor_services.recompute_datastream_times(stream)
    summary = sync_platform_datasets(SENSORS)
    assert (summary.updated, summary.refreshed) == (0, 1)
    assert platform_dataset(thing).data_updated == datetime(2024, 3, 5, 9, tzinfo=UTC)
    assert MetadataChange.objects.count() == 1


def test_new_readings_have_the_quality_score_redone_for_its_freshness_measure():
    from digitalcov.catalogue.quality.models import QualityScore

    thing, stream = a_site()
    sync_platform_datasets(SENSORS)
    first = QualityScore.objects.get(dataset=platform_dataset(thing)).computed_at
    sta.observations(stream, [40.0], start=datetime(2024, 3, 5, 9, tzinfo=UTC))
    sensor_services.recompute_datastream_times(stream)
    sync_platform_datasets(SENSORS)
    assert QualityScore.objects.get(dataset=platform_dataset(thing)).computed_at > first


def test_a_renamed_datastream_updates_its_dataset_keeping_resource_ids_and_recording_history():
    thing, stream = a_site()
    sync_platform_datasets(SENSORS)
    ids = list(platform_dataset(thing).resources.order_by("position").values_list("id", flat=True))
    stream.name = "Nitrogen dioxide hourly"
    stream.save()
    summary = sync_platform_datasets(SENSORS)
    assert summary.updated == 1
    dataset = platform_dataset(thing)
    assert list(dataset.resources.order_by("position").values_list("id", flat=True)) == ids
    assert dataset.resources.first().name.startswith("Nitrogen dioxide hourly")
    assert dataset.history.first().action == "package_update"


def test_a_thing_that_goes_is_retired_and_comes_back_when_it_returns():
    thing, _ = a_site()
    sync_platform_datasets(SENSORS)
    dataset_id = platform_dataset(thing).pk
    summary = sync_platform_datasets([("sensors", lambda: [])])
    assert summary.retired == 1
    assert Dataset.objects.get(pk=dataset_id).state == State.DELETED
    assert services.package_search(None, {"q": "Allesley"}).count == 0
    summary = sync_platform_datasets(SENSORS)
    assert (summary.created, summary.updated) == (0, 1)
    assert Dataset.objects.get(pk=dataset_id).state == State.ACTIVE


def test_simulated_datastreams_are_labelled_simulated():
    thing, _ = a_site("Binley Road", simulated=True)
    sync_platform_datasets(SENSORS)
    dataset = platform_dataset(thing)
    assert dataset.title.endswith("(simulated)")
    assert "simulated" in dataset.tags.values_list("name", flat=True)
    assert "**Simulated data:**" in dataset.notes
    assert all("(simulated)" in name for name in dataset.resources.values_list("name", flat=True))
    assert dataset.extras.get(key="simulated").value == "true"


def test_a_dataset_a_validator_rejects_is_reported_and_the_others_still_go_in(transport, editor):
    services.create_dataset(editor, {"name": "taken", "owner_org": transport.name})
    first, _ = a_site()
    second, _ = a_site("Binley Road")
    described = list(sensor_datasets())
    clash = described[0].__class__(**{**described[0].__dict__, "name": "taken"})
    summary = sync_platform_datasets([("sensors", lambda: [clash, described[1]])])
    assert summary.created == 1
    assert summary.failed == ["taken: {'name': ['That URL is already in use.']}"]
    assert platform_dataset(second).state == State.ACTIVE


def test_the_command_syncs_and_prints_its_summary(capsys):
    a_site()
    call_command("sync_platform_datasets")
    assert "1 datasets created" in capsys.readouterr().out


def test_the_command_can_queue_the_sync_for_the_worker(capsys):
    thing, _ = a_site()
    call_command("sync_platform_datasets", "--enqueue")
    assert "Queued the sync as task" in capsys.readouterr().out
    # The test settings run tasks at once (ImmediateBackend); the worker does the same in production.
    assert platform_dataset(thing).state == State.ACTIVE


def test_ckan_clients_see_the_freshness_as_the_resources_last_modified(client):
    thing, _ = a_site()
    sync_platform_datasets(SENSORS)
    body = client.get("/api/3/action/package_show", {"id": platform_dataset(thing).name}).json()
    assert {r["last_modified"] for r in body["result"]["resources"]} == {"2024-03-01T02:00:00.000000"}
    assert [r["format"] for r in body["result"]["resources"]] == ["JSON", "CSV", "CSV"]

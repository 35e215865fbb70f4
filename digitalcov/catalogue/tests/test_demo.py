"""The catalogue's demo content: the real Coventry files are published as datasets with their licences,
attribution and coverage; the air quality sensors the air quality demo loads are published through the
registry; loading again changes nothing."""

from __future__ import annotations

import pytest

from digitalcov.airquality import loading as air_quality
from digitalcov.catalogue import demo, services
from digitalcov.catalogue.models import Dataset, MetadataChange
from digitalcov.catalogue.registry import sync_source
from digitalcov.core import registry

pytestmark = pytest.mark.django_db


def test_the_catalogue_demo_is_registered_after_the_air_quality_demo():
    names = [name for name, _ in registry.demo_loaders]
    assert names.index("Air quality") < names.index("Open data catalogue")


def test_the_demo_data_in_the_repository_stays_small():
    total = sum(path.stat().st_size for path in demo.DATA.iterdir())
    assert total < 10 * 1024 * 1024


def test_every_demo_file_is_published_with_its_licence_attribution_and_coverage():
    summary = sync_source("demo", demo.demo_datasets())
    assert (summary.created, summary.failed) == (7, [])
    imd = Dataset.objects.get(name="coventry-indices-of-deprivation-2019")
    assert imd.licence_id == "OGL-UK-3.0"
    assert imd.author == "Ministry of Housing, Communities and Local Government"
    assert "Open Government Licence v3.0" in imd.notes
    assert (str(imd.temporal_start), str(imd.temporal_end)) == ("2015-04-01", "2016-03-31")
    assert imd.spatial["type"] == "Polygon"
    west, south = imd.spatial["coordinates"][0][0]
    assert -1.62 < west < -1.55 and 52.35 < south < 52.40  # Coventry's south-west corner
    assert list(imd.themes.values_list("name", flat=True)) == ["society"]
    first = imd.resources.order_by("position").first()
    assert first.format == "CSV" and first.upload and first.size == 10827
    assert first.hash.startswith("sha256:") and first.last_modified is not None
    assert Dataset.objects.get(name="coventry-imd-2019-scores-mysociety").licence_id == "CC-BY-4.0"
    assert Dataset.objects.get(name="coventry-environment-indicators-by-msoa").licence_id == "ODbL-1.0"
    boundaries = Dataset.objects.get(name="coventry-lsoa-boundaries-2011").resources.get()
    assert (boundaries.format, boundaries.mimetype) == ("GeoJSON", "application/geo+json")


def test_the_demo_datasets_are_found_by_search_and_the_ckan_api():
    sync_source("demo", demo.demo_datasets())
    found = services.package_search(None, {"q": "deprivation", "fq": "res_format:CSV"})
    assert "coventry-indices-of-deprivation-2019" in [d.name for d in found.datasets]
    assert services.package_search(None, {"fq": "license_id:ODbL-1.0"}).count == 1


def test_loading_the_demo_twice_publishes_the_air_quality_sites_once_and_changes_nothing_the_second_time():
    air_quality.load()
    first = demo.load_demo()
    assert "demo files: 7 datasets created" in first
    sites = Dataset.objects.filter(name__startswith="sensor-")
    assert sites.count() > 70  # one per AURN site (76 in the 2019-2022 and 2020 files)
    binley = sites.get(title="Coventry Binley Road: sensor readings")
    assert binley.update_frequency == "daily"
    assert binley.lga_service == "http://id.esd.org.uk/service/413"  # LGSL "Air quality"
    assert binley.licence_id == "OGL-UK-3.0"
    assert "© Crown copyright Defra" in binley.notes
    assert binley.data_updated is not None
    changes, files = MetadataChange.objects.count(), sorted(p.name for p in demo.DATA.iterdir())
    second = demo.load_demo()
    assert second == (
        "demo files: 0 datasets created, 0 updated, 7 unchanged, 0 retired, 0 with newer data; "
        f"platform datasets: 0 datasets created, 0 updated, {sites.count()} unchanged, 0 retired, "
        "0 with newer data"
    )
    assert MetadataChange.objects.count() == changes
    assert sorted(p.name for p in demo.DATA.iterdir()) == files

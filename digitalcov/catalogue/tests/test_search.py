"""package_search through the database's own full-text index: text, fq clauses, facets, sorting and
paging, and private datasets never counted or shown to outsiders."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from digitalcov.catalogue import services
from digitalcov.catalogue.models import Membership

from .factories import make_dataset, make_member, make_organisation, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(editor, transport):
    make_theme("environment", "Environment")
    housing = make_organisation("housing", "Housing")
    housing_editor = make_member(housing)
    make_dataset(
        editor,
        transport,
        name="air-quality-monitoring",
        title="Air quality monitoring",
        notes="Nitrogen dioxide readings from roadside monitors.",
        tags=[{"name": "air quality"}, {"name": "pollution"}],
        groups=[{"name": "environment"}],
        resources=[{"url": "https://example.org/no2.csv"}, {"url": "https://example.org/no2.json"}],
    )
    make_dataset(
        editor,
        transport,
        name="bus-stops",
        title="Bus stops",
        notes="Every bus stop in the city.",
        tags=[{"name": "buses"}],
        license_id="ODbL-1.0",
        resources=[{"url": "https://example.org/stops.csv"}],
    )
    make_dataset(
        housing_editor,
        housing,
        name="empty-homes",
        title="Empty homes",
        notes="Homes empty for more than six months, with their air quality complaints.",
        tags=[{"name": "housing"}],
        resources=[{"url": "https://example.org/homes.xlsx"}],
    )
    make_dataset(
        housing_editor,
        housing,
        name="private-tenancy-audit",
        title="Private tenancy audit",
        notes="Air quality in audited homes.",
        private=True,
        tags=[{"name": "secret-tag"}],
    )
    return {"housing_editor": housing_editor, "housing": housing}


def names(result) -> list[str]:
    return [dataset.name for dataset in result.datasets]


def test_text_search_ranks_title_matches_first_and_hides_private_datasets(catalogue):
    result = services.package_search(AnonymousUser(), {"q": "air quality"})
    assert result.count == 2
    assert names(result) == ["air-quality-monitoring", "empty-homes"]


@pytest.mark.parametrize("listed", [1000, 1])
def test_a_text_search_counts_and_facets_the_same_whether_matches_are_listed_or_matched_again(
    catalogue, monkeypatch, settings, listed
):
    from digitalcov.catalogue.services import search

    settings.CATALOGUE_SEARCH_CACHE_SECONDS = 0
    monkeypatch.setattr(search, "MATCHED_IDS_MAX", listed)  # 1: too many to list, matched in each query
    facets = '["organization", "tags", "res_format"]'
    for sort in ("score desc, metadata_modified desc", "name asc"):
        result = services.package_search(
            AnonymousUser(), {"q": "air quality", "facet.field": facets, "sort": sort}
        )
        assert result.count == 2
        assert sorted(names(result)) == ["air-quality-monitoring", "empty-homes"]
        assert result.facets["organization"] == {"housing": 1, "transport": 1}
        assert "secret-tag" not in result.facets["tags"]


def test_stemmed_words_match(catalogue):
    assert names(services.package_search(AnonymousUser(), {"q": "monitor"})) == ["air-quality-monitoring"]


def test_fq_clauses_filter_with_and_or_quotes_and_negation(catalogue):
    def search(fq: str) -> list[str]:
        return sorted(names(services.package_search(AnonymousUser(), {"fq": fq, "rows": 100})))

    assert search("organization:transport") == ["air-quality-monitoring", "bus-stops"]
    assert search('tags:"air quality"') == ["air-quality-monitoring"]
    assert search("res_format:CSV AND tags:buses") == ["bus-stops"]
    assert search("res_format:(XLSX OR JSON)") == ["air-quality-monitoring", "empty-homes"]
    assert search("organization:transport -tags:buses") == ["air-quality-monitoring"]
    assert search("license_id:odc-odbl") == ["bus-stops"]
    assert search("groups:environment") == ["air-quality-monitoring"]
    assert search("+organization:housing +name:empty-homes") == ["empty-homes"]
    assert search("tags:pollution AND tags:air\\ quality") == ["air-quality-monitoring"]
    assert search("tags:pollution AND tags:buses") == []


def test_field_terms_in_q_act_as_filters(catalogue):
    assert names(services.package_search(AnonymousUser(), {"q": "tags:buses"})) == ["bus-stops"]


def test_unsupported_fq_is_a_search_error(catalogue):
    for fq in ("title:air*", "metadata_modified:[NOW-1DAY TO NOW]", "author:someone", "tags:(buses"):
        with pytest.raises(services.SearchError):
            services.package_search(AnonymousUser(), {"fq": fq})


def test_facets_count_only_what_the_caller_may_see_in_ckans_shapes(catalogue):
    result = services.package_search(
        AnonymousUser(), {"facet.field": '["organization", "tags", "res_format", "license_id", "groups"]'}
    )
    assert result.facets["organization"] == {"transport": 2, "housing": 1}
    assert "secret-tag" not in result.facets["tags"]
    assert result.facets["res_format"] == {"CSV": 2, "JSON": 1, "XLSX": 1}
    assert result.facets["license_id"] == {"OGL-UK-3.0": 2, "ODbL-1.0": 1}
    assert result.search_facets["organization"] == {
        "title": "organization",
        "items": [
            {"count": 2, "display_name": "Transport and highways", "name": "transport"},
            {"count": 1, "display_name": "Housing", "name": "housing"},
        ],
    }
    limited = services.package_search(AnonymousUser(), {"facet.field": '["tags"]', "facet.limit": "1"})
    assert len(limited.facets["tags"]) == 1


def test_members_see_their_private_datasets_only_with_include_private(catalogue):
    member = make_member(catalogue["housing"], Membership.Role.MEMBER)
    assert "private-tenancy-audit" not in names(services.package_search(member, {"q": "audit"}))
    found = services.package_search(member, {"q": "audit", "include_private": "true"})
    assert names(found) == ["private-tenancy-audit"]
    outsider = services.package_search(AnonymousUser(), {"q": "audit", "include_private": "true"})
    assert outsider.count == 0


def test_sorting_and_paging(catalogue):
    everyone = AnonymousUser()
    assert names(services.package_search(everyone, {"sort": "name asc"})) == [
        "air-quality-monitoring",
        "bus-stops",
        "empty-homes",
    ]
    assert names(services.package_search(everyone, {"sort": "title_string desc", "rows": 1, "start": 1})) == [
        "bus-stops"
    ]
    newest_first = names(services.package_search(everyone, {}))
    assert newest_first[0] == "empty-homes"
    with pytest.raises(services.SearchError):
        services.package_search(everyone, {"sort": "popularity desc"})


def test_rows_are_capped_at_1000_and_must_be_numbers(catalogue):
    assert services.package_search(AnonymousUser(), {"rows": 5000}).count == 3
    with pytest.raises(services.ValidationError) as raised:
        services.package_search(AnonymousUser(), {"rows": "many"})
    assert raised.value.errors == {"rows": ["Invalid integer"]}


def test_changes_reach_the_index_at_once(catalogue, editor):
    services.patch_dataset(editor, {"id": "bus-stops", "notes": "Stops served by the number 9 tram"})
    assert names(services.package_search(AnonymousUser(), {"q": "tram"})) == ["bus-stops"]
    services.delete_dataset(editor, "bus-stops")
    assert services.package_search(AnonymousUser(), {"q": "tram"}).count == 0


def test_a_dataset_deleted_outright_leaves_the_search_index(catalogue):
    from django.db import connection

    from digitalcov.catalogue.models import Dataset

    dataset = Dataset.objects.get(name="bus-stops")
    key = dataset.id if connection.vendor == "postgresql" else dataset.id.hex
    dataset.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM catalogue_search WHERE dataset_id = %s", [key])
        assert cursor.fetchone()[0] == 0
    assert services.package_search(AnonymousUser(), {"q": "stop"}).count == 0


@pytest.mark.parametrize("sort", ["score desc, metadata_modified desc", "name asc", "name desc"])
def test_a_text_search_pages_alike_with_and_without_facets(catalogue, settings, sort):
    # With facets the page is a slice of every ordered match; without, the engine returns the page alone.
    settings.CATALOGUE_SEARCH_CACHE_SECONDS = 0
    everyone = AnonymousUser()
    for start in (0, 1, 2):
        params = {"q": "air quality", "sort": sort, "rows": 1, "start": start}
        plain = services.package_search(everyone, params)
        faceted = services.package_search(everyone, {**params, "facet.field": '["tags"]'})
        assert (faceted.count, names(faceted)) == (plain.count, names(plain))
    everything = services.package_search(everyone, {"q": "air quality", "sort": sort})
    expected = ["air-quality-monitoring", "empty-homes"]
    if sort != "score desc, metadata_modified desc":
        assert names(everything) == sorted(expected, reverse=sort == "name desc")


def test_reindexing_a_dataset_keeps_one_index_row_under_one_key(catalogue):
    from django.db import connection

    from digitalcov.catalogue.models import Dataset
    from digitalcov.catalogue.services.search_index import index_dataset, remove_dataset

    dataset = Dataset.objects.get(name="bus-stops")
    for _ in range(3):
        index_dataset(dataset)
    assert names(services.package_search(AnonymousUser(), {"q": "stop"})) == ["bus-stops"]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM catalogue_search_key WHERE dataset_id = %s", [dataset.id.hex])
        (key,) = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM catalogue_search WHERE rowid = %s", [key])
        assert cursor.fetchone()[0] == 1
        remove_dataset(dataset.id)
        cursor.execute("SELECT COUNT(*) FROM catalogue_search_key WHERE dataset_id = %s", [dataset.id.hex])
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT COUNT(*) FROM catalogue_search WHERE rowid = %s", [key])
        assert cursor.fetchone()[0] == 0

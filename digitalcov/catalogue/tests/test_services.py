"""The catalogue's rules: who may change what, who sees private and draft datasets, validation errors
per field, and the history of changes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from digitalcov.catalogue import services
from digitalcov.catalogue.models import Membership, MetadataChange, State
from digitalcov.catalogue.services import permissions
from digitalcov.core.testing.factories import make_resident

from .factories import make_dataset, make_member, make_organisation, make_theme

pytestmark = pytest.mark.django_db


def test_a_new_dataset_gets_ogl_v3_by_default_and_its_tags_themes_and_extras(editor, transport):
    make_theme("transport", "Transport")
    dataset = make_dataset(
        editor,
        transport,
        tags=[{"name": "buses"}, {"name": "air quality"}],
        groups=[{"name": "transport"}],
        extras=[{"key": "source", "value": "Bus operators"}],
        temporal_start="2024-01-01",
        update_frequency="monthly",
    )
    assert dataset.licence_id == "OGL-UK-3.0"
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["air quality", "buses"]
    assert list(dataset.themes.values_list("name", flat=True)) == ["transport"]
    assert dataset.extras.get().value == "Bus operators"
    assert str(dataset.temporal_start) == "2024-01-01"


def test_ckan_licence_ids_are_accepted_for_the_same_licence(editor, transport):
    assert make_dataset(editor, transport, license_id="uk-ogl").licence_id == "OGL-UK-3.0"
    assert make_dataset(editor, transport, license_id="cc-by").licence_id == "CC-BY-4.0"


def test_every_invalid_field_is_reported_at_once_and_nothing_is_saved(editor, transport):
    with pytest.raises(services.ValidationError) as raised:
        services.create_dataset(
            editor,
            {
                "name": "Bad Name!",
                "owner_org": transport.name,
                "license_id": "no-such-licence",
                "maintainer_email": "not-an-email",
                "temporal_start": "yesterday",
                "extras": [{"key": "title", "value": "x"}],
            },
        )
    errors = raised.value.errors
    assert errors["name"] == [
        "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"
    ]
    assert set(errors) == {"name", "license_id", "maintainer_email", "temporal_start", "extras"}
    assert not transport.datasets.exists()


def test_a_name_already_used_is_refused_with_ckans_message(editor, transport):
    make_dataset(editor, transport, name="bus-stops")
    with pytest.raises(services.ValidationError) as raised:
        make_dataset(editor, transport, name="bus-stops")
    assert raised.value.errors == {"name": ["That URL is already in use."]}


def test_a_publisher_cannot_create_or_change_another_organisations_datasets(editor, transport):
    housing = make_organisation("housing", "Housing")
    housing_editor = make_member(housing)
    with pytest.raises(services.NotAuthorized):
        make_dataset(editor, housing)
    dataset = make_dataset(housing_editor, housing)
    with pytest.raises(services.NotAuthorized):
        services.patch_dataset(editor, {"id": dataset.name, "title": "Taken over"})
    with pytest.raises(services.NotAuthorized):
        services.delete_dataset(editor, dataset.name)
    with pytest.raises(services.NotAuthorized):
        services.create_resource(editor, {"package_id": dataset.name, "url": "https://example.org/a.csv"})


def test_a_plain_member_sees_private_datasets_but_cannot_change_them(editor, transport):
    member = make_member(transport, Membership.Role.MEMBER)
    dataset = make_dataset(editor, transport, private=True)
    assert services.find_dataset(member, dataset.name) == dataset
    with pytest.raises(services.NotAuthorized):
        services.patch_dataset(member, {"id": dataset.name, "title": "Changed"})


def test_private_and_draft_datasets_are_not_found_by_outsiders(editor, transport):
    private = make_dataset(editor, transport, private=True)
    draft = make_dataset(editor, transport, state="draft")
    for outsider in (AnonymousUser(), make_resident(), make_member(make_organisation())):
        for dataset in (private, draft):
            with pytest.raises(services.NotFound):
                services.find_dataset(outsider, dataset.name)
        assert not permissions.visible_datasets(outsider, include_drafts=True).filter(
            pk__in=[private.pk, draft.pk]
        )


def test_a_sysadmin_changes_any_organisations_dataset(editor, transport):
    sysadmin = make_resident(is_superuser=True)
    dataset = make_dataset(editor, transport, private=True)
    services.patch_dataset(sysadmin, {"id": dataset.name, "title": "Checked by the open data team"})
    dataset.refresh_from_db()
    assert dataset.title == "Checked by the open data team"


def test_patch_changes_only_what_is_sent_and_update_clears_what_is_not(editor, transport):
    dataset = make_dataset(editor, transport, tags=[{"name": "buses"}], author="Transport team")
    services.patch_dataset(editor, {"id": dataset.name, "title": "Bus stops"})
    dataset.refresh_from_db()
    assert (dataset.title, dataset.author, list(dataset.tags.values_list("name", flat=True))) == (
        "Bus stops",
        "Transport team",
        ["buses"],
    )
    services.update_dataset(editor, {"id": str(dataset.id), "title": "Bus stops 2026"})
    dataset.refresh_from_db()
    assert (dataset.author, dataset.tags.count()) == ("", 0)


def test_history_records_who_changed_what_as_a_diff(editor, transport):
    dataset = make_dataset(editor, transport, title="Bus stops")
    services.patch_dataset(editor, {"id": dataset.name, "title": "Bus stops in Coventry"})
    resource = services.create_resource(
        editor, {"package_id": dataset.name, "url": "https://example.org/stops.csv"}
    )
    services.delete_dataset(editor, dataset.name)
    changes = list(MetadataChange.objects.filter(dataset=dataset).order_by("at", "id"))
    assert [change.action for change in changes] == [
        "package_create",
        "package_update",
        "resource_create",
        "package_delete",
    ]
    assert all(change.actor == editor for change in changes)
    assert changes[1].changes == {"title": ["Bus stops", "Bus stops in Coventry"]}
    assert changes[2].changes["resources"][1][str(resource.id)]["format"] == "CSV"
    assert changes[3].changes == {"state": ["active", "deleted"]}


def test_a_write_that_changes_nothing_leaves_no_history(editor, transport):
    dataset = make_dataset(editor, transport, title="Bus stops")
    services.patch_dataset(editor, {"id": dataset.name, "title": "Bus stops"})
    assert MetadataChange.objects.filter(dataset=dataset).count() == 1


def test_a_deleted_dataset_is_kept_for_its_publishers_only(editor, transport):
    dataset = make_dataset(editor, transport)
    services.delete_dataset(editor, dataset.name)
    dataset.refresh_from_db()
    assert dataset.state == State.DELETED
    assert services.find_dataset(editor, dataset.name) == dataset
    with pytest.raises(services.NotFound):
        services.find_dataset(make_member(transport, Membership.Role.MEMBER), dataset.name)

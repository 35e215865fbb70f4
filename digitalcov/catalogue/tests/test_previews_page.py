"""The resource page: details, download link, back link, and the dataset's visibility rules."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digitalcov.catalogue import services

from .factories import make_dataset, make_member, make_organisation

pytestmark = pytest.mark.django_db


def _page_url(resource) -> str:
    return reverse("catalogue:resource", args=[resource.dataset.name, resource.id])


def _upload(editor, dataset, name: str, content: bytes, **fields):
    return services.create_resource(
        editor,
        {"package_id": dataset.name, "name": fields.pop("title", name), **fields},
        SimpleUploadedFile(name, content),
    )


def test_the_page_shows_the_resource_and_links_back_to_its_dataset(client, editor, transport):
    dataset = make_dataset(editor, transport, title="Bus stops")
    resource = _upload(editor, dataset, "stops.csv", b"stop,ward\nPool Meadow,St Michael's\n")
    response = client.get(_page_url(resource))
    assert response.status_code == 200
    html = response.content.decode()
    assert "stops.csv" in html
    assert f'href="/data/dataset/{dataset.name}/"' in html


@pytest.mark.parametrize("fields", [{"private": True}, {"state": "draft"}])
def test_a_private_or_draft_datasets_resource_is_not_found_for_outsiders(client, editor, transport, fields):
    dataset = make_dataset(editor, transport, **fields)
    resource = _upload(editor, dataset, "stops.csv", b"stop\nPool Meadow\n")
    assert client.get(_page_url(resource)).status_code == 404
    client.force_login(make_member(make_organisation()))
    assert client.get(_page_url(resource)).status_code == 404
    client.force_login(editor)
    assert client.get(_page_url(resource)).status_code == 200


def test_a_resource_under_another_datasets_slug_is_not_found(client, editor, transport):
    first = make_dataset(editor, transport)
    other = make_dataset(editor, transport)
    resource = _upload(editor, first, "stops.csv", b"stop\nPool Meadow\n")
    assert client.get(reverse("catalogue:resource", args=[other.name, resource.id])).status_code == 404

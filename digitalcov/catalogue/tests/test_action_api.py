"""The CKAN Action API through Django's test client: the envelope, CKAN's error bodies and status
codes, GET and POST (JSON, form, JSON-in-form), tokens, no redirects, and private datasets invisible
on every route to outsiders."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from digitalcov.catalogue import services

from .factories import make_dataset, make_member, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(editor):
    return services.issue_token(editor, "publishing script")[1]


def call(client, name, data=None, token=None, method="post", version="3/"):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    url = f"/api/{version}action/{name}"
    if method == "get":
        return client.get(url, data or {}, **headers)
    return client.post(url, json.dumps(data or {}), content_type="application/json", **headers)


def test_status_show_answers_in_ckans_envelope_on_both_paths(client):
    for version in ("3/", ""):
        response = call(client, "status_show", method="get", version=version)
        body = response.json()
        assert response.status_code == 200
        assert body["success"] is True
        assert body["help"].endswith("/api/3/action/help_show?name=status_show")
        assert body["result"]["ckan_version"].startswith("2.10")


def test_a_trailing_slash_is_answered_not_redirected(client):
    assert client.get("/api/3/action/status_show/").status_code == 200


def test_unknown_actions_get_ckans_bad_request(client):
    response = client.get("/api/3/action/harvest_source_list")
    assert response.status_code == 400
    assert response.json() == "Bad request - Action name not known: harvest_source_list"


def test_writes_need_post(client, token):
    response = client.get("/api/3/action/package_create", {"name": "x"}, HTTP_AUTHORIZATION=token)
    assert response.status_code == 400
    assert "Please use POST" in response.json()


def test_package_create_and_show_return_ckans_fields(client, token, transport):
    created = call(
        client,
        "package_create",
        {
            "name": "bus-stops",
            "title": "Bus stops",
            "notes": "Every **bus stop**.",
            "owner_org": "transport",
            "tags": [{"name": "buses"}],
            "extras": [{"key": "source", "value": "NaPTAN"}],
            "resources": [{"url": "https://example.org/stops.csv", "name": "Stops"}],
        },
        token=token,
    )
    assert created.status_code == 200, created.content
    shown = call(client, "package_show", {"id": "bus-stops"}, method="get").json()["result"]
    assert shown == created.json()["result"]
    assert {
        key: shown[key]
        for key in (
            "name",
            "title",
            "license_id",
            "license_title",
            "owner_org",
            "private",
            "state",
            "num_tags",
        )
    } == {
        "name": "bus-stops",
        "title": "Bus stops",
        "license_id": "OGL-UK-3.0",
        "license_title": "Open Government Licence v3.0",
        "owner_org": str(transport.id),
        "private": False,
        "state": "active",
        "num_tags": 1,
    }
    assert shown["organization"]["name"] == "transport"
    assert shown["tags"][0]["name"] == "buses"
    assert shown["extras"] == [{"key": "source", "value": "NaPTAN"}]
    assert shown["resources"][0]["format"] == "CSV"
    assert shown["num_resources"] == 1
    assert len(shown["metadata_created"]) == 26 and "+" not in shown["metadata_created"]


def test_validation_errors_come_back_per_field_with_409(client, token):
    response = call(client, "package_create", {"name": "Not A Slug", "owner_org": "transport"}, token=token)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert error["name"] == ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"]


def test_writing_without_or_with_a_bad_token_is_an_authorization_error(client, transport):
    for token in (None, "not-a-real-token"):
        response = call(
            client, "package_create", {"name": "bus-stops", "owner_org": "transport"}, token=token
        )
        assert response.status_code == 403
        assert response.json()["error"]["__type"] == "Authorization Error"
        assert response.json()["success"] is False


def test_form_posts_and_json_in_a_form_key_are_read_like_ckan(client, token, editor, transport):
    make_dataset(editor, transport, name="bus-stops")
    form = client.post("/api/3/action/package_show", {"id": "bus-stops"})
    assert form.json()["result"]["name"] == "bus-stops"
    json_key = client.post(
        "/api/3/action/package_patch",
        data=json.dumps({"id": "bus-stops", "title": "Stops"}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=token,
    )
    assert json_key.json()["result"]["title"] == "Stops"


def test_package_search_with_facets_in_ckans_shape(client, editor, transport):
    make_dataset(editor, transport, name="bus-stops", title="Bus stops", tags=[{"name": "buses"}])
    response = call(
        client, "package_search", {"q": "bus", "facet.field": '["organization","tags"]'}, method="get"
    )
    result = response.json()["result"]
    assert result["count"] == 1
    assert result["results"][0]["name"] == "bus-stops"
    assert result["facets"]["tags"] == {"buses": 1}
    assert result["search_facets"]["organization"]["items"][0]["name"] == "transport"
    assert result["sort"] == "score desc, metadata_modified desc"


def test_a_bad_fq_is_a_search_error_with_409(client):
    response = call(client, "package_search", {"fq": "title:bus*"}, method="get")
    assert response.status_code == 409
    assert response.json()["error"]["__type"] == "Search Error"


def test_upload_with_size_and_type_limits(client, token, editor, transport, settings):
    make_dataset(editor, transport, name="bus-stops")
    settings.CATALOGUE_UPLOAD_MAX_BYTES = 50
    ok = client.post(
        "/api/3/action/resource_create",
        {
            "package_id": "bus-stops",
            "name": "Stops",
            "upload": SimpleUploadedFile("stops.csv", b"id,name\n1,Pool Meadow\n"),
        },
        HTTP_AUTHORIZATION=token,
    )
    resource = ok.json()["result"]
    assert (resource["format"], resource["size"], resource["url_type"]) == ("CSV", 22, "upload")
    download = client.get(resource["url"].replace("http://testserver", ""))
    assert b"".join(download.streaming_content) == b"id,name\n1,Pool Meadow\n"
    assert download["Content-Disposition"].startswith("attachment")
    too_big = client.post(
        "/api/3/action/resource_create",
        {"package_id": "bus-stops", "upload": SimpleUploadedFile("big.csv", b"x" * 51)},
        HTTP_AUTHORIZATION=token,
    )
    assert too_big.status_code == 409
    assert too_big.json()["error"]["upload"] == ["The file is larger than the limit of 50 bytes"]
    page = client.post(
        "/api/3/action/resource_create",
        {"package_id": "bus-stops", "upload": SimpleUploadedFile("page.html", b"<script>")},
        HTTP_AUTHORIZATION=token,
    )
    assert page.status_code == 409
    assert "may not be uploaded" in page.json()["error"]["upload"][0]


def test_private_datasets_are_invisible_to_outsiders_on_every_route(client, editor, transport):
    from .factories import make_theme

    make_theme("environment", "Environment")
    dataset = make_dataset(
        editor,
        transport,
        name="secret-survey",
        private=True,
        tags=[{"name": "secret-tag"}],
        groups=[{"name": "environment"}],
        resources=[{"url": "https://example.org/secret.csv"}],
    )
    resource = dataset.resources.get()
    services.create_resource(
        editor, {"package_id": dataset.name}, SimpleUploadedFile("secret.csv", b"a,b\n1,2\n")
    )
    upload = dataset.resources.exclude(pk=resource.pk).get()
    outsider_token = services.issue_token(make_member(make_organisation()), "other")[1]
    for token in (None, outsider_token):

        def body(name, data=None, token=token):
            return call(client, name, data, token=token, method="post").content.decode()

        assert call(client, "package_show", {"id": dataset.name}, token=token).status_code == 404
        assert call(client, "package_show", {"id": str(dataset.id)}, token=token).status_code == 404
        assert call(client, "resource_show", {"id": str(resource.id)}, token=token).status_code == 404
        for name, data in [
            ("package_list", {}),
            ("current_package_list_with_resources", {}),
            ("package_search", {"q": "secret", "include_private": True}),
            ("package_search", {"fq": "name:secret-survey", "include_private": True}),
            ("tag_list", {}),
            ("organization_show", {"id": "transport", "include_datasets": True}),
            ("organization_list", {"all_fields": True}),
            ("group_show", {"id": "environment", "include_datasets": True}),
            ("group_list", {"all_fields": True}),
        ]:
            assert "secret" not in body(name, data), name
        assert (
            call(client, "organization_list", {"all_fields": True}, token=token).json()["result"][0][
                "package_count"
            ]
            == 0
        )
        assert (
            call(client, "group_show", {"id": "environment"}, token=token).json()["result"]["package_count"]
            == 0
        )
        # Writing to it is "not found" too, never "not allowed": its existence does not leak.
        for name, data in [
            ("package_patch", {"id": dataset.name, "title": "x"}),
            ("package_update", {"id": dataset.name}),
            ("package_delete", {"id": dataset.name}),
            ("resource_create", {"package_id": dataset.name, "url": "https://example.org/x.csv"}),
            ("resource_update", {"id": str(resource.id), "url": "https://example.org/x.csv"}),
            ("resource_delete", {"id": str(resource.id)}),
        ]:
            assert call(client, name, data, token=token).status_code in (403, 404), name
            if token:
                assert call(client, name, data, token=token).status_code == 404, name
        headers = {"HTTP_AUTHORIZATION": token} if token else {}
        path = f"/dataset/{dataset.id}/resource/{upload.id}/download/secret.csv"
        assert client.get(path, **headers).status_code == 404
    editor_token = services.issue_token(editor, "mine")[1]
    assert call(client, "package_show", {"id": dataset.name}, token=editor_token).status_code == 200
    found = call(client, "package_search", {"q": "secret", "include_private": True}, token=editor_token)
    assert found.json()["result"]["count"] == 1


def test_lists_and_shows(client, editor, transport):
    make_dataset(editor, transport, name="bus-stops", tags=[{"name": "buses"}])
    assert call(client, "package_list", method="get").json()["result"] == ["bus-stops"]
    assert call(client, "organization_list", method="get").json()["result"] == ["transport"]
    assert call(client, "tag_list", method="get").json()["result"] == ["buses"]
    licences = call(client, "license_list", method="get").json()["result"]
    assert {"OGL-UK-3.0", "CC-BY-4.0", "CC0-1.0", "ODbL-1.0", "other-closed"} <= {
        lic["id"] for lic in licences
    }
    shown = call(client, "organization_show", {"id": "transport", "include_datasets": "true"}, method="get")
    assert shown.json()["result"]["package_count"] == 1
    assert shown.json()["result"]["packages"][0]["name"] == "bus-stops"
    missing = call(client, "organization_show", {"id": "nobody"}, method="get")
    assert missing.status_code == 404
    assert missing.json()["error"]["__type"] == "Not Found Error"


def test_sending_a_dataset_back_as_shown_keeps_its_uploaded_file(client, token, editor, transport):
    make_dataset(editor, transport, name="bus-stops")
    uploaded = client.post(
        "/api/3/action/resource_create",
        {"package_id": "bus-stops", "upload": SimpleUploadedFile("stops.csv", b"id\n1\n")},
        HTTP_AUTHORIZATION=token,
    ).json()["result"]
    shown = call(client, "package_show", {"id": "bus-stops"}).json()["result"]
    updated = call(client, "package_update", {**shown, "title": "Bus stops"}, token=token).json()["result"]
    assert updated["resources"][0]["url"] == uploaded["url"]
    assert updated["resources"][0]["url_type"] == "upload"
    assert client.get(uploaded["url"].replace("http://testserver", "")).status_code == 200

    linked = call(
        client, "resource_update", {"id": uploaded["id"], "url": "https://example.org/stops.csv"}, token=token
    ).json()["result"]
    assert (linked["url"], linked["url_type"]) == ("https://example.org/stops.csv", None)


def test_staff_changes_in_the_admin_are_kept_in_the_history(client, editor, transport):
    from digitalcov.catalogue.models import MetadataChange
    from digitalcov.core.testing.factories import make_resident

    dataset = make_dataset(editor, transport, name="bus-stops", title="Bus stops")
    admin_user = make_resident(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/catalogue/dataset/{dataset.pk}/change/",
        {
            "name": "bus-stops",
            "title": "Bus stops (checked)",
            "licence": "OGL-UK-3.0",
            "organisation": str(transport.pk),
            "state": "active",
            "resources-TOTAL_FORMS": "0",
            "resources-INITIAL_FORMS": "0",
            "extras-TOTAL_FORMS": "0",
            "extras-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content
    change = MetadataChange.objects.filter(dataset=dataset).first()
    assert (change.action, change.actor, change.changes["title"]) == (
        "admin_change",
        admin_user,
        ["Bus stops", "Bus stops (checked)"],
    )
    assert services.package_search(None, {"q": "checked"}).count == 1


def test_organization_list_sorts_by_title_by_default_and_filters_by_q(client, editor, transport):
    make_organisation("adult-social-care", "Adult social care")
    make_dataset(editor, transport, name="bus-stops")
    assert call(client, "organization_list").json()["result"] == ["adult-social-care", "transport"]
    by_count = call(client, "organization_list", {"sort": "package_count desc", "all_fields": True}).json()
    assert [(o["name"], o["package_count"]) for o in by_count["result"]] == [
        ("transport", 1),
        ("adult-social-care", 0),
    ]
    assert call(client, "organization_list", {"q": "social"}).json()["result"] == ["adult-social-care"]


def test_drafts_are_listed_for_their_publishers_only_when_asked(client, token, editor, transport):
    make_dataset(editor, transport, name="draft-budget", state="draft")
    mine = call(client, "package_search", {"include_drafts": True}, token=token).json()["result"]
    assert [d["name"] for d in mine["results"]] == ["draft-budget"]
    assert call(client, "package_search", {}, token=token).json()["result"]["count"] == 0
    assert call(client, "package_search", {"include_drafts": True}).json()["result"]["count"] == 0

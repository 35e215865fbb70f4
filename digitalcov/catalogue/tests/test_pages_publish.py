"""Publishers create, edit and delete their organisation's datasets and add, change and remove
resources through the pages; bad input comes back with a GOV.UK error summary and nothing stored is
lost or changed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from digitalcov.catalogue.models import Dataset, Membership, Resource, State

from .factories import make_member
from .pages_data import make_catalogue, soup, text

pytestmark = pytest.mark.django_db

CSV = b"site,hour,count\nA45,08:00,1520\nA444,08:00,980\n"


@pytest.fixture
def catalogue():
    return make_catalogue()


def dataset_form(**changes) -> dict:
    data = {
        "title": "Cycle counts",
        "name": "cycle-counts",
        "notes": "Cyclists counted at *12* sites.",
        "organisation": "transport",
        "licence": "OGL-UK-3.0",
        "tags": "cycling, counts",
        "themes": ["transport"],
        "maintainer": "Transport data team",
        "maintainer_email": "transport.data@coventry.gov.uk",
        "temporal_start_0": "1",
        "temporal_start_1": "4",
        "temporal_start_2": "2024",
        "temporal_end_0": "",
        "temporal_end_1": "",
        "temporal_end_2": "",
        "spatial_coverage": "Coventry",
        "update_frequency": "weekly",
        "lga_service": "http://id.esd.org.uk/service/1234",
        "private": "false",
        "state": "active",
    }
    data.update(changes)
    return data


def error_summary(page) -> list[str]:
    summary = page.find(class_="govuk-error-summary")
    return [text(a) for a in summary.find_all("a")] if summary else []


def test_an_editor_creates_a_dataset_with_every_field(client, catalogue):
    client.force_login(catalogue.editor)
    page = soup(client.get("/data/dataset/new/"))
    assert text(page.find("h1")) == "Add a dataset"
    organisations = [o["value"] for o in page.find("select", id="id_organisation").find_all("option")]
    assert organisations == ["transport"]  # only the organisation they publish for
    response = client.post("/data/dataset/new/", dataset_form())
    assert response.status_code == 302 and response["Location"] == "/data/dataset/cycle-counts/resource/new/"
    dataset = Dataset.objects.get(name="cycle-counts")
    assert dataset.organisation == catalogue.transport and dataset.creator == catalogue.editor
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["counts", "cycling"]
    assert list(dataset.themes.values_list("name", flat=True)) == ["transport"]
    assert str(dataset.temporal_start) == "2024-04-01" and dataset.update_frequency == "weekly"
    assert dataset.history.get().action == "package_create"


def test_bad_input_gets_an_error_summary_and_keeps_what_was_typed(client, catalogue):
    client.force_login(catalogue.editor)
    response = client.post(
        "/data/dataset/new/",
        dataset_form(temporal_start_1="13"),
    )
    page = soup(response)
    assert page.title.get_text().startswith("Error:")
    assert error_summary(page) == ["Enter a real date"]
    assert page.find("a", string="Enter a real date")["href"] == "#id_temporal_start_0"
    assert page.find("input", id="id_title")["value"] == "Cycle counts"
    assert page.find("textarea", id="id_notes").get_text().strip() == "Cyclists counted at *12* sites."
    assert not Dataset.objects.filter(title="Cycle counts").exists()


def test_every_problem_is_shown_at_once_from_the_form_and_the_services(client, catalogue):
    client.force_login(catalogue.editor)
    form = dataset_form(name="traffic-counts", maintainer_email="nope", temporal_start_1="13")
    page = soup(client.post("/data/dataset/new/", form))
    assert sorted(error_summary(page)) == [
        "Email nope is not a valid format",
        "Enter a real date",
        "That URL is already in use.",
    ]


def test_errors_found_by_the_services_appear_beside_their_fields(client, catalogue):
    client.force_login(catalogue.editor)
    page = soup(
        client.post("/data/dataset/new/", dataset_form(name="traffic-counts", maintainer_email="nope"))
    )
    assert error_summary(page) == ["That URL is already in use.", "Email nope is not a valid format"]
    assert page.find("a", string="That URL is already in use.")["href"] == "#id_name"
    assert "That URL is already in use." in text(page.find(id="id_name-error"))
    assert Dataset.objects.get(name="traffic-counts").title == "Traffic counts"


def test_an_editor_edits_a_dataset_and_nothing_unshown_is_lost(client, catalogue):
    client.force_login(catalogue.editor)
    dataset = catalogue.public
    dataset.extras.create(key="source-system", value="SCOOT")
    page = soup(client.get("/data/dataset/traffic-counts/edit/"))
    assert page.find("input", id="id_title")["value"] == "Traffic counts"
    assert page.find("input", id="id_tags")["value"] == "roads, traffic"
    form = dataset_form(name="traffic-counts", title="Traffic counts 2023", tags="roads, traffic, vehicles")
    response = client.post("/data/dataset/traffic-counts/edit/", form)
    assert response.status_code == 302 and response["Location"] == "/data/dataset/traffic-counts/"
    dataset.refresh_from_db()
    assert dataset.title == "Traffic counts 2023"
    assert dataset.extras.get().value == "SCOOT" and dataset.resources.count() == 1
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["roads", "traffic", "vehicles"]


def test_a_failed_edit_changes_nothing(client, catalogue):
    client.force_login(catalogue.editor)
    page = soup(client.post("/data/dataset/traffic-counts/edit/", dataset_form(name="Bad Name!")))
    assert error_summary(page)
    catalogue.public.refresh_from_db()
    assert catalogue.public.name == "traffic-counts" and catalogue.public.title == "Traffic counts"


def test_an_editor_uploads_a_csv_and_it_is_listed_with_its_size(client, catalogue):
    client.force_login(catalogue.editor)
    upload = SimpleUploadedFile("counts.csv", CSV, content_type="text/csv")
    response = client.post(
        "/data/dataset/traffic-counts/resource/new/",
        {
            "name": "Counts January",
            "description": "",
            "kind": "file",
            "upload": upload,
            "url": "",
            "format": "",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(name="Counts January")
    assert resource.format == "CSV" and resource.size == len(CSV)
    page = soup(client.get("/data/dataset/traffic-counts/"))
    row = page.find("a", string="Counts January").find_parent("tr")
    assert [text(td) for td in row.find_all("td")][1:3] == ["CSV", f"{len(CSV)} bytes"]
    download = row.find("a", href=lambda href: "/download/counts.csv" in href)
    assert text(download) == "Download Counts January"
    assert b"".join(client.get(download["href"]).streaming_content) == CSV


def test_uploads_keep_their_type_and_size_limits(client, catalogue, settings):
    client.force_login(catalogue.editor)
    settings.CATALOGUE_UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("counts.csv", CSV, content_type="text/csv")
    page = soup(
        client.post(
            "/data/dataset/traffic-counts/resource/new/", {"name": "Big", "kind": "file", "upload": big}
        )
    )
    assert error_summary(page) == ["The file is larger than the limit of 10 bytes"]
    settings.CATALOGUE_UPLOAD_MAX_BYTES = 10_000
    program = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream")
    page = soup(
        client.post(
            "/data/dataset/traffic-counts/resource/new/", {"name": "Exe", "kind": "file", "upload": program}
        )
    )
    assert error_summary(page)[0].startswith("Files of type 'exe' may not be uploaded")
    assert page.find("input", id="id_name")["value"] == "Exe"
    assert catalogue.public.resources.count() == 1


def test_a_link_and_an_api_need_a_web_address(client, catalogue):
    client.force_login(catalogue.editor)
    page = soup(
        client.post("/data/dataset/traffic-counts/resource/new/", {"name": "Live", "kind": "api", "url": ""})
    )
    assert error_summary(page) == ["Enter the web address of the link or API"]
    response = client.post(
        "/data/dataset/traffic-counts/resource/new/",
        {"name": "Live counts", "kind": "api", "url": "https://api.example.org/counts", "format": "JSON"},
    )
    assert response.status_code == 302
    assert Resource.objects.get(name="Live counts").resource_type == "api"


def test_changing_a_resource_keeps_its_file_and_removing_it_deletes_it(
    client, catalogue, django_capture_on_commit_callbacks
):
    client.force_login(catalogue.editor)
    upload = SimpleUploadedFile("counts.csv", CSV, content_type="text/csv")
    client.post(
        "/data/dataset/traffic-counts/resource/new/", {"name": "Counts", "kind": "file", "upload": upload}
    )
    resource = Resource.objects.get(name="Counts")
    edit = f"/data/dataset/traffic-counts/resource/{resource.id}/edit/"
    page = soup(client.get(edit))
    assert "Leave this empty to keep the current file." in text(page.find(id="id_upload-hint"))
    response = client.post(edit, {"name": "Counts (hourly)", "kind": "file", "format": "CSV"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.name == "Counts (hourly)" and resource.upload and resource.size == len(CSV)
    stored = resource.upload.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/data/dataset/traffic-counts/resource/{resource.id}/delete/")
    assert response.status_code == 302 and not Resource.objects.filter(pk=resource.pk).exists()
    assert not resource.upload.storage.exists(stored)


def test_an_editor_deletes_a_dataset_after_confirming(client, catalogue):
    client.force_login(catalogue.editor)
    page = soup(client.get("/data/dataset/traffic-counts/delete/"))
    assert text(page.find("h1")) == "Are you sure you want to delete Traffic counts?"
    response = client.post("/data/dataset/traffic-counts/delete/")
    assert response.status_code == 302 and response["Location"] == "/data/organisations/transport/"
    assert Dataset.objects.get(name="traffic-counts").state == State.DELETED
    client.logout()
    assert client.get("/data/dataset/traffic-counts/").status_code == 404


def test_a_sysadmin_publishes_for_any_organisation(client, catalogue, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x" * 16)
    client.force_login(admin)
    page = soup(client.get("/data/dataset/new/"))
    options = [o["value"] for o in page.find("select", id="id_organisation").find_all("option")]
    assert options == ["public-health", "transport"]
    assert client.post("/data/dataset/new/", dataset_form(organisation="public-health")).status_code == 302


def test_members_who_are_not_editors_cannot_publish(client, catalogue):
    member = make_member(catalogue.transport, Membership.Role.MEMBER)
    client.force_login(member)
    assert client.get("/data/dataset/new/").status_code == 403
    assert client.get("/data/dataset/traffic-counts/edit/").status_code == 403
    # ...but they see their organisation's private dataset.
    assert client.get("/data/dataset/bus-lane-cameras/").status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client, catalogue):
    response = client.get("/data/dataset/new/")
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in")

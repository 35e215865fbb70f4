"""Private and draft datasets are seen only by their organisation's members: outsiders (signed out, or
signed in to another organisation) get "not found" on every page and never see them in search results,
facets, counts or publisher pages. A publisher cannot change another organisation's datasets."""

from __future__ import annotations

import pytest

from .pages_data import make_catalogue, soup, text

pytestmark = pytest.mark.django_db

HIDDEN = ["bus-lane-cameras", "road-works-draft"]
SECRET_WORDS = ["Bus lane camera secrets", "Road works draft", "secret-tag", "drafty", "XLSX"]


@pytest.fixture
def catalogue():
    return make_catalogue()


@pytest.fixture(params=["signed-out", "other-organisation"])
def outsider(request, client, catalogue):
    if request.param == "other-organisation":
        client.force_login(catalogue.outsider_editor)
    return client


def page_paths(catalogue, name: str) -> list[str]:
    dataset = {"bus-lane-cameras": catalogue.private, "road-works-draft": catalogue.draft}[name]
    resource = dataset.resources.first()
    paths = [
        f"/data/dataset/{name}/",
        f"/data/dataset/{name}/history/",
        f"/data/dataset/{name}/edit/",
        f"/data/dataset/{name}/delete/",
        f"/data/dataset/{name}/resource/new/",
    ]
    if resource is not None:
        paths += [
            f"/data/dataset/{name}/resource/{resource.id}/",
            f"/data/dataset/{name}/resource/{resource.id}/edit/",
            f"/data/dataset/{name}/resource/{resource.id}/delete/",
        ]
    return paths


@pytest.mark.parametrize("name", HIDDEN)
def test_outsiders_get_not_found_on_every_page_of_a_hidden_dataset(outsider, catalogue, name):
    signed_in = "_auth_user_id" in outsider.session
    for path in page_paths(catalogue, name):
        for method in ("get", "post"):
            response = getattr(outsider, method)(path)
            if not signed_in and path.endswith(("/edit/", "/delete/", "/new/")):
                # Signed out, every publishing page asks to sign in first, whether the dataset exists or not.
                assert response.status_code == 302 and "/sign-in" in response["Location"], path
            else:
                assert response.status_code == 404, (method, path)


def test_outsiders_never_see_hidden_datasets_in_lists_facets_or_counts(outsider, catalogue):
    pages = [
        "/data/",
        "/data/search/",
        "/data/search/?q=camera",
        "/data/search/?q=draft",
        "/data/search/?theme=environment",
        "/data/organisations/",
        "/data/organisations/transport/",
    ]
    for path in pages:
        body = text(soup(outsider.get(path)).find("main"))
        for words in SECRET_WORDS:
            assert words not in body, (path, words)
    for filters in ({"tag": "secret-tag"}, {"format": "XLSX"}):
        # The filter they typed is shown back to them, with nothing found.
        assert (
            text(soup(outsider.get("/data/search/", filters)).find(id="result-count")) == "0 datasets found"
        )
    assert text(soup(outsider.get("/data/")).find(id="count-datasets")) == "2"
    page = soup(outsider.get("/data/search/", {"theme": "environment"}))
    assert text(page.find(id="result-count")) == "1 dataset found"
    page = soup(outsider.get("/data/organisations/"))
    counts = {text(tr.find("a")): text(tr.find_all("td")[1]) for tr in page.find("tbody").find_all("tr")}
    assert counts["Transport and highways"] == "1"


def test_members_see_their_private_datasets_and_drafts_marked(client, catalogue):
    client.force_login(catalogue.editor)
    page = soup(client.get("/data/dataset/bus-lane-cameras/"))
    assert "Only members of Transport and highways can see this dataset." in text(page.find(id="visibility"))
    page = soup(client.get("/data/dataset/road-works-draft/"))
    assert "Draft" in text(page.find(id="status"))
    page = soup(client.get("/data/organisations/transport/"))
    titles = [text(h) for h in page.find(id="results").find_all("h3")]
    assert titles == ["Bus lane camera secrets Private", "Road works draft Draft", "Traffic counts"]
    page = soup(client.get("/data/search/", {"q": "camera"}))
    assert text(page.find(id="result-count")) == "1 dataset found for ‘camera’"
    assert text(soup(client.get("/data/")).find(id="count-datasets")) == "3"


@pytest.mark.parametrize(
    "path",
    [
        "/data/dataset/traffic-counts/edit/",
        "/data/dataset/traffic-counts/delete/",
        "/data/dataset/traffic-counts/resource/new/",
        "RESOURCE/edit/",
        "RESOURCE/delete/",
    ],
)
def test_a_publisher_cannot_change_another_organisations_public_dataset(client, catalogue, path):
    resource = catalogue.public.resources.get()
    path = path.replace("RESOURCE", f"/data/dataset/traffic-counts/resource/{resource.id}")
    client.force_login(catalogue.outsider_editor)
    assert client.get(path).status_code == 403
    assert client.post(path, {"name": "Hijacked", "title": "Hijacked", "kind": "link"}).status_code == 403
    catalogue.public.refresh_from_db()
    assert catalogue.public.state == "active" and catalogue.public.title == "Traffic counts"
    assert catalogue.public.resources.get().name == "Counts 2023"


def test_a_publisher_cannot_move_a_dataset_into_another_organisation(client, catalogue):
    from .test_pages_publish import dataset_form

    client.force_login(catalogue.editor)
    page = soup(client.post("/data/dataset/new/", dataset_form(organisation="public-health")))
    summary = text(page.find(class_="govuk-error-summary"))
    assert "Select a valid choice" in summary
    assert not catalogue.health.datasets.filter(name="cycle-counts").exists()


def test_the_edit_page_shows_only_the_publishers_own_dataset_controls(client, catalogue):
    client.force_login(catalogue.outsider_editor)
    page = soup(client.get("/data/dataset/traffic-counts/"))
    assert page.find("a", string="Edit details") is None
    assert page.find("a", string=lambda s: s and s.startswith("Change")) is None
    client.force_login(catalogue.editor)
    page = soup(client.get("/data/dataset/traffic-counts/"))
    assert page.find("a", string="Edit details")["href"] == "/data/dataset/traffic-counts/edit/"

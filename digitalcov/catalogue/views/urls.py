"""URLs of the catalogue's pages (included at "data/" by catalogue/urls.py). The resource page with its
previews is in previews/urls.py; DCAT's per-dataset files in dcat/urls.py."""

from django.urls import path

from . import datasets, home, organisations, publish, resources, search

urlpatterns = [
    path("", home.home_page, name="home"),
    path("search/", search.search_page, name="search"),
    path("organisations/", organisations.organisation_list, name="organisations"),
    path("organisations/<slug:name>/", organisations.organisation_page, name="organisation"),
    path("dataset/new/", publish.create_dataset, name="dataset-create"),
    path("dataset/<slug:name>/", datasets.dataset_page, name="dataset"),
    path("dataset/<slug:name>/history/", datasets.history_page, name="dataset-history"),
    path("dataset/<slug:name>/edit/", publish.edit_dataset, name="dataset-edit"),
    path("dataset/<slug:name>/delete/", publish.delete_dataset, name="dataset-delete"),
    path("dataset/<slug:name>/resource/new/", resources.create_resource, name="resource-create"),
    path(
        "dataset/<slug:name>/resource/<uuid:resource_id>/edit/",
        resources.edit_resource,
        name="resource-edit",
    ),
    path(
        "dataset/<slug:name>/resource/<uuid:resource_id>/delete/",
        resources.delete_resource,
        name="resource-delete",
    ),
]

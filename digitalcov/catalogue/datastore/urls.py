"""URLs of the datastore's pages (included at "data/" by catalogue/urls.py)."""

from django.urls import path

from .views import datastore_page

urlpatterns = [
    path(
        "dataset/<slug:dataset>/resource/<uuid:resource_id>/datastore/",
        datastore_page,
        name="resource-datastore",
    ),
]

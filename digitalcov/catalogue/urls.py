"""The catalogue's URLs: the CKAN Action API (with and without the version, as CKAN routes it, and
never redirected: APPEND_SLASH only acts on paths that match nothing), uploaded files, the pages under
/data/, resource pages with previews, and DCAT."""

from django.urls import include, path, re_path

from .ckan_api.views import action
from .downloads import download

app_name = "catalogue"

urlpatterns = [
    re_path(r"^api/(?:3/)?action/(?P<name>[A-Za-z0-9_]+)/?$", action, name="action"),
    path(
        "dataset/<uuid:dataset_id>/resource/<uuid:resource_id>/download/<str:filename>",
        download,
        name="resource-download",
    ),
    path("data/", include("digitalcov.catalogue.views.urls")),
    path("data/", include("digitalcov.catalogue.previews.urls")),
    path("data/", include("digitalcov.catalogue.datastore.urls")),
    path("data/", include("digitalcov.catalogue.quality.urls")),
    path("data/", include("digitalcov.catalogue.registry.urls")),
    path("", include("digitalcov.catalogue.dcat.urls")),
]

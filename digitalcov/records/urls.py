"""The golden records pages under /records/: sources and imports, linkage runs, the steward's review
queue, the data quality report, data sharing agreements and subject access requests."""

from django.urls import include, path

app_name = "records"

urlpatterns = [
    path("", include("digitalcov.records.views.steward_urls")),
    path("", include("digitalcov.records.views.quality_urls")),
    path("", include("digitalcov.records.views.sharing_urls")),
]

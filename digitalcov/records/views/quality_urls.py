"""URLs of the data quality report and the subject access request pages (included by records/urls.py)."""

from django.urls import path

from . import quality, subject_access

urlpatterns = [
    path("quality/", quality.overview, name="quality"),
    path("quality.csv", quality.overview_csv, name="quality-csv"),
    path("quality/<int:source_id>/", quality.source_report, name="quality-source"),
    path("quality/<int:source_id>.csv", quality.source_csv, name="quality-source-csv"),
    path(
        "quality/<int:source_id>/<str:kind>/<str:field>/",
        quality.records,
        name="quality-records",
    ),
    path("subject-access/", subject_access.search, name="subject-access"),
    path("subject-access/<uuid:golden_id>/", subject_access.golden_report, name="subject-access-golden"),
    path(
        "subject-access/records/<int:record_id>/",
        subject_access.record_report,
        name="subject-access-record",
    ),
]

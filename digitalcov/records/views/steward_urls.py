"""URLs of the records steward pages (included by records/urls.py): sources, imports, linkage runs,
the review queue and golden records."""

from django.urls import path

from . import golden, imports, review, runs, sources

urlpatterns = [
    path("", sources.home, name="home"),
    path("sources/", sources.source_list, name="sources"),
    path("sources/new/", sources.source_new, name="source-new"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/new/", imports.import_new, name="import-new"),
    path("imports/new/<str:token>/mapping/", imports.import_mapping, name="import-mapping"),
    path("imports/new/<str:token>/status/", imports.import_status, name="import-status"),
    path("imports/<int:pk>/", imports.import_detail, name="import"),
    path("runs/", runs.run_list, name="runs"),
    path("runs/start/", runs.run_start, name="run-start"),
    path("runs/<int:pk>/", runs.run_detail, name="run"),
    path("runs/<int:pk>/match-weights.json", runs.run_chart, name="run-chart"),
    path("review/", review.queue, name="review"),
    path("review/<int:pk>/", review.pair, name="pair"),
    path("golden/", golden.golden_list, name="golden-list"),
    path("golden/membership.csv", golden.membership_csv, name="membership-csv"),
    path("golden/<uuid:pk>/", golden.golden_detail, name="golden"),
]

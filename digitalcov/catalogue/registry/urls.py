"""URLs of the platform datasets (included under /data/ by catalogue/urls.py)."""

from django.urls import path

from .day_csv import datastream_day_csv

urlpatterns = [
    path("datastreams/<int:datastream_id>/day.csv", datastream_day_csv, name="datastream-day-csv"),
]

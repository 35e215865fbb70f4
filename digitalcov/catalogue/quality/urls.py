"""URLs of the quality pages (included at "data/" by catalogue/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("organisations/<slug:name>/quality/", views.organisation_report, name="organisation-quality"),
]

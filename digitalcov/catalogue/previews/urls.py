"""URLs of the catalogue's resource pages with previews (included at "data/" by catalogue/urls.py)."""

from django.urls import path

from .views import resource_page

urlpatterns = [
    path("dataset/<slug:dataset>/resource/<uuid:resource_id>/", resource_page, name="resource"),
]

"""URLs of the catalogue's DCAT documents (included at the site root by catalogue/urls.py).

The dataset documents are `data/dataset/<slug>.<fmt>`: a slug never holds a dot, so these cannot be
taken for the dataset page `data/dataset/<slug>/`.
"""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("catalog", views.negotiated_catalogue, name="dcat-negotiated"),
    re_path(r"^catalog\.(?P<fmt>jsonld|ttl|rdf)$", views.catalogue, name="dcat-catalogue"),
    re_path(
        r"^data/dataset/(?P<name>[a-z0-9_-]{2,100})\.(?P<fmt>jsonld|ttl|rdf)$",
        views.dataset,
        name="dcat-dataset",
    ),
]

"""URLs of the catalogue's dcat (included by catalogue/urls.py)."""

urlpatterns: list = []

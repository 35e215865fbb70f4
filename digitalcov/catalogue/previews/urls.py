"""URLs of the catalogue's previews (included by catalogue/urls.py)."""

urlpatterns: list = []

"""URLs of the catalogue's views (included by catalogue/urls.py)."""

urlpatterns: list = []

"""URLs of the records sharing pages (included by records/urls.py)."""

urlpatterns: list = []

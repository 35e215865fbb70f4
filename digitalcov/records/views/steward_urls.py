"""URLs of the records steward pages (included by records/urls.py)."""

urlpatterns: list = []

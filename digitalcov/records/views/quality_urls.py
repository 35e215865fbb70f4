"""URLs of the records quality pages (included by records/urls.py)."""

urlpatterns: list = []

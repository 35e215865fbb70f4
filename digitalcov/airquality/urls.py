"""Air quality pages, mounted at /air-quality/: the city map and each site's page.

The objectives table, green targets, CSV download and live-data pages add their lines here, each
with its own view module (one module per page type, see ``views/``).
"""

from django.urls import path

from .views import downloads as download_views
from .views import map as map_views
from .views import site as site_views

app_name = "airquality"
urlpatterns = [
    path("", map_views.city_map, name="map"),
    path("sites/<str:code>/", site_views.site_page, name="site"),
    path("datastreams/<int:datastream_id>.csv", download_views.datastream_csv, name="datastream-csv"),
]

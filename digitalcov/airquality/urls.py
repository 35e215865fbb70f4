"""Air quality pages, mounted at /air-quality/: the city map and each site's page.

The objectives table, green targets, CSV download and live-data pages add their lines here, each
with its own view module (one module per page type, see ``views/``).
"""

from django.urls import path

from .views import downloads as download_views
from .views import green_targets as green_target_views
from .views import live_data as live_data_views
from .views import map as map_views
from .views import objectives as objectives_views
from .views import site as site_views

app_name = "airquality"
urlpatterns = [
    path("", map_views.city_map, name="map"),
    path("sites/<str:code>/", site_views.site_page, name="site"),
    path("objectives/", objectives_views.objectives_page, name="objectives"),
    path("green-targets/", green_target_views.green_targets_page, name="green-targets"),
    path("live-data/", live_data_views.live_data_page, name="live-data"),
    path("datastreams/<int:datastream_id>.csv", download_views.datastream_csv, name="datastream-csv"),
]

"""The SensorThings API, mounted at /sta/v1.1/ (OGC 18-088)."""

from django.urls import path, re_path

from . import views

app_name = "sensors"
urlpatterns = [
    path("", views.service_root, name="service-root"),
    re_path(r"^(?P<resource_path>.+)$", views.resource, name="resource"),
]

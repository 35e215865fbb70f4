"""The site's URLs: one include per capability, the JSON API under /api/ (docs at /api/docs)."""

from django.contrib import admin
from django.urls import include, path

from .api import api

handler400 = "digitalcov.core.views.bad_request"
handler403 = "digitalcov.core.views.permission_denied"
handler404 = "digitalcov.core.views.page_not_found"
handler500 = "digitalcov.core.views.server_error"

admin.site.site_header = "DigitalCov administration"
admin.site.site_title = "DigitalCov administration"

urlpatterns = [
    path("", include("digitalcov.core.urls")),
    path("account/", include("digitalcov.accounts.urls")),
    path("my-account/", include("digitalcov.myaccount.urls")),
    path("tip-bookings/", include("digitalcov.tips.urls")),
    path("certificates/", include("digitalcov.certificates.urls")),
    path("air-quality/", include("digitalcov.airquality.urls")),
    path("sta/v1.1/", include("digitalcov.sensors.urls")),
    path("records/", include("digitalcov.records.urls")),
    path("", include("digitalcov.catalogue.urls")),  # before api/: the CKAN API is /api/3/action/
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

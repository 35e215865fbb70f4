"""The JSON API (django-ninja). Each capability contributes a router from its own `api.py`;
the OpenAPI description is at /api/openapi.json and the interactive docs at /api/docs."""

from ninja import NinjaAPI

from digitalcov.certificates.api import router as certificates_router
from digitalcov.records.api import router as records_router
from digitalcov.tips.api import router as tips_router

api = NinjaAPI(
    title="DigitalCov API",
    version="1.0.0",
    description=(
        "Open APIs of the council's digital platform.\n\n"
        "Sensor and air quality data are served by the OGC SensorThings API v1.1 at /sta/v1.1/, with new "
        "observations published over MQTT and every datastream downloadable as CSV: see "
        "[Live data for developers](/air-quality/live-data/) for example queries, how to subscribe, write "
        "tokens and the licence."
    ),
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/tips/", tips_router)
api.add_router("/certificates/", certificates_router)
api.add_router("/records/", records_router)

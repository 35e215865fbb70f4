"""The JSON API (django-ninja). Each capability contributes a router from its own `api.py`;
the OpenAPI description is at /api/openapi.json and the interactive docs at /api/docs."""

from ninja import NinjaAPI

from digitalcov.certificates.api import router as certificates_router
from digitalcov.tips.api import router as tips_router

api = NinjaAPI(
    title="DigitalCov API",
    version="1.0.0",
    description="Open APIs of the council's digital platform.",
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/tips/", tips_router)
api.add_router("/certificates/", certificates_router)

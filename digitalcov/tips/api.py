"""JSON API for this capability (mounted by digitalcov/api.py)."""

from ninja import Router

router = Router()

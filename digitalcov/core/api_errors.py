"""The error body every DigitalCov JSON API answers with (django-ninja's own shape), so an operation can
document its 404 and 422 answers in OpenAPI."""

from typing import Any

from ninja import Schema


class ApiError(Schema):
    """`detail` is a message, or for invalid input django-ninja's list of what was wrong and where."""

    detail: str | list[dict[str, Any]]


NOT_FOUND_OR_INVALID = {404: ApiError, 422: ApiError}
INVALID = {422: ApiError}

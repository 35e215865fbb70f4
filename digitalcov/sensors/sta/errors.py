"""Errors answered as JSON. OGC 18-088 §9 and §10 name the status codes (400 Bad Request for bad input,
404 Not Found for a missing entity or path); the body follows FROST-Server, which clients rely on:
`{"code": 400, "type": "error", "message": "..."}`."""

from __future__ import annotations

from django.http import JsonResponse


class StaError(Exception):
    """Raised anywhere in a request; the view turns it into the error response."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> StaError:
    return StaError(400, message)


def not_found(message: str = "Nothing found.") -> StaError:
    return StaError(404, message)


def error_response(error: StaError) -> JsonResponse:
    """The JSON error body for `error`."""
    response = JsonResponse(
        {"code": error.status, "type": "error", "message": error.message}, status=error.status
    )
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SensorThings API"'
    return response

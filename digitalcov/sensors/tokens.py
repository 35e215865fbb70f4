"""API tokens for writing to the SensorThings API. A client sends `Authorization: Bearer <token>`; the
server keeps only the token's SHA-256 hash (`core.api_tokens`), so a leaked database does not leak
tokens."""

from __future__ import annotations

import base64
import binascii

from digitalcov.core.api_tokens import hash_token, new_token, record_use

from .models import ApiToken
from .sta.errors import StaError

__all__ = ["hash_token", "issue_token", "writer"]


def issue_token(name: str, can_write: bool = True) -> tuple[ApiToken, str]:
    """A new token called `name`: the stored record and the token itself, which is shown only once."""
    token = new_token()
    record = ApiToken.objects.create(name=name, token_hash=hash_token(token), can_write=can_write)
    return record, token


def presented_token(request) -> str | None:
    """The token in the Authorization header: `Bearer <token>`, or HTTP Basic with the token as the
    password and any user name (the form SensorThings clients such as frost-sta-client can send)."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() == "basic":
        try:
            _, _, password = base64.b64decode(credentials, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return password or None
    return None


def writer(request) -> ApiToken:
    """The token that allows this write; 401 without a valid one, 403 when it may only read."""
    token = presented_token(request)
    if token is None:
        raise StaError(
            401,
            "Writing needs an API token: send 'Authorization: Bearer <token>' "
            "(or HTTP Basic with the token as the password).",
        )
    record = ApiToken.objects.filter(token_hash=hash_token(token)).first()
    if record is None:
        raise StaError(401, "This API token is not valid.")
    if not record.can_write:
        raise StaError(403, "This API token may read but not write.")
    record_use(record)
    return record

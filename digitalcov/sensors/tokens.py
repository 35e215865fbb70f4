"""API tokens for writing to the SensorThings API. A client sends `Authorization: Bearer <token>`; the
server keeps only the token's SHA-256 hash (`core.api_tokens`), so a leaked database does not leak
tokens."""

from __future__ import annotations

from django.utils import timezone

from digitalcov.core.api_tokens import hash_token, new_token

from .models import ApiToken
from .sta.errors import StaError

__all__ = ["hash_token", "issue_token", "writer"]


def issue_token(name: str, can_write: bool = True) -> tuple[ApiToken, str]:
    """A new token called `name`: the stored record and the token itself, which is shown only once."""
    token = new_token()
    record = ApiToken.objects.create(name=name, token_hash=hash_token(token), can_write=can_write)
    return record, token


def writer(request) -> ApiToken:
    """The token that allows this write; 401 without a valid one, 403 when it may only read."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise StaError(401, "Writing needs an API token: send 'Authorization: Bearer <token>'.")
    record = ApiToken.objects.filter(token_hash=hash_token(token.strip())).first()
    if record is None:
        raise StaError(401, "This API token is not valid.")
    if not record.can_write:
        raise StaError(403, "This API token may read but not write.")
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record

"""Catalogue API tokens: issued to a person, sent by clients as CKAN 2.10 does (`Authorization: <token>`,
or the older `X-CKAN-API-Key` header; a `Bearer ` prefix is accepted too). A token acts with its
owner's roles. Hashing is shared with the other APIs (`core.api_tokens`)."""

from __future__ import annotations

from django.utils import timezone

from digitalcov.core.api_tokens import hash_token, new_token, record_use

from ..models import ApiToken
from .errors import NotAuthorized


def issue_token(user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored record and the token itself, shown only once."""
    token = new_token()
    record = ApiToken.objects.create(
        user=user, name=name, token_hash=hash_token(token), expires_at=expires_at
    )
    return record, token


def token_from_headers(headers) -> str:
    value = (headers.get("Authorization") or headers.get("X-CKAN-API-Key") or "").strip()
    if value.lower().startswith("bearer "):
        value = value[7:].strip()
    return value


def user_for_token(token: str):
    """The active owner of a valid, unexpired token; NotAuthorized otherwise."""
    record = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if record is None or not record.user.is_active:
        raise NotAuthorized("the API token is not valid")
    now = timezone.now()
    if record.expires_at is not None and record.expires_at <= now:
        raise NotAuthorized("the API token has expired")
    record_use(record, now)
    return record.user

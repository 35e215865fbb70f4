"""API tokens shared by every API that takes them (SensorThings writes, the catalogue's CKAN API).

A token is 256 random bits shown once; only its SHA-256 hash is stored. A slow password hash adds
nothing for random tokens of that length, and a fast hash lets the server find the token by lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone


def new_token() -> str:
    """A fresh random token (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of `token`: its SHA-256 hex digest."""
    return hashlib.sha256(token.encode()).hexdigest()


# How stale a token's `last_used_at` may be. It is for people deciding which tokens to revoke, for whom
# the minute is enough; writing it on every request made every API call a database write (on SQLite,
# a turn at the one write lock before the request's own work).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def record_use(record: models.Model, now: datetime | None = None) -> None:
    """Set `record.last_used_at` to now, unless it was set within `LAST_USED_RESOLUTION`."""
    now = now or timezone.now()
    last_used = record.last_used_at
    if last_used is not None and now - last_used < LAST_USED_RESOLUTION:
        return
    type(record).objects.filter(pk=record.pk).update(last_used_at=now)
    record.last_used_at = now

"""API tokens shared by every API that takes them (SensorThings writes, the catalogue's CKAN API).

A token is 256 random bits shown once; only its SHA-256 hash is stored. A slow password hash adds
nothing for random tokens of that length, and a fast hash lets the server find the token by lookup.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A fresh random token (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of `token`: its SHA-256 hex digest."""
    return hashlib.sha256(token.encode()).hexdigest()

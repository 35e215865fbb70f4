"""What every action receives besides its parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ActionContext:
    """`user`: who is calling (AnonymousUser without a token); `base_url`: this site's address, for
    the links in results (uploaded files' download URLs)."""

    user: Any
    base_url: str

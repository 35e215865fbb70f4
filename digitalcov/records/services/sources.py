"""Source systems (issue 5, section 1): the council and partner systems records come from."""

from __future__ import annotations

from typing import Any

from digitalcov.core import audit

from ..models import SourceSystem


def register_source(name: str, owning_service: str, trust_level: int, *, actor: Any = None) -> SourceSystem:
    """Register a source, or update the owning service and trust level of one already registered."""
    if not 1 <= trust_level <= 10:
        raise ValueError("The trust level must be a whole number from 1 (least trusted) to 10")
    source, created = SourceSystem.objects.update_or_create(
        name=name, defaults={"owning_service": owning_service, "trust_level": trust_level}
    )
    audit.record(
        "records.source_registered" if created else "records.source_updated",
        actor=actor,
        target=source,
        details={"trust_level": trust_level},
    )
    return source

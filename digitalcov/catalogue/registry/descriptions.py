"""What a dataset provider yields: plain descriptions of datasets and their resources, in the
catalogue's own vocabulary (CKAN package fields), with no knowledge of how they are stored.

A provider (registered with `digitalcov.core.registry.register_dataset_provider`) returns an iterable
of `PlatformDataset`. The sync service (`sync.py`) turns each into a catalogue dataset through the
catalogue's services, so validation, history and the search index apply as for any publisher.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..models import Resource


@dataclass(frozen=True)
class PlatformResource:
    """One resource: a live API, a link (e.g. a CSV the platform serves) or a file to upload.

    `name` identifies the resource within its dataset from one sync to the next, so it must be stable.
    `last_modified` is when its data last changed (for a datastream, its latest phenomenonTime): it is
    freshness, not metadata, so a change of it alone leaves no history entry (see `sync.py`).
    """

    name: str
    format: str
    resource_type: str = Resource.Kind.LINK
    url: str = ""
    path: Path | None = None
    description: str = ""
    mimetype: str = ""
    last_modified: datetime.datetime | None = None

    def metadata(self) -> dict[str, Any]:
        """The resource dict the catalogue's services take (CKAN's resource fields)."""
        return {
            "name": self.name,
            "description": self.description,
            "format": self.format,
            "mimetype": self.mimetype,
            "resource_type": self.resource_type,
            "url": self.url,
        }


@dataclass(frozen=True)
class PlatformDataset:
    """One dataset. `key` is stable and unique within its provider (e.g. "thing-12"); `name` is the
    slug people see in URLs. `fields` holds any other package field the catalogue knows (author,
    maintainer, temporal_start, update_frequency, spatial_coverage, lga_service, ...)."""

    key: str
    name: str
    title: str
    notes: str
    resources: tuple[PlatformResource, ...] = ()
    tags: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    licence_id: str = "OGL-UK-3.0"
    fields: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)

    def package(self) -> dict[str, Any]:
        """The dataset dict for package_create/package_update, without resources and extras."""
        data: dict[str, Any] = {key: _plain(value) for key, value in self.fields.items()}
        data.update(
            {
                "name": self.name,
                "title": self.title,
                "notes": self.notes,
                "license_id": self.licence_id,
                "tags": [{"name": tag} for tag in self.tags],
                "groups": [{"name": theme} for theme in self.themes],
            }
        )
        return data

    def digest(self) -> str:
        """A hash of everything but freshness: equal digests mean there is no metadata to change."""
        described = asdict(self)
        for resource in described["resources"]:
            resource.pop("last_modified")
            path = resource.pop("path")
            resource["file"] = file_hash(Path(path)) if path else ""
        text = json.dumps(described, sort_keys=True, default=_plain, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def file_hash(path: Path) -> str:
    """The file's hash as the catalogue stores it on an upload ("sha256:<hex>")."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value

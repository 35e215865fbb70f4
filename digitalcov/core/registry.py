"""Extension points that let capabilities plug into platform features without core knowing them.

Each app registers its parts in its `AppConfig.ready()`:
- `personal_data`: how to export (for "Download my data") and erase (for "Delete my account") what the
  app holds about a resident;
- `resident_requests`: how to list a resident's requests for "My requests";
- `demo_loaders`: how to load the app's Coventry demo data (`digitalcov load_demo_data`);
- `dataset_providers`: the datasets an app publishes in the open data catalogue (see
  `digitalcov.catalogue.registry`, which syncs them).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataHandler:
    """`export(user)` returns JSON-ready data; `erase(user)` erases what the law lets us erase and
    returns a short, non-personal summary of what it kept and why."""

    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], str]


@dataclass(frozen=True)
class ResidentRequest:
    """One line in "My requests": a booking, an order, a report..."""

    kind: str  # "Tip visit", "Birth certificate", ...
    reference: str
    summary: str  # e.g. "Bar Road, Tuesday 24 November 2026, 10:00"
    status: str  # in the resident's words: "Booked", "Cancelled", "Paid", ...
    created_at: datetime.datetime
    url: str  # where the resident can see it
    placed_by_agent: bool = False


personal_data: list[PersonalDataHandler] = []
resident_requests: list[Callable[[Any], list[ResidentRequest]]] = []
demo_loaders: list[tuple[str, Callable[[], str]]] = []
dataset_providers: list[tuple[str, Callable[[], Any]]] = []


def register_personal_data(name: str, export: Callable, erase: Callable) -> None:
    if all(handler.name != name for handler in personal_data):
        personal_data.append(PersonalDataHandler(name, export, erase))


def register_resident_requests(lister: Callable[[Any], list[ResidentRequest]]) -> None:
    if lister not in resident_requests:
        resident_requests.append(lister)


def register_demo_loader(name: str, loader: Callable[[], str]) -> None:
    """`loader()` loads (idempotently) and returns a one-line summary to print."""
    if all(existing != name for existing, _ in demo_loaders):
        demo_loaders.append((name, loader))


def register_dataset_provider(name: str, provider: Callable[[], Any]) -> None:
    """`provider()` yields `digitalcov.catalogue.registry.PlatformDataset`s; `name` (e.g. "sensors")
    keys them in the catalogue, so it must never change once datasets are published."""
    if all(existing != name for existing, _ in dataset_providers):
        dataset_providers.append((name, provider))


def requests_for(resident) -> list[ResidentRequest]:
    """Every request of a resident from every capability, newest first."""
    found = [item for lister in resident_requests for item in lister(resident)]
    return sorted(found, key=lambda item: item.created_at, reverse=True)

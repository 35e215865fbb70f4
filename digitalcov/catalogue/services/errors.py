"""The catalogue's errors, one per kind of failure CKAN's Action API reports (ckan/logic/__init__.py
and ckan/lib/search): the API turns each into CKAN's error body and HTTP status."""

from __future__ import annotations


class CatalogueError(Exception):
    """Base class: `message` is shown to the client."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(CatalogueError):
    """The thing does not exist, or the caller may not know it exists (private or deleted)."""


class NotAuthorized(CatalogueError):
    """The caller is known not to be allowed to do this."""


class ValidationError(CatalogueError):
    """Bad input: `errors` maps each field to a list of messages, CKAN's `error_dict`."""

    def __init__(self, errors: dict[str, list]) -> None:
        super().__init__("; ".join(f"{field}: {messages}" for field, messages in errors.items()))
        self.errors = errors


class SearchQueryError(CatalogueError):
    """A search parameter is malformed (CKAN answers 400)."""


class SearchError(CatalogueError):
    """A search the engine cannot run, such as an `fq` clause outside the supported subset (409)."""

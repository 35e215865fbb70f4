"""Business rules of the catalogue. Pages and the CKAN API call these; nothing else changes data.

- `permissions`: who may see and change which datasets (private and draft visibility)
- `validation`: checking a dataset dict, errors per field in CKAN's shape
- `datasets`: find, create, update, patch and delete datasets
- `resources`: resources, uploads and their limits
- `history`: the record of metadata changes, as JSON diffs
- `search_index` and `search`: full-text search in the database, `fq` (`solr_query`), facets, sorting
- `tokens`: API tokens for the catalogue
- `errors`: NotFound, NotAuthorized, ValidationError, SearchQueryError, SearchError
"""

from .datasets import create_dataset, delete_dataset, find_dataset, patch_dataset, update_dataset
from .errors import CatalogueError, NotAuthorized, NotFound, SearchError, SearchQueryError, ValidationError
from .resources import create_resource, delete_resource, find_resource, update_resource
from .search import SearchResult, package_search
from .tokens import issue_token, token_from_headers, user_for_token

__all__ = [
    "CatalogueError",
    "NotAuthorized",
    "NotFound",
    "SearchError",
    "SearchQueryError",
    "SearchResult",
    "ValidationError",
    "create_dataset",
    "create_resource",
    "delete_dataset",
    "delete_resource",
    "find_dataset",
    "find_resource",
    "issue_token",
    "package_search",
    "patch_dataset",
    "token_from_headers",
    "update_dataset",
    "update_resource",
    "user_for_token",
]

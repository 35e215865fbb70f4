"""The open data catalogue: organisations, datasets and resources, searched with the database's own
full-text search and served through a CKAN-compatible Action API (issue 4)."""

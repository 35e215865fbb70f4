"""Keeping the full-text index (migration 0003) in step with the datasets, and asking it which
datasets match a text query and how well. One function per database engine, same interface:

- SQLite FTS5: columns weighted title 10, tags 5, notes 2, other 1 in bm25();
- PostgreSQL: setweight A (title), B (tags), C (notes), D (other) and ts_rank_cd().

Services call `index_dataset()` after every write, inside the write's transaction, so the index never
disagrees with what was committed.
"""

from __future__ import annotations

import re
import uuid

from django.db import connection

from ..models import Dataset

# Words and "quoted phrases" the user typed; everything else (FTS operators, quotes) is dropped so no
# input can be a syntax error for the engine.
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def _document(dataset: Dataset) -> dict[str, str]:
    resources = dataset.resources.all()
    other = [
        dataset.name.replace("-", " ").replace("_", " "),
        dataset.organisation.title,
        dataset.author,
        dataset.maintainer,
        dataset.spatial_coverage,
        " ".join(theme.title for theme in dataset.themes.all()),
        " ".join(f"{r.name} {r.description} {r.format}" for r in resources),
        " ".join(dataset.extras.values_list("value", flat=True)),
    ]
    return {
        "title": dataset.title,
        "tags": " ".join(dataset.tags.values_list("name", flat=True)),
        "notes": dataset.notes,
        "other": " ".join(part for part in other if part),
    }


def index_dataset(dataset: Dataset) -> None:
    """(Re)write the index entry of `dataset`."""
    doc = _document(dataset)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO catalogue_search (dataset_id, document) VALUES (%s, "
                "setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'B') || "
                "setweight(to_tsvector('english', %s), 'C') || setweight(to_tsvector('english', %s), 'D'))"
                " ON CONFLICT (dataset_id) DO UPDATE SET document = EXCLUDED.document",
                [dataset.pk, doc["title"], doc["tags"], doc["notes"], doc["other"]],
            )
        else:
            key = dataset.pk.hex
            cursor.execute("DELETE FROM catalogue_search WHERE dataset_id = %s", [key])
            cursor.execute(
                "INSERT INTO catalogue_search (dataset_id, title, tags, notes, other) "
                "VALUES (%s, %s, %s, %s, %s)",
                [key, doc["title"], doc["tags"], doc["notes"], doc["other"]],
            )


def _terms(text: str) -> list[tuple[str, list[str]]]:
    """[(kind, words)] where kind is "word", "phrase" or "or"."""
    terms = []
    for match in _TERM.finditer(text):
        if match.group(2) == "OR":
            terms.append(("or", []))
            continue
        words = _WORD.findall(match.group(1) or match.group(2))
        if words:
            terms.append(("phrase" if match.group(1) else "word", words))
    return terms


def _fts5_query(text: str) -> str:
    """An FTS5 query: every word must match (CKAN's default q.op AND), "phrases" as phrases, OR kept."""
    parts = []
    for kind, words in _terms(text):
        if kind == "or":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        parts.append('"' + " ".join(words) + '"')
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts)


def _tsquery_text(text: str) -> str:
    """websearch_to_tsquery input with only words, quoted phrases and OR."""
    parts = []
    for kind, words in _terms(text):
        parts.append(
            "or" if kind == "or" else ('"' + " ".join(words) + '"' if kind == "phrase" else " ".join(words))
        )
    return " ".join(part if part != "or" else "OR" for part in parts)


def matching(text: str) -> dict[str, float]:
    """{dataset id (str): score} of the datasets matching `text`; higher scores are better matches."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = _tsquery_text(text)
            if not query:
                return {}
            cursor.execute(
                "SELECT dataset_id, ts_rank_cd(document, q) FROM catalogue_search, "
                "websearch_to_tsquery('english', %s) q WHERE document @@ q",
                [query],
            )
            return {str(row[0]): float(row[1]) for row in cursor.fetchall()}
        query = _fts5_query(text)
        if not query:
            return {}
        cursor.execute(
            "SELECT dataset_id, -bm25(catalogue_search, 0, 10.0, 5.0, 2.0, 1.0) FROM catalogue_search "
            "WHERE catalogue_search MATCH %s",
            [query],
        )
        return {_uuid_text(row[0]): float(row[1]) for row in cursor.fetchall()}


def _uuid_text(hex_key: str) -> str:
    return str(uuid.UUID(hex_key))

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
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

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
        " ".join(extra.value for extra in dataset.extras.all()),
    ]
    return {
        "title": dataset.title,
        "tags": " ".join(tag.name for tag in dataset.tags.all()),
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


def remove_dataset(dataset_id: uuid.UUID) -> None:
    """Drop a dataset's entry (when the dataset itself is deleted, e.g. by staff in the admin)."""
    key = dataset_id if connection.vendor == "postgresql" else dataset_id.hex
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalogue_search WHERE dataset_id = %s", [key])


def rebuild_index() -> int:
    """Index every dataset again (after a bulk load, or to repair the index); returns how many."""
    datasets = Dataset.objects.select_related("organisation").prefetch_related(
        "tags", "themes", "extras", "resources"
    )
    count = 0
    for dataset in datasets.iterator(chunk_size=500):
        index_dataset(dataset)
        count += 1
    return count


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


def _engine_query(text: str) -> str:
    return _tsquery_text(text) if connection.vendor == "postgresql" else _fts5_query(text)


def matching_ids(text: str) -> RawSQL | None:
    """A subquery of the ids of datasets matching `text`, for `filter(id__in=...)`; None when `text`
    holds no words."""
    query = _engine_query(text)
    if not query:
        return None
    if connection.vendor == "postgresql":
        sql = "SELECT dataset_id FROM catalogue_search WHERE document @@ websearch_to_tsquery('english', %s)"
    else:
        sql = "SELECT dataset_id FROM catalogue_search WHERE catalogue_search MATCH %s"
    return RawSQL(sql, [query])  # noqa: S611 - fixed SQL; the user's text is a bound parameter


def ranked_ids(
    text: str, candidates: QuerySet, order: list[tuple[str, bool]], start: int, rows: int
) -> tuple[list[uuid.UUID], int | None]:
    """One page of the ids of `candidates` matching `text`, best first, ranked by the engine itself
    (bm25 / ts_rank_cd) so only the page leaves the database, and how many match in all (counted by
    the same full-text match; None when the page is empty, so nothing carried the count). `order` is
    [(column, descending)], where the column "score" is the relevance; the others are columns of
    catalogue_dataset."""
    query = _engine_query(text)
    if not query:
        return [], 0
    sub_sql, sub_params = candidates.values("id").query.sql_with_params()
    postgres = connection.vendor == "postgresql"
    # The matches with what they are ordered by, then the page and the count over all of them in an
    # outer query: FTS5 refuses bm25() in a query with a window function.
    columns, terms = ["d.id AS id"], []
    for position, (column, descending) in enumerate(order):
        if column == "score":
            if postgres:  # ts_rank_cd() is higher for better matches
                columns.append(f"ts_rank_cd(catalogue_search.document, q) AS k{position}")
                terms.append(f"k{position} {'DESC' if descending else 'ASC'}")
            else:  # bm25() is lower for better matches
                columns.append(f"{_BM25} AS k{position}")
                terms.append(f"k{position} {'ASC' if descending else 'DESC'}")
        else:
            columns.append(f'd."{column}" AS k{position}')
            terms.append(f"k{position} {'DESC' if descending else 'ASC'}")
    columns.append('d."name" AS tiebreak')
    terms.append("tiebreak ASC")
    if postgres:
        matches = (
            f"SELECT {', '.join(columns)} FROM catalogue_search "  # noqa: S608 - columns are ours
            "JOIN catalogue_dataset d ON d.id = catalogue_search.dataset_id, "
            "websearch_to_tsquery('english', %s) q WHERE catalogue_search.document @@ q "
        )
    else:
        matches = (
            f"SELECT {', '.join(columns)} FROM catalogue_search "  # noqa: S608 - columns are ours
            "JOIN catalogue_dataset d ON d.id = catalogue_search.dataset_id WHERE catalogue_search MATCH %s "
        )
    matches += f"AND d.id IN ({sub_sql})"
    sql = (
        f"SELECT id, COUNT(*) OVER () FROM ({matches}) AS matches "  # noqa: S608 - columns are ours
        f"ORDER BY {', '.join(terms)} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, *sub_params, rows, start])
        found = cursor.fetchall()
    ids = [value if isinstance(value, uuid.UUID) else uuid.UUID(value) for value, _ in found]
    return ids, (found[0][1] if found else None)


# Column weights: dataset_id (not indexed) 0, title 10, tags 5, notes 2, other 1.
_BM25 = "bm25(catalogue_search, 0, 10.0, 5.0, 2.0, 1.0)"

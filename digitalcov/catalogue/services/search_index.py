"""Keeping the full-text index (migration 0003) in step with the datasets, and asking it which
datasets match a text query and how well. One function per database engine, same interface:

- SQLite FTS5: columns weighted title 10, tags 5, notes 2, other 1 in bm25(); each dataset's row has
  the rowid its `catalogue_search_key` row gives it (migration 0006), the way matches reach datasets;
- PostgreSQL: setweight A (title), B (tags), C (notes), D (other) and ts_rank().

Services call `index_dataset()` after every write, inside the write's transaction, so the index never
disagrees with what was committed.
"""

from __future__ import annotations

import re
import uuid

from django.apps import apps
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
            key = _sqlite_key(cursor, dataset.pk.hex)
            cursor.execute("DELETE FROM catalogue_search WHERE rowid = %s", [key])
            cursor.execute(
                "INSERT INTO catalogue_search (rowid, dataset_id, title, tags, notes, other) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [key, dataset.pk.hex, doc["title"], doc["tags"], doc["notes"], doc["other"]],
            )


def _sqlite_key(cursor, dataset_hex: str) -> int:
    """The dataset's key in catalogue_search_key (migration 0006), made on its first indexing."""
    cursor.execute("INSERT OR IGNORE INTO catalogue_search_key (dataset_id) VALUES (%s)", [dataset_hex])
    cursor.execute("SELECT key FROM catalogue_search_key WHERE dataset_id = %s", [dataset_hex])
    return cursor.fetchone()[0]


def remove_dataset(dataset_id: uuid.UUID) -> None:
    """Drop a dataset's entry (when the dataset itself is deleted, e.g. by staff in the admin)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DELETE FROM catalogue_search WHERE dataset_id = %s", [dataset_id])
            return
        cursor.execute(
            "DELETE FROM catalogue_search WHERE rowid IN "
            "(SELECT key FROM catalogue_search_key WHERE dataset_id = %s)",
            [dataset_id.hex],
        )
        cursor.execute("DELETE FROM catalogue_search_key WHERE dataset_id = %s", [dataset_id.hex])


def rebuild_index() -> int:
    """Index every dataset again (after a bulk load, or to repair the index); returns how many."""
    datasets = Dataset.objects.select_related("organisation").prefetch_related(
        "tags", "themes", "extras", "resources"
    )
    count = 0
    for dataset in datasets.iterator(chunk_size=500):
        index_dataset(dataset)
        count += 1
    if connection.vendor == "postgresql":
        _analyse_catalogue_tables()
    return count


def _analyse_catalogue_tables() -> None:
    """PostgreSQL: fresh statistics for the index and every catalogue table a search joins. After a bulk
    load the planner otherwise guesses one row per table until autovacuum comes round (on 10,000
    datasets: nested loops where hash joins take a third of the time)."""
    tables = ["catalogue_search"]
    for model in apps.get_app_config("catalogue").get_models(include_auto_created=True):
        tables.append(model._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


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
        sql = (
            "SELECT k.dataset_id FROM catalogue_search "
            "JOIN catalogue_search_key k ON k.key = catalogue_search.rowid WHERE catalogue_search MATCH %s"
        )
    return RawSQL(sql, [query])  # noqa: S611 - fixed SQL; the user's text is a bound parameter


def ranked_ids(
    text: str, candidates: QuerySet, order: list[tuple[str, bool]], start: int, rows: int
) -> tuple[list[uuid.UUID], int | None]:
    """One page of the ids of `candidates` matching `text`, best first, ranked by the engine itself
    (bm25 / ts_rank) so only the page leaves the database, and how many match in all (counted by
    the same full-text match; None when the page is empty, so nothing carried the count). `order` is
    [(column, descending)], where the column "score" is the relevance; the others are columns of
    catalogue_dataset."""
    query = _engine_query(text)
    if not query:
        return [], 0
    postgres = connection.vendor == "postgresql"
    # The matches with what they are ordered by, then the page and the count over all of them in an
    # outer query: FTS5 refuses bm25() in a query with a window function.
    columns, terms = ["d.id AS id"], []
    for position, (column, descending) in enumerate(order):
        if column == "score":
            if postgres:
                # ts_rank() is higher for better matches. It weighs how often the words occur in each
                # weighted part, as Solr's scoring does; ts_rank_cd() also measures how close together
                # they are, which took twice as long over thousands of matches (and means nothing for
                # the one-word queries most people type).
                columns.append(f"ts_rank(catalogue_search.document, q) AS k{position}")
                terms.append(f"k{position} {'DESC' if descending else 'ASC'}")
            else:  # bm25() is lower for better matches
                columns.append(f"{_BM25} AS k{position}")
                terms.append(f"k{position} {'ASC' if descending else 'DESC'}")
        else:
            columns.append(f'd."{column}" AS k{position}')
            terms.append(f"k{position} {'DESC' if descending else 'ASC'}")
    columns.append('d."name" AS tiebreak')
    terms.append("tiebreak ASC")
    # The candidates without the model's default ordering (sorting them for a join is wasted work).
    # Their filters (permissions, fq) reach many-valued relations only through IN subqueries, so each
    # candidate is one row.
    candidates = candidates.order_by()
    if postgres:
        # The candidates as a table of the columns used, which PostgreSQL joins in one pass over the
        # datasets (an IN list beside the dataset table took two). OFFSET 0 keeps the matches whole, so
        # each rank is worked out once, before the count; flattened, every matching document was carried
        # through the window to be ranked after it (and spilled to disk beyond work_mem).
        used = dict.fromkeys(["id", *(column for column, _ in order if column != "score"), "name"])
        sub_sql, sub_params = candidates.values(*used).query.sql_with_params()
        matches = (
            f"SELECT {', '.join(columns)} FROM catalogue_search "  # noqa: S608 - columns are ours
            f"JOIN ({sub_sql}) d ON d.id = catalogue_search.dataset_id, "
            "websearch_to_tsquery('english', %s) q WHERE catalogue_search.document @@ q OFFSET 0"
        )
        params = [*sub_params, query]
    else:
        # SQLite keeps the IN list: given the candidates as a table, it may read the datasets first and
        # run the full-text match once for each.
        sub_sql, sub_params = candidates.values("id").query.sql_with_params()
        matches = (
            f"SELECT {', '.join(columns)} FROM catalogue_search "  # noqa: S608 - columns are ours
            "JOIN catalogue_search_key k ON k.key = catalogue_search.rowid "
            "JOIN catalogue_dataset d ON d.id = k.dataset_id WHERE catalogue_search MATCH %s "
            f"AND d.id IN ({sub_sql})"
        )
        params = [query, *sub_params]
    sql = (
        f"SELECT id, COUNT(*) OVER () FROM ({matches}) AS matches "  # noqa: S608 - columns are ours
        f"ORDER BY {', '.join(terms)} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, rows, start])
        found = cursor.fetchall()
    ids = [value if isinstance(value, uuid.UUID) else uuid.UUID(value) for value, _ in found]
    return ids, (found[0][1] if found else None)


# Column weights: dataset_id (not indexed) 0, title 10, tags 5, notes 2, other 1.
_BM25 = "bm25(catalogue_search, 0, 10.0, 5.0, 2.0, 1.0)"

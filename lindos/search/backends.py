"""The one SQL query per search kind and database: ids of the matching
rows the searcher may read, at most ``CAP + 1`` of them.

What the searcher may read (``readable_repositories``) is a condition of
the query itself, never a filter applied to what came back: a count or a
page can't reveal that a private repository holds a match.  The query
stops after ``CAP + 1`` rows, so a term found in half of all files costs
no more than a rare one; the page then says "more than CAP".
"""

from __future__ import annotations

from django.db import connection

from lindos.search.terms import Query, fts5_phrase, like_pattern

#: Results counted and paged at most; a search finding more says so.
CAP = 1000

#: The expression migration 0002 indexes commits by (PostgreSQL uses the
#: index only for this exact expression).
COMMIT_TSVECTOR = "to_tsvector('simple'::regconfig, message || ' ' || author)"

# (table, text columns) per kind.
_TABLES = {
    "content": ("search_blob", ("content",)),
    "path": ("search_path", ("path",)),
    "commit": ("search_commit", ("message", "author")),
}


def readable_sql(user, repository=None) -> tuple[str, list]:
    """``t.repository_id IN (...)`` for the repositories ``user`` may read
    (and only ``repository`` when given)."""
    from lindos.repos.permissions import readable_repositories

    readable = readable_repositories(user).order_by().values("pk")
    if repository is not None:
        readable = readable.filter(pk=repository.pk)
    sql, params = readable.query.sql_with_params()
    return f"t.repository_id IN ({sql})", list(params)


def matching_ids(query: Query, user, repository=None, cap: int = CAP) -> list[int]:
    """Ids of the rows (``SearchBlob``, ``SearchPath`` or ``SearchCommit``
    by ``query.kind``) matching every term, readable by ``user``."""
    if query.problem or not query.terms:
        return []
    table, columns = _TABLES[query.kind]
    allowed, allowed_params = readable_sql(user, repository)
    vendor = connection.vendor
    if vendor == "sqlite":
        sql, params = _sqlite(query, table, columns)
    elif vendor == "postgresql":
        sql, params = _postgresql(query, table, columns)
    else:
        sql, params = _scan(query, table, columns)
    sql = f"{sql} AND {allowed} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *allowed_params, cap + 1])
        return [row[0] for row in cursor.fetchall()]


def _sqlite(query: Query, table: str, columns) -> tuple[str, list]:
    fts = f"{table}_fts"
    words = query.terms if query.kind == "commit" else query.indexed_terms
    match = " AND ".join(fts5_phrase(term) for term in words)
    # The FTS table drives the join (its MATCH is the selective part), so
    # LIMIT stops the scan early.
    sql = f"SELECT t.id FROM {fts} JOIN {table} t ON t.id = {fts}.rowid WHERE {fts} MATCH %s"
    params = [match]
    if query.kind != "commit":
        for term in query.filter_terms:
            sql += f" AND t.{columns[0]} LIKE %s ESCAPE '\\'"
            params.append(like_pattern(term))
    return sql, params


def _postgresql(query: Query, table: str, columns) -> tuple[str, list]:
    if query.kind == "commit":
        conditions = [f"{COMMIT_TSVECTOR} @@ phraseto_tsquery('simple'::regconfig, %s)"] * len(query.terms)
        return f"SELECT t.id FROM {table} t WHERE " + " AND ".join(conditions), list(query.terms)
    # ILIKE '%term%' is what the pg_trgm GIN index answers.
    conditions = [f"t.{columns[0]} ILIKE %s"] * len(query.terms)
    return f"SELECT t.id FROM {table} t WHERE " + " AND ".join(conditions), [
        like_pattern(t) for t in query.terms
    ]


def _scan(query: Query, table: str, columns) -> tuple[str, list]:
    """MariaDB/MySQL: no index, LIKE on every row (their default collations
    compare case-insensitively)."""
    conditions, params = [], []
    for term in query.terms:
        either = " OR ".join(f"t.{column} LIKE %s" for column in columns)
        conditions.append(f"({either})")
        params += [like_pattern(term)] * len(columns)
    return f"SELECT t.id FROM {table} t WHERE " + " AND ".join(conditions), params

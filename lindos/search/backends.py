"""The one SQL query per search kind and database: ids of the matching
rows the searcher may read, at most ``CAP + 1`` of them.

What the searcher may read (``readable_repositories``) is a condition of
the query itself (a subquery, or on PostgreSQL the list of those
repositories' ids), never a filter applied to what came back: a count or a
page can't reveal that a private repository holds a match.  The query
stops after ``CAP + 1`` rows, so a term found in half of all files costs
no more than a rare one; the page then says "more than CAP".
"""

from __future__ import annotations

from django.db import connection, transaction

from lindos.search.terms import Query, fts5_phrase, like_pattern, regex_literal

#: Results counted and paged at most; a search finding more says so.
CAP = 1000
#: PostgreSQL: a searcher reading at most this many repositories has the
#: match look in their rows only (see ``_postgresql_ids``).
FEW_REPOSITORIES = 50

#: The expression migration 0002 indexes commits by (PostgreSQL uses the
#: index only for this exact expression).
COMMIT_TSVECTOR = (
    "to_tsvector('simple'::regconfig, regexp_replace(message || ' ' || author, '[^[:alnum:]]+', ' ', 'g'))"
)

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
    vendor = connection.vendor
    if vendor == "postgresql":
        return _postgresql_ids(query, table, columns, user, repository, cap)
    if vendor == "sqlite":
        sql, params = _sqlite(query, table, columns)
        if repository is not None:
            sql, params = _sqlite_rowid_range(sql, params, table, repository)
    else:
        sql, params = _scan(query, table, columns)
    allowed, allowed_params = readable_sql(user, repository)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} AND {allowed} LIMIT %s", [*params, *allowed_params, cap + 1])
        return [row[0] for row in cursor.fetchall()]


def _postgresql_ids(query: Query, table: str, columns, user, repository, cap: int) -> list[int]:
    """PostgreSQL's planner does not count the cost of reading out-of-line
    text, so with a LIMIT or a join it prefers reading every content to
    the trigram index: seconds instead of milliseconds.  So the match
    stands alone in a CTE, planned with index bitmaps only (the one index
    that can answer it), and the readable repositories are a list of ids
    filtering its rows as they stream, so LIMIT stops the scan early."""
    from lindos.repos.permissions import readable_repositories

    readable = readable_repositories(user).order_by()
    if repository is not None:
        readable = readable.filter(pk=repository.pk)
    repository_ids = list(readable.values_list("pk", flat=True))
    if not repository_ids:
        return []
    sql, params = _postgresql(query, table, columns)
    if repository is not None:
        # One repository: the index holds repository and text together.
        # Typed as the column is: btree_gin compares bigint with bigint only.
        sql += " AND t.repository_id = %s::bigint"
        params.append(repository.pk)
    elif len(repository_ids) <= FEW_REPOSITORIES:
        # A few repositories: their rows (a bitmap of the repository index)
        # are fewer than the candidates of a common term everywhere.
        sql += " AND t.repository_id = ANY(%s::bigint[])"
        params.append(repository_ids)
    sql = f"WITH m AS MATERIALIZED ({sql}) SELECT m.id FROM m WHERE m.repository_id = ANY(%s::bigint[]) LIMIT %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(sql, [*params, repository_ids, cap + 1])
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


def _sqlite_rowid_range(sql: str, params: list, table: str, repository) -> tuple[str, list]:
    """One repository's rows lie between its smallest and largest id (all
    of them when it was indexed in one go): FTS5 seeks to that range
    instead of walking every repository's matches of a common term."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {table} WHERE repository_id = %s", [repository.pk])
        low, high = cursor.fetchone()
    if low is None:
        return sql + " AND 0", params
    return f"{sql} AND {table}_fts.rowid BETWEEN %s AND %s", [*params, low, high]


def _postgresql(query: Query, table: str, columns) -> tuple[str, list]:
    if query.kind == "commit":
        phrase = "phraseto_tsquery('simple'::regconfig, regexp_replace(%s, '[^[:alnum:]]+', ' ', 'g'))"
        conditions = [f"{COMMIT_TSVECTOR} @@ {phrase}"] * len(query.terms)
        return f"SELECT t.id, t.repository_id FROM {table} t WHERE " + " AND ".join(conditions), list(
            query.terms
        )
    # The pg_trgm GIN index answers ILIKE and ~* alike; checking a
    # candidate, ~* stops at the first match where ILIKE folds the case of
    # the whole text first (7 times slower on a term found everywhere).
    conditions = [f"t.{columns[0]} ~* %s"] * len(query.terms)
    return f"SELECT t.id, t.repository_id FROM {table} t WHERE " + " AND ".join(conditions), [
        regex_literal(t) for t in query.terms
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

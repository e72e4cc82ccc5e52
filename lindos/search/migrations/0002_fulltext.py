"""Full-text indexes over the search tables, one kind per database.

SQLite: FTS5 tables over the stored text (``content=``, so the text is
kept once), kept in step by triggers; trigram tokens for contents and
paths (substrings of code, case-insensitive), word tokens for commit
messages and authors.  PostgreSQL: pg_trgm GIN indexes for contents and
paths (``ILIKE '%term%'`` and ``~*`` use them), a tsvector GIN index for
commits.
Other databases (MariaDB/MySQL) get none: search scans the tables there.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_blob_fts USING fts5(
        content, content='search_blob', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER search_blob_ai AFTER INSERT ON search_blob BEGIN
        INSERT INTO search_blob_fts(rowid, content) VALUES (new.id, new.content); END""",
    """CREATE TRIGGER search_blob_ad AFTER DELETE ON search_blob BEGIN
        INSERT INTO search_blob_fts(search_blob_fts, rowid, content) VALUES ('delete', old.id, old.content); END""",
    """CREATE TRIGGER search_blob_au AFTER UPDATE OF content ON search_blob BEGIN
        INSERT INTO search_blob_fts(search_blob_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO search_blob_fts(rowid, content) VALUES (new.id, new.content); END""",
    """CREATE VIRTUAL TABLE search_path_fts USING fts5(
        path, content='search_path', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER search_path_ai AFTER INSERT ON search_path BEGIN
        INSERT INTO search_path_fts(rowid, path) VALUES (new.id, new.path); END""",
    """CREATE TRIGGER search_path_ad AFTER DELETE ON search_path BEGIN
        INSERT INTO search_path_fts(search_path_fts, rowid, path) VALUES ('delete', old.id, old.path); END""",
    """CREATE TRIGGER search_path_au AFTER UPDATE OF path ON search_path BEGIN
        INSERT INTO search_path_fts(search_path_fts, rowid, path) VALUES ('delete', old.id, old.path);
        INSERT INTO search_path_fts(rowid, path) VALUES (new.id, new.path); END""",
    """CREATE VIRTUAL TABLE search_commit_fts USING fts5(
        message, author, content='search_commit', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_commit_ai AFTER INSERT ON search_commit BEGIN
        INSERT INTO search_commit_fts(rowid, message, author) VALUES (new.id, new.message, new.author); END""",
    """CREATE TRIGGER search_commit_ad AFTER DELETE ON search_commit BEGIN
        INSERT INTO search_commit_fts(search_commit_fts, rowid, message, author)
        VALUES ('delete', old.id, old.message, old.author); END""",
    """CREATE TRIGGER search_commit_au AFTER UPDATE OF message, author ON search_commit BEGIN
        INSERT INTO search_commit_fts(search_commit_fts, rowid, message, author)
        VALUES ('delete', old.id, old.message, old.author);
        INSERT INTO search_commit_fts(rowid, message, author) VALUES (new.id, new.message, new.author); END""",
]

SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS search_blob_fts",
    "DROP TABLE IF EXISTS search_path_fts",
    "DROP TABLE IF EXISTS search_commit_fts",
    *[
        f"DROP TRIGGER IF EXISTS search_{table}_{when}"
        for table in ("blob", "path", "commit")
        for when in ("ai", "ad", "au")
    ],
]

#: The expression the commit index is built on; ``backends`` queries the
#: same.  Words are runs of letters and digits, as SQLite's unicode61
#: tokenizer cuts them (the 'simple' parser alone would keep an e-mail
#: address or a dotted name as one word).
COMMIT_TSVECTOR = (
    "to_tsvector('simple'::regconfig, regexp_replace(message || ' ' || author, '[^[:alnum:]]+', ' ', 'g'))"
)

POSTGRESQL = [
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may
    # create it without being a superuser.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Contents are read whole to check each candidate a trigram index
    # finds: kept uncompressed, reading them is not pglz's 40 MB/s.
    "ALTER TABLE search_blob ALTER COLUMN content SET STORAGE EXTERNAL",
    # btree_gin (trusted as well) lets one index hold the repository too:
    # a search in one repository then checks only that repository's
    # candidates, not every repository's.
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX search_blob_trgm ON search_blob USING gin (repository_id, content gin_trgm_ops)",
    "CREATE INDEX search_path_trgm ON search_path USING gin (repository_id, path gin_trgm_ops)",
    f"CREATE INDEX search_commit_tsv ON search_commit USING gin ({COMMIT_TSVECTOR})",
]

POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_blob_trgm",
    "DROP INDEX IF EXISTS search_path_trgm",
    "DROP INDEX IF EXISTS search_commit_tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]

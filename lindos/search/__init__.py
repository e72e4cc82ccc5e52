"""Full-text search of file contents, file paths and commit messages.

What is indexed (``indexer``): the tip of every branch of every
repository (a file's content once per repository however many branches
hold it, keyed by its blob id), text files up to ``MAX_FILE_BYTES``
(binary files and bigger ones are found by path only), and every commit
message with its author.  The background worker brings a repository's
index up to date after each push (``queue``), reading only the files that
changed; ``lindos search-reindex`` rebuilds everything.

How it is searched (``backends``): SQLite FTS5 (trigram tokens for code
and paths, word tokens for commit messages) on the embedded default,
PostgreSQL's pg_trgm and tsvector indexes at scale, a plain scan
elsewhere.  The user's text is never handed to a query language: it is
cut into literal terms (``terms``) that every result must contain, and
what a searcher may read is a condition of the same SQL query, so counts
and pages never reveal a private repository.
"""

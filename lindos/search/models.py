"""The search index, as ordinary tables (the full-text indexes over them
are made by migration 0002 for each database).

One row per distinct path (``SearchPath``) and per distinct text content
(``SearchBlob``) of a repository, and one ``SearchFile`` row per file of
each branch tip tying a path to its content: a file that is the same on
ten branches is read, stored and indexed once.  Every row names its
repository, so deleting the repository deletes its index; nothing stores
the repository's name, so a rename needs no update.
"""

from django.db import models

from lindos.repos.models import Repository


class SearchPath(models.Model):
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+")
    path = models.TextField()

    class Meta:
        db_table = "search_path"
        constraints = [models.UniqueConstraint(fields=["repository", "path"], name="search_path_unique")]


class SearchBlob(models.Model):
    """One text content, found by content search."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+")
    #: The backend's id of the content (git blob id, hg filenode).
    blob_hex = models.CharField(max_length=64)
    content = models.TextField()

    class Meta:
        db_table = "search_blob"
        constraints = [models.UniqueConstraint(fields=["repository", "blob_hex"], name="search_blob_unique")]


class SearchFile(models.Model):
    """A file at the indexed tip of one branch."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+")
    branch = models.CharField(max_length=255)
    # DO_NOTHING and no database constraint: these rows are deleted with
    # their repository in one statement, never one by one through the
    # path or the content they point at.
    path = models.ForeignKey(SearchPath, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    #: None for a file found by path only (binary, too big, a symlink).
    blob = models.ForeignKey(
        SearchBlob, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    blob_hex = models.CharField(max_length=64)

    class Meta:
        db_table = "search_file"
        constraints = [
            models.UniqueConstraint(fields=["repository", "branch", "path"], name="search_file_unique")
        ]
        indexes = [
            models.Index(fields=["blob"], name="search_file_blob"),
            models.Index(fields=["path"], name="search_file_path"),
        ]


class SearchCommit(models.Model):
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+")
    changeset_id = models.CharField(max_length=64)
    author = models.TextField()
    message = models.TextField()
    date = models.DateTimeField()

    class Meta:
        db_table = "search_commit"
        constraints = [
            models.UniqueConstraint(fields=["repository", "changeset_id"], name="search_commit_unique")
        ]


class SearchState(models.Model):
    """What the index holds of a repository: ``{branch: tip id}``."""

    repository = models.OneToOneField(Repository, on_delete=models.CASCADE, related_name="+")
    branches = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_state"

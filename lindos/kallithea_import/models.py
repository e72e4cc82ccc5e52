"""What an import from Kallithea made, so a rerun can find it again."""

from django.db import models


class ImportRun(models.Model):
    """One run of ``lindos import-kallithea``: where from, and its summary."""

    source = models.CharField(max_length=1000)  # the Kallithea ini file
    schema_version = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class ImportedObject(models.Model):
    """A Kallithea row (``kind``, its id there) and the Lindos row made from it.

    ``kind`` names the Kallithea table's meaning (``user``, ``repository``,
    ``comment``...), ``new_id`` the primary key of the Lindos row.  Comment
    and pull request ids are kept where they are free, so Kallithea's links
    (``#comment-ID``, ``/REPO/pull-request/N``) resolve as they were; this
    map is where an id that could not be kept is found.
    """

    kind = models.CharField(max_length=32)
    old_id = models.BigIntegerField()
    new_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "old_id"], name="imported_object_once")]
        indexes = [models.Index(fields=["kind", "new_id"], name="imported_object_new")]

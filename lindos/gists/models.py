"""The gist row: who owns it, how it is reached, when it expires.

Kallithea's rules, kept: a public gist's ``access_id`` is its number (the
row's id, as text), a private one's is random and unguessable
(``storage.make_access_id``), and a gist is only ever found by its
``access_id`` on the pages, so a private gist is reachable by its link only.
An expired gist is gone for everyone (``live``), though its row and folder
stay until deleted, as in Kallithea.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

PUBLIC = "public"
PRIVATE = "private"
KINDS = (PUBLIC, PRIVATE)


class GistQuerySet(models.QuerySet):
    def live(self, now: datetime.datetime | None = None):
        """Gists that have not expired."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Gist(models.Model):
    access_id = models.CharField(max_length=250, unique=True)
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gists")
    gist_type = models.CharField(max_length=16, choices=[(k, k) for k in KINDS], default=PUBLIC)
    #: None: never expires (Kallithea's -1).
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = GistQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"gist {self.access_id}"

    @property
    def is_public(self) -> bool:
        return self.gist_type == PUBLIC

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def expires_timestamp(self) -> float:
        """Kallithea's ``gist_expires``: seconds since the epoch, -1 for never."""
        return -1 if self.expires_at is None else self.expires_at.timestamp()

    def get_absolute_url(self) -> str:
        return f"/_admin/gists/{self.access_id}"

    def url(self, base: str) -> str:
        """The gist's link as given out: ``gist_alias_url`` with the ID in
        place of ``{gistid}`` if set (Kallithea's key), else ``base`` (the
        site's address) and the gist's page."""
        alias = settings.LINDOS.gist_alias_url
        if alias:
            return alias.replace("{gistid}", self.access_id)
        return base + self.get_absolute_url()

    def may_change(self, user) -> bool:
        """Its owner and the admins edit and delete a gist (Kallithea's rule)."""
        return bool(user.is_authenticated and (user.is_superuser or user.pk == self.owner_id))

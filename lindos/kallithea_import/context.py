"""What every import step shares: the source, the id map and the summary."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class Summary:
    """Counts per kind, rows skipped (with why), and what Lindos has no place for."""

    imported: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    already: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, row, why
    not_imported: list[tuple[str, int, str]] = field(default_factory=list)  # kind, rows, why

    def skip(self, kind: str, row: str, why: str) -> None:
        self.skipped.append((kind, row, why))

    def leave(self, kind: str, rows: int, why: str) -> None:
        if rows:
            self.not_imported.append((kind, rows, why))

    def as_json(self) -> dict:
        return {
            "imported": dict(self.imported),
            "already": dict(self.already),
            "skipped": [list(s) for s in self.skipped],
            "not_imported": [list(n) for n in self.not_imported],
        }


class IdMap:
    """Kallithea id -> Lindos id, per kind; what a step adds is saved with
    ``ImportedObject`` rows (``pending``) at the end of the step."""

    def __init__(self):
        self._maps: dict[str, dict[int, int]] = defaultdict(dict)
        self.pending: list[tuple[str, int, int]] = []

    def load(self):
        from lindos.kallithea_import.models import ImportedObject

        for kind, old, new in ImportedObject.objects.values_list("kind", "old_id", "new_id").iterator():
            self._maps[kind][old] = new

    def get(self, kind: str, old_id) -> int | None:
        return self._maps[kind].get(old_id) if old_id is not None else None

    def has(self, kind: str, old_id) -> bool:
        return old_id in self._maps[kind]

    def add(self, kind: str, old_id: int, new_id: int) -> None:
        self._maps[kind][old_id] = new_id
        self.pending.append((kind, old_id, new_id))

    def flush(self):
        from lindos.kallithea_import.models import ImportedObject

        if self.pending:
            ImportedObject.objects.bulk_create(
                [ImportedObject(kind=k, old_id=o, new_id=n) for k, o, n in self.pending], batch_size=2000
            )
            self.pending = []


@dataclass
class ImportContext:
    db: object  # source.KallitheaDatabase
    kallithea_base_path: str
    lindos_base_path: str
    summary: Summary
    ids: IdMap
    progress: object  # progress.Progress
    merge: bool = False
    #: Kallithea's default user (anonymous visitors), not a Lindos account.
    default_user_id: int | None = None


def aware(value) -> datetime.datetime | None:
    """A Kallithea timestamp as an aware datetime.

    Kallithea stored ``datetime.now()``: naive, in the server's local time
    (SQLite gives it back as text).  The import is expected to run on the
    machine Kallithea ran on, so naive times are read in its local zone.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value.strip())
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_naive(value):
        value = value.astimezone()  # local time, as Kallithea wrote it
    return value.astimezone(datetime.UTC)


def truthy(value) -> bool:
    """Booleans as each database gives them back (0/1, True/False, 't')."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "t", "true", "yes", "on")
    return bool(value)

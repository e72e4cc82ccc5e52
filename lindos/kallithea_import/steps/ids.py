"""Keeping Kallithea's ids for the rows whose id is in a URL."""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection


def free_ids(model, wanted: list[int]) -> set[int]:
    """Which of ``wanted`` no row of ``model`` uses yet."""
    used = set()
    for i in range(0, len(wanted), 900):
        used |= set(model.objects.filter(pk__in=wanted[i : i + 900]).values_list("pk", flat=True))
    return set(wanted) - used


def pks_by(model, field: str, values) -> dict:
    """``{value of field: pk}`` for the rows just made, read back in chunks
    (MySQL's bulk insert returns no ids; SQLite takes at most 32766
    parameters in one query)."""
    values = list(dict.fromkeys(values))
    out = {}
    for i in range(0, len(values), 900):
        chunk = values[i : i + 900]
        out.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, "pk"))
    return out


def reset_sequences(*models) -> None:
    """After inserting explicit ids: PostgreSQL's sequences would hand out
    the same ids again (SQLite and MySQL move on by themselves)."""
    sql = connection.ops.sequence_reset_sql(no_style(), list(models))
    if sql:
        with connection.cursor() as cur:
            for statement in sql:
                cur.execute(statement)

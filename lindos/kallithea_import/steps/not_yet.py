"""Kallithea objects Lindos has no place for yet, counted in the summary.

When Lindos gains one of these, its import becomes a step of its own in
``STEPS`` and its line leaves this list.
"""

from __future__ import annotations

from lindos.kallithea_import.context import ImportContext

KIND = "not imported"

#: table -> (what it holds, why it is not imported)
WAITING = {
    "repositories_fields": ("extra repository fields", "Lindos has no extra repository fields"),
    "statistics": ("repository statistics", "Lindos computes its own"),
}


def run(ctx: ImportContext) -> None:
    ctx.progress.start(KIND, len(WAITING))
    for table, (what, why) in WAITING.items():
        ctx.progress.advance()
        ctx.summary.leave(what, ctx.db.count(table), why)
    ctx.progress.finish()

"""Template helpers for review: ``{% load review %}``.

``{% changeset_statuses repo rows as statuses %}`` gives the changelog the
latest votes for the changesets listed (one query); ``statuses|votes_for:id``
picks one changeset's votes, ``status_label`` names a status.
"""

from django import template

from lindos.review.statuses import status_label as _label
from lindos.review.statuses import statuses_for, summary_status

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return _label(status) if status else ""


@register.simple_tag
def changeset_statuses(repo, rows) -> dict:
    """{changeset id: [Vote]} for changelog rows (dicts with ``cs``, or changesets)."""
    ids = [getattr(r.get("cs") if isinstance(r, dict) else r, "id", None) for r in rows]
    return statuses_for(repo, [i for i in ids if i])


@register.filter
def votes_for(statuses: dict, changeset_id: str) -> list:
    return statuses.get(changeset_id, []) if statuses else []


@register.filter
def overall(votes) -> str:
    return summary_status(votes or [])

"""Template helpers for review: ``{% load review %}``.

``{% changeset_statuses repo rows as statuses %}`` gives the changelog the
latest votes for the changesets listed (one query); ``statuses|votes_for:id``
picks one changeset's votes, ``status_label`` names a status;
``{% change_rows rows statuses %}`` writes a changeset list's rows with
each row's review badge.
"""

from django import template
from django.utils.html import conditional_escape as esc

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


def status_badge_html(votes, url: str) -> str:
    """A changelog row's review badge: the overall status, linked to the
    changeset's comments, each voter's vote in its title ('' without votes)."""
    if not votes:
        return ""
    status = summary_status(votes)
    title = ", ".join(f"{esc(v.display_name)}: {esc(v.label)}" for v in votes)
    return (
        f' <a class="badge status-{esc(status)} review-status" href="{esc(url)}#comments" '
        f'title="{title}">{esc(status_label(status))}</a>'
    )


@register.simple_tag
def change_rows(rows, statuses):
    """The rows of repos/browse/_changes_table.html, with review badges."""
    from lindos.repos.browse.rows import render_change_rows

    return render_change_rows(
        rows, lambda row: status_badge_html(votes_for(statuses, row["cs"].id), row["url"])
    )

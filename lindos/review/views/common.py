"""What the changeset and pull request pages share: comment rows ready
for a template, the vote list, and the answer to a comment POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from lindos.review.actions.comments import can_delete
from lindos.review.markup import render_markdown
from lindos.review.models import Status


def comment_rows(comments, user) -> list[dict]:
    """Each comment with its rendered text, the status it set and whether
    `user` may delete it."""
    rows = []
    for c in comments:
        change = next(iter(c.status_changes.all()), None)
        rows.append(
            {
                "c": c,
                "html": render_markdown(c.text),
                "status": change.status if change else "",
                "status_label": Status(change.status).label if change else "",
                "can_delete": can_delete(user, c),
            }
        )
    return rows


def split_inline(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(general, inline) comments; inline ones ordered by file and line."""
    general = [r for r in rows if not r["c"].is_inline]
    inline = sorted(
        (r for r in rows if r["c"].is_inline),
        key=lambda r: (r["c"].path, r["c"].side, r["c"].line or 0, r["c"].pk),
    )
    return general, inline


def form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def refuse(request, back: str, message: str):
    """Back to the page with the reason shown (posting works without
    JavaScript, so errors travel as a flash message)."""
    messages.error(request, message)
    return HttpResponseRedirect(back)


def validation_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)

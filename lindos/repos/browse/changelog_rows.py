"""The changelog's table rows, built as one HTML string.

A template loop over a page of 100 (up to 2,000) rows spent most of the
changelog's time in Django's template engine (its ``date`` filter alone
was a quarter of the page), so the rows are built here, every value
escaped (``html.escape``, quotes included), and the template inserts them. What a row shows is the same as
``_changes_table.html``'s: id, message (linking to the changeset), author,
date in the site's time zone, branch and tags, the hg phase of drafts, and
the review status badge, rendered by the review app's own template for
the few rows that have votes.
"""

from __future__ import annotations

from html import escape

from django.utils import timezone

from lindos.review.statuses import statuses_for
from lindos.review.templatetags.review import status_badge_html, votes_for

from . import links


def truncate(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters with an ellipsis, as Django's
    ``truncatechars`` (its Truncator costs more than the rest of a row)."""
    return text if len(text) <= length else text[: length - 1] + "…"


def _date_cell(date, tz) -> str:
    local = date.astimezone(tz) if date.utcoffset() is not None else date
    return (
        f'<td class="nowrap" title="{local.strftime("%Y-%m-%d %H:%M:%S %z")}">'
        f"{local.strftime('%Y-%m-%d %H:%M')}</td>"
    )


def _refs_cell(row: dict, changelog_url: str) -> str:
    out = []
    if row["branch"]:
        href = f"{changelog_url}?branch={links.q(row['branch'])}"
        out.append(f'<a class="badge" href="{escape(href)}">{escape(row["branch"])}</a>')
    out.extend(f'<span class="badge badge-ok">{escape(tag)}</span>' for tag in row["tags"])
    return "<td>" + " ".join(out) + "</td>"


def render_changelog_rows(repo, rows: list[dict], *, graph: bool, changelog_url: str) -> str:
    """``<tr>`` elements for ``rows`` (from ``common.changeset_row``; a
    ``diff_url`` adds a diff link), one query for the review statuses."""
    statuses = statuses_for(repo, [row["cs"].id for row in rows])
    tz = timezone.get_current_timezone()  # once: each lookup goes through a context-local
    out = []
    for index, row in enumerate(rows):
        cs_id = row["cs"].id
        url = escape(row["url"])
        message = escape(truncate(row["summary"], 120))
        first = f'<td class="mono"><a href="{url}">{row["short_id"]}</a>'
        if row.get("diff_url"):
            first += f' <a class="meta" href="{escape(row["diff_url"])}">diff</a>'
        extra = ""
        if row["phase"] and row["phase"] != "public":
            extra += f' <span class="badge phase-{escape(row["phase"])}" title="Mercurial phase">{escape(row["phase"])}</span>'
        if cs_id in statuses:
            extra += status_badge_html(votes_for(statuses, cs_id), row["url"])
        cells = [
            f'<tr class="changelog-row" data-row="{index}" id="cs-{cs_id}">',
            '<td class="graph-col"></td>' if graph else "",
            first + "</td>",
            f'<td class="message"><a class="message-link" href="{url}">{message}</a>{extra}</td>',
            f'<td title="{escape(row["author_full"])}">{escape(row["author"])}</td>',
            _date_cell(row["date"], tz),
            _refs_cell(row, changelog_url),
            "</tr>",
        ]
        out.append("\n".join(cells))
    return "\n".join(out)

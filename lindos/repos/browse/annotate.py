"""``/REPO/annotate/REV/PATH``: each line of a file with the changeset that
last changed it (linked), its author and date.

Blame is the slowest thing the browser asks of a repository, and its answer
for a given changeset and path never changes, so it is cached under the
changeset id and path, stored as runs of consecutive lines from the same
changeset (what the page shows, and much smaller than one row per line).
"""

from __future__ import annotations

from django.core.cache import cache
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import links, memo
from .common import base_context, open_browse, repository_not_found_page
from .files import DISPLAY_LIMIT, escape_key, file_header
from .highlight import highlight_state, lexer_name
from .revisions import get_file_or_404, split_rev_path

_CACHE_VERSION = 1


def annotate_runs(cs, path: str) -> list[tuple]:
    """``[(first_line, count, changeset_id, author, date), ...]`` for the
    file, from the cache when this changeset and path were seen before."""
    key = f"lindos:blame:{_CACHE_VERSION}:{cs.repository.kind}:{cs.id}:{escape_key(path)}"
    runs = cache.get(key)
    if runs is None:
        runs = []
        for line in cs.annotate(path):
            if runs and runs[-1][2] == line.changeset_id:
                first, count, *rest = runs[-1]
                runs[-1] = (first, count + 1, *rest)
            else:
                runs.append((line.line_no, 1, line.changeset_id, line.author, line.date))
        cache.set(key, runs)
    return runs


def _author_name(author: str) -> str:
    from lindos.vcs.text import split_author

    return split_author(author)[0]


def annotated_rows(repo_name: str, runs: list[tuple], lines: list[str]) -> str:
    """Table rows: the changeset, author and date on the first line of each
    run, then the numbered, highlighted line."""
    out = []
    # A 5,000-line file has a thousand runs from a few hundred changesets:
    # each changeset's cell content is built once (its link, escaping and
    # author parsing were most of a warm annotate page).
    cells: dict[tuple, str] = {}
    for first, count, cs_id, author, date in runs:
        cell = cells.get((cs_id, author, date))
        if cell is None:
            url = links.changeset_url(repo_name, cs_id)
            cell = cells[(cs_id, author, date)] = (
                f'<a class="mono" href="{url}">'
                f'{cs_id[:12]}</a> <span title="{escape(author)}">'
                f"{escape(_author_name(author))}</span> "
                f'<span class="meta">{date:%Y-%m-%d}</span></td>'
            )
        info = f'<td class="blame" rowspan="{count}">{cell}'
        for n in range(first, first + count):
            html = lines[n - 1] if 0 < n <= len(lines) else ""
            out.append(
                f'<tr id="L{n}">{info}<td class="ln"><a href="#L{n}">{n}</a>'
                f'</td><td class="line">{html}</td></tr>'
            )
            info = ""
    return "\n".join(out)


@repository_not_found_page("files")
def annotate(request, repo_name: str, rest: str):
    browse = open_browse(request, repo_name)
    cs, rev_text, path = split_rev_path(browse.vcs, rest, browse.default)
    node = get_file_or_404(cs, path)
    context = base_context(browse, "files", view="annotate", **file_header(browse, cs, rev_text, node))
    context.update(annotate_display(browse.name, cs, node))
    return render(request, "repos/browse/annotate.html", context)


def annotate_display(repo_name: str, cs, node) -> dict:
    """``binary``, or ``text`` with the annotated rows' HTML (kept in this
    process once coloured: the rows depend only on what the key names)."""
    if node.size > DISPLAY_LIMIT:
        return {"display": "binary"}
    key = ("annotate", repo_name, cs.id, node.path, node.blob_id, lexer_name(node.name))
    kept = memo.rendered.get(key)
    if kept is not None:  # only text is kept: no need to read the blob
        line_count, rows_html = kept
        return {"display": "text", "line_count": line_count, "rows_html": rows_html}
    if node.is_binary:
        return {"display": "binary"}
    lines, highlighted = highlight_state(node.blob_id, node.name, node.content)
    rows_html = mark_safe(annotated_rows(repo_name, annotate_runs(cs, node.path), lines))
    if highlighted:
        memo.rendered.put(key, (len(lines), rows_html), len(rows_html))
    return {"display": "text", "line_count": len(lines), "rows_html": rows_html}

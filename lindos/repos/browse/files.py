"""``/REPO/files/REV/PATH``: a directory listing or a file view.

The file view's header is Kallithea's: ``Files @ <short
id>``, the branch filter, the location as breadcrumbs, the author and
message of the changeset that last changed the file, its size and type, and
the actions Show Annotation, Show as Raw and Download as Raw.

Policy on content: images are shown through the raw URL, binary files are
offered for download, text over ``DISPLAY_LIMIT`` (1 MiB) is only linked,
text the highlighter does not colour on demand (``highlight``: over
256 KiB and not prepared after a push) is shown without colours.
Type sniffing reads only a file's head, so the page of a huge file never
loads it. "Last change" data is
cached under the (immutable) changeset id and path.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from lindos.vcs.text import display_name

from . import links, memo
from .branch_filter import filter_state
from .common import (
    base_context,
    breadcrumbs,
    format_size,
    open_browse,
    ref_choices,
    repository_not_found_page,
)
from .highlight import HIGHLIGHT_LIMIT, highlight_state, lexer_name
from .revisions import get_node_or_404, split_rev_path

#: Text files larger than this are not shown inline at all, only linked
#: (Show as Raw streams them). Rendering even unhighlighted text costs the
#: server several copies of the file per view (bytes, text, escaped lines,
#: the page), so the limit is the highlighter's: anything shown is coloured.
DISPLAY_LIMIT = HIGHLIGHT_LIMIT

#: Seconds a directory listing may spend finding entries' last changes.
LAST_CHANGE_BUDGET = 2.0

_CACHE_VERSION = 1


def escape_key(path: str) -> str:
    """A cache-key-safe form of a path (memcached-style keys must not hold
    spaces or control characters; a hash keeps them short)."""
    return hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()


def _last_change_key(cs, path: str) -> str:
    return f"lindos:last:{_CACHE_VERSION}:{cs.repository.kind}:{cs.id}:{escape_key(path)}"


def _compute_last_change(cs, path: str) -> dict:
    history = cs.repository.iter_changesets(start_rev=cs.id, path=path or None, limit=1)
    last = history[0] if history else cs
    return {
        "id": last.id,
        "short_id": last.short_id,
        "author": last.author,
        "author_name": last.author_name,
        "message": last.message,
        "summary": last.summary,
        "date": last.date,
    }


def last_change(cs, path: str) -> dict:
    """The newest changeset up to ``cs`` touching ``path``, as plain values
    (cached: the answer for a given changeset and path never changes)."""
    key = _last_change_key(cs, path)
    found = cache.get(key)
    if found is None:
        found = _compute_last_change(cs, path)
        cache.set(key, found)
    return found


def last_changes(cs, paths: list[str]) -> dict[str, dict | None]:
    """``last_change`` for every entry of a listing, within a time budget.

    Each lookup is one path-limited history walk; a directory of thousands
    of files would take minutes. So cached answers are read in one go and
    the rest computed until ``LAST_CHANGE_BUDGET`` seconds are spent; what
    is left shows no last change this time and fills in on later views.
    """
    keys = {path: _last_change_key(cs, path) for path in paths}
    cached = cache.get_many(list(keys.values()))
    result, fresh = {}, {}
    deadline = time.monotonic() + LAST_CHANGE_BUDGET
    for path, key in keys.items():
        found = cached.get(key)
        if found is None and time.monotonic() < deadline:
            found = fresh[key] = _compute_last_change(cs, path)
        result[path] = found
    if fresh:
        cache.set_many(fresh)
    return result


def _entry_rows(name: str, rev: str, cs, node) -> list[dict]:
    rows = []
    entries = node.entries()
    changes = last_changes(cs, [entry.path for entry in entries])
    for entry in entries:
        change = changes[entry.path]
        row = {
            "name": display_name(entry.name),
            "kind": entry.kind,
            "url": links.files_url(name, rev, entry.path),
            "size": "",
            "change": change,
            "change_url": links.changeset_url(name, change["id"]) if change else None,
        }
        if entry.kind == "file":
            row["size"] = format_size(entry.size)
        elif entry.kind == "submodule":
            row["url"] = None
            row["target"] = entry.target_id[:12]
        rows.append(row)
    return rows


def file_header(browse, cs, rev_text: str, node) -> dict:
    """Context for the shared file header (file view and annotate)."""
    name, path = browse.name, node.path
    change = last_change(cs, path)
    selected = filter_state(browse.vcs, rev_text, cs)
    return {
        "changeset": cs,
        "rev_text": rev_text,
        "node": node,
        "path_display": display_name(path),
        "crumbs": breadcrumbs(name, rev_text, path),
        "refs": ref_choices(browse.vcs),
        "current_ref": selected.current,
        "revision_option": selected.revision_option,
        "form_action": links.files_url(name, rev_text, path),
        "file_change": change,
        "file_change_url": links.changeset_url(name, change["id"]),
        "size": format_size(node.size),
        "mimetype": node.mimetype,
        "annotate_url": links.annotate_url(name, rev_text, path),
        "source_url": links.files_url(name, rev_text, path),
        "raw_url": links.raw_url(name, rev_text, path),
        "rawfile_url": links.rawfile_url(name, rev_text, path),
        "history_url": links.changelog_url(name, rev_text, path),
        "authors_url": f"/{links.q(name)}/authors/{links.q(rev_text)}/{links.q(path)}",
    }


def numbered_lines(lines: list[str]) -> str:
    """Table rows with anchored line numbers (``#L12``), built as one
    string: a template loop over 5,000 lines would dominate the page."""
    return "\n".join(
        f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td><td class="line">{html}</td></tr>'
        for n, html in enumerate(lines, 1)
    )


def file_display(node) -> dict:
    """How the file's content is shown: ``image``, ``binary``, ``too_big``
    or ``text`` (with the rows' HTML)."""
    if node.size > DISPLAY_LIMIT:
        return {"display": "too_big"}
    if node.mimetype.startswith("image/") and not node.is_symlink:
        return {"display": "image"}
    # Rendered rows are kept only for text (see memo), so a kept answer
    # also means "not binary": the blob is not even read.
    key = ("file", node.blob_id, lexer_name(node.name))
    kept = memo.rendered.get(key)
    if kept is not None:
        line_count, rows_html = kept
        return {"display": "text", "highlighted": True, "line_count": line_count, "rows_html": rows_html}
    if node.is_binary:
        return {"display": "binary"}
    lines, highlighted = highlight_state(node.blob_id, node.name, node.content)
    rows_html = mark_safe(numbered_lines(lines))
    if highlighted:  # final; an uncoloured answer may be coloured later
        memo.rendered.put(key, (len(lines), rows_html), len(rows_html))
    return {"display": "text", "highlighted": highlighted, "line_count": len(lines), "rows_html": rows_html}


@repository_not_found_page("files")
def files(request, repo_name: str, rest: str | None = None):
    browse = open_browse(request, repo_name)
    name = browse.name
    if request.GET.get("at"):
        # The branch filter's form: switch to the same path on another ref.
        _cs, _rev, path = split_rev_path(browse.vcs, rest, browse.default)
        return redirect(links.files_url(name, request.GET["at"], path))
    if browse.vcs.is_empty():
        return render(request, "repos/browse/files_empty.html", base_context(browse, "files"))
    cs, rev_text, path = split_rev_path(browse.vcs, rest, browse.default)
    node = get_node_or_404(cs, path)
    if node.kind == "dir":
        selected = filter_state(browse.vcs, rev_text, cs)
        context = base_context(
            browse,
            "files",
            changeset=cs,
            rev_text=rev_text,
            path=node.path,
            path_display=display_name(node.path),
            crumbs=breadcrumbs(name, rev_text, node.path),
            refs=ref_choices(browse.vcs),
            current_ref=selected.current,
            revision_option=selected.revision_option,
            form_action=links.files_url(name, rev_text, node.path),
            entries=_entry_rows(name, rev_text, cs, node),
            parent_url=(links.files_url(name, rev_text, node.path.rpartition("/")[0]) if node.path else None),
            changeset_url=links.changeset_url(name, cs.id),
            history_url=links.changelog_url(name, rev_text, node.path) if node.path else None,
        )
        return render(request, "repos/browse/files_dir.html", context)
    if node.kind != "file":
        raise Http404("a submodule has no page of its own")
    context = base_context(browse, "files", **file_header(browse, cs, rev_text, node))
    context.update(file_display(node))
    return render(request, "repos/browse/files_file.html", context)

"""One file between two revisions, at Kallithea's URLs and parameters:

* ``/REPO/diff/PATH?diff1=REV&diff2=REV``: the unified diff, rendered;
  ``&diff=raw`` gives it as text, ``&diff=download`` as an attachment
  named ``<diff1>_vs_<diff2>.diff``; ``&show_rev=1`` goes to the file at
  ``diff1`` (its annotation with ``&annotate=1``), as Kallithea's file
  history form did.
* ``/REPO/diff-2way/PATH?diff1=REV&diff2=REV``: the two versions side by
  side, whole files (up to the diff size limits of ``diffs.py``).

Policy: an empty ``diff1`` means ``diff2`` (no changes), as in Kallithea;
``diff1``/``diff2`` of ``''``, ``None`` or all zeros mean "no file" (the
diff shows the file added or deleted), and so does a revision that lacks
the file. An unknown revision, or a path that is a file on neither side,
is a 404.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape

from lindos.vcs.errors import PathNotFound, RevisionNotFound, VCSError
from lindos.vcs.text import display_name, name_str

from . import links
from .common import base_context, open_browse, repository_not_found_page
from .diffs import highlight_file_diff, parse_diff, render_rows
from .revisions import get_changeset_or_404

EMPTY_REVS = ("", "None", "0" * 12, "0" * 40)

#: Context lines of the side-by-side view: whole files (the diff size
#: limits still apply, so a huge file is not rendered).
WHOLE_FILE = 1_000_000

# Header-safe file name characters for the download's name.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _side(browse, rev: str):
    """The changeset a ``diffN`` names, or None for "no file"; 404s."""
    if rev in EMPTY_REVS:
        return None
    return get_changeset_or_404(browse.vcs, rev, browse.default)


def _diff_bytes(browse, cs1, cs2, path: str, context: int = 3) -> bytes:
    """The file's diff; a name that is not UTF-8 reaches the view still
    percent-encoded (as in ``revisions.get_node_or_404``), so that form is
    tried as a second chance."""
    ids = (cs1.id if cs1 else None, cs2.id if cs2 else None)
    candidates = [path]
    if "%" in path:
        candidates.append(name_str(unquote_to_bytes(path)))
    for candidate in candidates:
        try:
            return browse.vcs.file_diff(*ids, candidate, context)
        except (PathNotFound, RevisionNotFound):
            continue
        except VCSError:
            break
    raise Http404("no such file")


def _sides(request, browse):
    diff2 = request.GET.get("diff2", "")
    diff1 = request.GET.get("diff1", "") or diff2
    return diff1, diff2, _side(browse, diff1), _side(browse, diff2)


def _rev_label(cs) -> str:
    return cs.short_id if cs is not None else "(none)"


def _text(body: bytes, attachment: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{attachment}"'
    return response


def download_name(diff1: str, diff2: str) -> str:
    """Kallithea's ``<diff1>_vs_<diff2>.diff``, with anything that could
    break the header replaced."""
    return _UNSAFE_NAME.sub("_", f"{diff1[:40]}_vs_{diff2[:40]}") + ".diff"


def _context(browse, f_path: str, diff1: str, diff2: str, cs1, cs2, view: str) -> dict:
    name = browse.name
    return base_context(
        browse,
        "files",
        f_path=f_path,
        path_display=display_name(f_path),
        cs1=cs1,
        cs2=cs2,
        rev1_label=_rev_label(cs1),
        rev2_label=_rev_label(cs2),
        cs1_url=links.changeset_url(name, cs1.id) if cs1 else None,
        cs2_url=links.changeset_url(name, cs2.id) if cs2 else None,
        file_url=links.files_url(name, cs2.id, f_path) if cs2 else None,
        view=view,
        unified_url=file_diff_url(name, f_path, diff1, diff2),
        two_way_url=file_diff_2way_url(name, f_path, diff1, diff2),
        raw_url=file_diff_url(name, f_path, diff1, diff2, "raw"),
        download_url=file_diff_url(name, f_path, diff1, diff2, "download"),
    )


def _query(diff1: str, diff2: str, action: str | None = None) -> str:
    from urllib.parse import urlencode

    params = {"diff1": diff1, "diff2": diff2}
    if action:
        params["diff"] = action
    return "?" + urlencode(params)


def file_diff_url(repo_name: str, path: str, diff1: str, diff2: str, action: str | None = None) -> str:
    return f"/{links.q(repo_name)}/diff/{links.q(path)}" + _query(diff1, diff2, action)


def file_diff_2way_url(repo_name: str, path: str, diff1: str, diff2: str) -> str:
    return f"/{links.q(repo_name)}/diff-2way/{links.q(path)}" + _query(diff1, diff2)


@repository_not_found_page("files")
def file_diff(request, repo_name: str, f_path: str):
    browse = open_browse(request, repo_name)
    diff1, diff2, cs1, cs2 = _sides(request, browse)
    if request.GET.get("show_rev"):
        if cs1 is None:
            raise Http404("no revision to show")
        annotate = request.GET.get("annotate", "").lower() in ("1", "true", "yes", "on")
        target = links.annotate_url if annotate else links.files_url
        return redirect(target(browse.name, cs1.id, f_path))
    body = _diff_bytes(browse, cs1, cs2, f_path)
    action = request.GET.get("diff")
    if action == "raw":
        return _text(body)
    if action == "download":
        return _text(body, download_name(diff1, diff2))
    parsed = parse_diff(body)
    for fd in parsed.files:
        if not fd.too_large:
            highlight_file_diff(fd)
            fd.rows_html = render_rows(fd)
    context = _context(browse, f_path, diff1, diff2, cs1, cs2, "unified")
    context.update(diff=parsed, fd=parsed.files[0] if parsed.files else None)
    return render(request, "repos/browse/file_diff.html", context)


def side_by_side_rows(fd) -> str:
    """The diff's rows as a two-sided table: unchanged lines on both sides,
    each run of deletions paired line by line with the additions after it
    (the unmatched rest of either run faces a blank)."""
    out: list[str] = []
    dels: list = []
    adds: list = []

    def cell(row) -> str:
        if row is None:
            return '<td class="ln"></td><td class="line blank"></td>'
        number = row.old_no if row.kind == "del" else row.new_no
        return f'<td class="ln">{number}</td><td class="line {row.kind}">{row.html}</td>'

    def flush():
        for i in range(max(len(dels), len(adds))):
            left = dels[i] if i < len(dels) else None
            right = adds[i] if i < len(adds) else None
            out.append(f'<tr class="change">{cell(left)}{cell(right)}</tr>')
        dels.clear()
        adds.clear()

    for row in fd.lines:
        if row.kind == "del":
            if adds:
                flush()
            dels.append(row)
        elif row.kind == "add":
            adds.append(row)
        else:
            flush()
            if row.kind == "ctx":
                out.append(
                    f'<tr class="ctx"><td class="ln">{row.old_no}</td><td class="line">{row.html}</td>'
                    f'<td class="ln">{row.new_no}</td><td class="line">{row.html}</td></tr>'
                )
            elif row.kind == "hunk":
                out.append(
                    f'<tr class="hunk"><td class="ln"></td><td class="line" colspan="3">{escape(row.text)}</td></tr>'
                )
    flush()
    return "\n".join(out)


@repository_not_found_page("files")
def file_diff_2way(request, repo_name: str, f_path: str):
    browse = open_browse(request, repo_name)
    diff1 = request.GET.get("diff1", "")
    diff2 = request.GET.get("diff2", "")
    cs1, cs2 = _side(browse, diff1), _side(browse, diff2)
    parsed = parse_diff(_diff_bytes(browse, cs1, cs2, f_path, WHOLE_FILE))
    fd = parsed.files[0] if parsed.files else None
    rows_html = ""
    if fd is not None and not fd.too_large and not fd.binary:
        highlight_file_diff(fd)
        rows_html = side_by_side_rows(fd)
    context = _context(browse, f_path, diff1, diff2, cs1, cs2, "2way")
    context.update(diff=parsed, fd=fd, rows_html=rows_html)
    return render(request, "repos/browse/file_diff.html", context)

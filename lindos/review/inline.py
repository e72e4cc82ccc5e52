"""Where an inline comment sits: a file, a line and a side of a diff.

Policy: the ``new`` side is the file as the changeset (or the pull
request's source head) has it, the ``old`` side as the changeset's first
parent (or the pull request's base) has it.  The line must exist in that
version of the file; anything else (no such file, line 0, a line past the
end, a root changeset's old side) is refused as "not found".
"""

from __future__ import annotations

from django.http import Http404

from lindos.vcs.errors import PathNotFound, RevisionNotFound, VCSError
from lindos.vcs.text import decode_text

SIDES = ("old", "new")
CONTEXT_LINES = 2


def file_lines(vcs_repo, rev: str | None, path: str) -> list[str]:
    """The lines of `path` at `rev`, or Http404."""
    if not rev:
        raise Http404("no such file version")
    try:
        content = vcs_repo.get_changeset(rev).get_file_content(path)
    except (PathNotFound, RevisionNotFound, VCSError):
        raise Http404("no such file")
    return decode_text(content).splitlines()


def check_line(vcs_repo, revs: dict, path: str, line, side: str) -> list[str]:
    """Validate an anchor; `revs` maps ``old``/``new`` to revisions.
    Returns the file's lines on that side."""
    if side not in SIDES or not path:
        raise Http404("no such line")
    lines = file_lines(vcs_repo, revs.get(side), path)
    if not isinstance(line, int) or not 1 <= line <= len(lines):
        raise Http404("no such line")
    return lines


def context(lines: list[str], line: int, radius: int = CONTEXT_LINES):
    """[(number, text, is_target)] for the lines around `line`."""
    first, last = max(1, line - radius), min(len(lines), line + radius)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]

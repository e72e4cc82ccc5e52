"""Unified diffs (git's format, which both VCS backends emit) turned into a
structure a template can render: files, hunks, numbered lines.

Policy on size: a diff is a reader's tool, not a transfer format, so past
some size it stops being shown. Over ``MAX_DIFF_BYTES`` the whole diff is
left unparsed; a single file whose diff passes ``MAX_FILE_LINES`` or
``MAX_FILE_BYTES``, or that comes after ``MAX_TOTAL_LINES`` shown lines, is
listed with its stats and a "diff too large, view raw" notice instead. The
raw diff is always one link away, so nothing is hidden, only not rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.html import escape

from lindos.vcs.text import decode_text, display_name, name_str

from .highlight import highlight_snippet

MAX_DIFF_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES = 256 * 1024
MAX_FILE_LINES = 3000
MAX_TOTAL_LINES = 20000

_HUNK_RE = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$")
_CACHE_VERSION = 1


@dataclass
class DiffLine:
    """One row of a rendered diff. ``kind`` is ``ctx``, ``add``, ``del``,
    ``hunk`` (an ``@@`` header) or ``note`` (``\\ No newline...``)."""

    kind: str
    old_no: int | None
    new_no: int | None
    text: str
    html: str = ""


@dataclass
class FileDiff:
    """One file's part of a diff. ``status``: A, M, D, R (as in the VCS
    layer). ``too_large`` files keep their counts but no lines."""

    old_path: str
    new_path: str
    status: str = "M"
    binary: bool = False
    added: int = 0
    deleted: int = 0
    too_large: bool = False
    notes: list[str] = field(default_factory=list)
    lines: list[DiffLine] = field(default_factory=list)
    size: int = 0
    #: The rows as one HTML string (``<tr>``...), filled by ``render_rows``.
    rows_html: str = ""

    @property
    def path(self) -> str:
        return self.old_path if self.status == "D" else self.new_path


@dataclass
class ParsedDiff:
    files: list[FileDiff]
    too_large: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def deleted(self) -> int:
        return sum(f.deleted for f in self.files)


_ESCAPES = {
    b"n": b"\n",
    b"t": b"\t",
    b'"': b'"',
    b"\\": b"\\",
    b"a": b"\a",
    b"b": b"\b",
    b"f": b"\f",
    b"r": b"\r",
    b"v": b"\v",
}


def unquote_git_path(raw: bytes) -> bytes:
    """Undo git's C-style quoting of unusual path names (``"a/caf\\303\\251"``)."""
    if not (raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        c = body[i : i + 1]
        if c == b"\\" and i + 1 < len(body):
            nxt = body[i + 1 : i + 2]
            if nxt.isdigit() and len(body) >= i + 4:
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += c
        i += 1
    return bytes(out)


def _strip_prefix(raw: bytes) -> str:
    """``a/path`` or ``b/path`` (possibly quoted) into the bare path."""
    path = unquote_git_path(raw.rstrip(b"\n").split(b"\t")[0])
    if path[:2] in (b"a/", b"b/"):
        path = path[2:]
    return name_str(path)


def _paths_from_git_line(line: bytes) -> tuple[str, str]:
    """Paths of ``diff --git a/X b/Y``; exact only when X == Y or quoted,
    which is when ``---``/``+++``/rename lines are missing anyway."""
    rest = line[len(b"diff --git ") :]
    if rest.startswith(b'"'):
        end = rest.index(b'"', 1)
        while rest[end - 1 : end] == b"\\":
            end = rest.index(b'"', end + 1)
        return _strip_prefix(rest[: end + 1]), _strip_prefix(rest[end + 2 :])
    half = (len(rest) - 1) // 2
    if rest[half : half + 1] == b" " and rest[2:half] == rest[half + 3 :]:
        return _strip_prefix(rest[:half]), _strip_prefix(rest[half + 1 :])
    a, _, b = rest.partition(b" b/")
    return _strip_prefix(a), _strip_prefix(b"b/" + b)


def split_files(data: bytes) -> list[list[bytes]]:
    """The diff's lines grouped per file (each group starts at ``diff --git``)."""
    groups: list[list[bytes]] = []
    for line in data.split(b"\n"):
        if line.startswith(b"diff --git ") or not groups:
            groups.append([])
        groups[-1].append(line)
    if groups and groups[-1] == [b""]:
        groups.pop()
    return [g for g in groups if g and g[0].startswith(b"diff --git ")]


def parse_file(lines: list[bytes], keep_lines: bool) -> FileDiff:
    """Parse one file's diff; counts always, rows only if ``keep_lines``."""
    old, new = _paths_from_git_line(lines[0])
    fd = FileDiff(old_path=old, new_path=new)
    fd.size = sum(len(line) + 1 for line in lines)
    old_no = new_no = 0
    in_hunk = False
    for line in lines[1:]:
        if in_hunk and line[:1] in (b" ", b"+", b"-", b"\\"):
            mark, text = line[:1], decode_text(line[1:])
            if mark == b"+":
                fd.added += 1
                new_no += 1
                row = DiffLine("add", None, new_no, text)
            elif mark == b"-":
                fd.deleted += 1
                old_no += 1
                row = DiffLine("del", old_no, None, text)
            elif mark == b" ":
                old_no += 1
                new_no += 1
                row = DiffLine("ctx", old_no, new_no, text)
            else:
                row = DiffLine("note", None, None, decode_text(line[2:]))
            if keep_lines:
                fd.lines.append(row)
            continue
        match = _HUNK_RE.match(line)
        if match:
            in_hunk = True
            old_no, new_no = int(match[1]) - 1, int(match[3]) - 1
            if keep_lines:
                fd.lines.append(DiffLine("hunk", None, None, decode_text(line)))
            continue
        in_hunk = False
        _parse_header_line(fd, line)
    return fd


def _parse_header_line(fd: FileDiff, line: bytes) -> None:
    if line.startswith(b"--- ") and line[4:] != b"/dev/null":
        fd.old_path = _strip_prefix(line[4:])
    elif line.startswith(b"+++ ") and line[4:] != b"/dev/null":
        fd.new_path = _strip_prefix(line[4:])
    elif line.startswith(b"new file mode"):
        fd.status = "A"
    elif line.startswith(b"deleted file mode"):
        fd.status = "D"
    elif line.startswith(b"rename from "):
        fd.status, fd.old_path = "R", name_str(unquote_git_path(line[12:]))
    elif line.startswith(b"rename to "):
        fd.new_path = name_str(unquote_git_path(line[10:]))
    elif line.startswith(b"old mode ") or line.startswith(b"new mode "):
        fd.notes.append(decode_text(line))
    elif line.startswith(b"Binary file") or line == b"GIT binary patch":
        # git: "Binary files a/x and b/x differ"; hg: "Binary file x has changed"
        fd.binary = True


def parse_diff(data: bytes) -> ParsedDiff:
    """Parse a whole diff, applying the size limits of this module."""
    groups = split_files(data)
    if len(data) > MAX_DIFF_BYTES:
        files = [parse_file(g, keep_lines=False) for g in groups]
        for fd in files:
            fd.too_large = not fd.binary
        return ParsedDiff(files, too_large=True)
    files, shown = [], 0
    for group in groups:
        size = sum(len(line) + 1 for line in group)
        fits = (
            len(group) <= MAX_FILE_LINES and size <= MAX_FILE_BYTES and shown + len(group) <= MAX_TOTAL_LINES
        )
        fd = parse_file(group, keep_lines=fits)
        if fits:
            shown += len(fd.lines)
        else:
            fd.too_large = True
        files.append(fd)
    return ParsedDiff(files)


def highlight_file_diff(fd: FileDiff) -> None:
    """Fill each row's ``html``: code rows highlighted as the file's type,
    headers and notes escaped."""
    code = [row for row in fd.lines if row.kind in ("ctx", "add", "del")]
    for row, html in zip(code, highlight_snippet([r.text for r in code], fd.path)):
        row.html = html
    for row in fd.lines:
        if row.kind in ("hunk", "note"):
            row.html = escape(row.text)


_MARKS = {"add": "+", "del": "-", "ctx": " "}


def render_rows(fd: FileDiff) -> str:
    """The file's rows as table HTML. Built here rather than in a template
    loop: a 20,000-line diff renders in milliseconds, not seconds."""
    path = escape(display_name(fd.path))
    out = []
    for row in fd.lines:
        if row.kind == "hunk":
            out.append(
                f'<tr class="hunk"><td class="ln"></td><td class="ln">'
                f'</td><td class="line">{row.html}</td></tr>'
            )
        elif row.kind == "note":
            out.append(
                f'<tr class="note"><td class="ln"></td><td class="ln">'
                f'</td><td class="line meta">{row.html}</td></tr>'
            )
        else:
            old = "" if row.old_no is None else row.old_no
            new = "" if row.new_no is None else row.new_no
            out.append(
                f'<tr class="{row.kind}" data-path="{path}" '
                f'data-old="{old}" data-new="{new}"><td class="ln">'
                f'{old}</td><td class="ln">{new}</td><td class="line">'
                f'<span class="mark">{_MARKS[row.kind]}</span>'
                f"{row.html}</td></tr>"
            )
    return "\n".join(out)


def render_changeset_diff(changeset) -> ParsedDiff:
    """The changeset's diff against its first parent, parsed and
    highlighted, cached under the (immutable) changeset id."""
    key = f"lindos:diff:{_CACHE_VERSION}:{changeset.repository.kind}:{changeset.id}"
    parsed = cache.get(key)
    if parsed is None:
        parsed = parse_diff(changeset.diff_against_parent())
        for fd in parsed.files:
            highlight_file_diff(fd)
            fd.rows_html = render_rows(fd)
            for row in fd.lines:  # kept as text only: the HTML is in rows_html
                row.html = ""
        cache.set(key, parsed)
    return parsed

"""A Mercurial changeset as a ``Changeset``, through the in-process API."""

from __future__ import annotations

import datetime

from mercurial import mdiff, patch
from mercurial.node import hex as hg_hex
from mercurial.node import nullrev

from ..base import AnnotateLine, ChangedFile, Changeset, FileStat
from ..errors import PathNotFound
from ..text import decode_text, name_bytes, name_str
from .nodes import HgDirNode, HgFileNode, make_subrepo_node


def hg_date(when: tuple[float, int]) -> datetime.datetime:
    """Mercurial's ``(unixtime, offset)``; the offset is seconds *west*
    of UTC, the opposite sign of ISO 8601."""
    timestamp, offset = when
    tz = datetime.timezone(datetime.timedelta(seconds=-offset))
    return datetime.datetime.fromtimestamp(timestamp, tz)


def git_diff_opts(context: int = 3):
    """Git-style diffs: a/ b/ prefixes, renames, modes, and a one-line
    "Binary file ... has changed" instead of a base85 binary patch."""
    return mdiff.diffopts(git=True, nodates=True, nobinary=True, context=context)


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def line_changes(old: bytes, new: bytes) -> tuple[int, int]:
    """(added, deleted) line counts between two texts, from bdiff's
    matching blocks: every line outside a match was added or deleted."""
    same_old = same_new = 0
    for a1, a2, b1, b2 in mdiff.bdiff.blocks(old, new):
        same_old += a2 - a1
        same_new += b2 - b1
    return count_lines(new) - same_new, count_lines(old) - same_old


class HgChangeset(Changeset):
    def __init__(self, repository, ctx):
        super().__init__(
            repository,
            ctx.hex().decode("ascii"),
            message=decode_text(ctx.description()),
            author=decode_text(ctx.user()),
            date=hg_date(ctx.date()),
            parents=[p.hex().decode("ascii") for p in ctx.parents() if p.rev() != nullrev],
        )
        self._ctx = ctx

    @property
    def branch(self) -> str:
        return name_str(self._ctx.branch())

    @property
    def tags(self) -> list[str]:
        return sorted(name_str(t) for t in self._ctx.tags() if t != b"tip")

    @property
    def phase(self) -> str:
        return self._ctx.phasestr().decode("ascii")

    def _get_node(self, path: str):
        if not path:
            return HgDirNode(self, "")
        raw = name_bytes(path)
        manifest = self._ctx.manifest()
        if raw in manifest:
            return HgFileNode(self, path, manifest[raw], manifest.flags(raw))
        if raw in self._ctx.substate:
            return make_subrepo_node(self, raw, self._ctx.substate)
        if manifest.hasdir(raw):
            return HgDirNode(self, path)
        raise PathNotFound(f"{path!r} not in {self.short_id}")

    def iter_files(self):
        # One pass over the manifest: Mercurial has no directory objects, so
        # the generic walk would scan the whole manifest once per directory.
        manifest = self._ctx.manifest()
        for raw, filenode in manifest.items():
            yield HgFileNode(self, name_str(raw), filenode, manifest.flags(raw))

    def _annotate(self, path: str) -> list[AnnotateLine]:
        fctx = self._ctx[name_bytes(path)]
        seen: dict[bytes, tuple[str, str, datetime.datetime]] = {}
        result = []
        for number, line in enumerate(fctx.annotate(follow=True), 1):
            node = line.fctx.node()
            if node not in seen:
                seen[node] = (
                    hg_hex(node).decode("ascii"),
                    decode_text(line.fctx.user()),
                    hg_date(line.fctx.date()),
                )
            cs_id, author, date = seen[node]
            text = line.text[:-1] if line.text.endswith(b"\n") else line.text
            result.append(AnnotateLine(number, cs_id, author, date, text))
        return result

    def changed_files(self) -> list[ChangedFile]:
        ctx, parent = self._ctx, self._ctx.p1()
        status = parent.status(ctx)
        removed = set(status.removed)
        renamed_from: dict[bytes, bytes] = {}
        for path in status.added:
            source = ctx[path].copysource()
            if source in removed:
                renamed_from[path] = source
        result = [ChangedFile("M", name_str(p), None) for p in status.modified]
        for path in status.added:
            if path in renamed_from:
                result.append(ChangedFile("R", name_str(path), name_str(renamed_from[path])))
            else:
                result.append(ChangedFile("A", name_str(path), None))
        gone = removed - set(renamed_from.values())
        result.extend(ChangedFile("D", name_str(p), None) for p in gone)
        return sorted(result, key=lambda c: c.path)

    def file_stats(self) -> list[FileStat]:
        ctx, parent = self._ctx, self._ctx.p1()
        result = []
        for change in self.changed_files():
            old_path = change.old_path or change.path
            old = parent[name_bytes(old_path)].data() if change.status != "A" else b""
            new = ctx[name_bytes(change.path)].data() if change.status != "D" else b""
            if b"\x00" in old or b"\x00" in new:  # same rule as git
                result.append(FileStat(change.path, 0, 0, True))
            else:
                added, deleted = line_changes(old, new)
                result.append(FileStat(change.path, added, deleted, False))
        return result

    def diff_against_parent(self) -> bytes:
        repo = self.repository._repo
        return b"".join(patch.diff(repo, self._ctx.p1().node(), self._ctx.node(), opts=git_diff_opts()))

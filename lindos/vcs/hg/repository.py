"""A Mercurial repository through the in-process ``mercurial`` API.

History queries are revsets with ``limit()``, which Mercurial evaluates
lazily, so a first page never walks the whole changelog.

Names mean what they mean to Mercurial: ``tip`` is the newest changeset of
any branch, a branch name is its tipmost head (open, else closed), and
only the ``served`` view is visible: secret and obsolete changesets are
neither browsed nor sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

from mercurial import error, patch, scmutil
from mercurial.node import bin as hg_bin
from mercurial.node import hex as hg_hex
from mercurial.node import nullid, nullrev, wdirid

from ..archives import ArchiveMember, stream_archive
from ..base import Repository
from ..text import name_bytes, name_str
from . import commit as hg_commit
from .changeset import HgChangeset, git_diff_opts
from .hgapi import open_hg

_FULL_ID = re.compile(r"^[0-9a-f]{40}$")
_ID_PREFIX = re.compile(r"^[0-9a-f]{4,39}$")

DEFAULT_BRANCH = "default"

# An ambiguous prefix is a LookupError; a prefix of ``ffff...`` also
# matches the working directory's pseudo-id, which raises WdirUnsupported.
_PREFIX_ERRORS = (error.LookupError, error.WdirUnsupported, error.RepoLookupError)


def _hex(node: bytes) -> str:
    return hg_hex(node).decode("ascii")


class HgRepository(Repository):
    kind = "hg"

    def __init__(self, path: str):
        self._repo = open_hg(path)
        super().__init__(path)

    # -- refs ---------------------------------------------------------------

    @cached_property
    def _branches(self) -> dict[str, str]:
        # Only iteration, branchheads() and branchtip() have kept their
        # shape across Mercurial releases; the rest of branchmap has not.
        repo, result = self._repo, {}
        branchmap = repo.branchmap()
        for name in branchmap:
            if branchmap.branchheads(name, closed=False):  # has open heads
                result[name_str(name)] = _hex(repo.branchtip(name))
        return result

    @cached_property
    def _closed_branches(self) -> dict[str, str]:
        repo, result = self._repo, {}
        branchmap = repo.branchmap()
        for name in branchmap:
            if not branchmap.branchheads(name, closed=False):
                result[name_str(name)] = _hex(repo.branchtip(name))
        return result

    @property
    def closed_branches(self) -> dict[str, str]:
        return dict(self._closed_branches)

    @property
    def heads(self) -> list[str]:
        changelog = self._repo.changelog
        return [_hex(node) for node in sorted(self._repo.heads(), key=changelog.rev, reverse=True)]

    @cached_property
    def _tags(self) -> dict[str, str]:
        return {
            name_str(name): _hex(node)
            for name, node in self._repo.tags().items()
            if name != b"tip" and node != nullid
        }

    @property
    def branches(self) -> dict[str, str]:
        return dict(self._branches)

    @property
    def tags(self) -> dict[str, str]:
        return dict(self._tags)

    @property
    def bookmarks(self) -> dict[str, str]:
        return {name_str(name): _hex(node) for name, node in self._repo._bookmarks.items()}

    @property
    def default_branch(self) -> str:
        return DEFAULT_BRANCH

    def is_empty(self) -> bool:
        return len(self._repo) == 0

    # -- lookups ------------------------------------------------------------

    def _default_tip(self) -> str:
        # A repository whose history never used "default" still has a tip.
        node = self._repo.branchtip(DEFAULT_BRANCH.encode(), ignoremissing=True)
        if node is None:
            node = self._repo.changelog.tip()
        return _hex(node)

    def _lookup(self, rev: str) -> str | None:
        repo = self._repo
        raw = name_bytes(rev)
        node = None
        if _FULL_ID.match(rev):
            node = hg_bin(raw)
        elif rev == "tip":  # Mercurial's tip, without computing every tag
            node = repo.changelog.tip()
        if node is None:
            node = repo.branchtip(raw, ignoremissing=True)
        if node is None:
            node = repo.tags().get(raw)
        if node is None:
            node = repo._bookmarks.get(raw)
        if node is None and _ID_PREFIX.match(rev):
            try:
                node = scmutil.resolvehexnodeidprefix(repo, raw)
            except _PREFIX_ERRORS:
                node = None
        # The null parent of roots and the working directory have ids but
        # are no changesets; hidden (obsolete) changesets are not shown.
        if node is None or node in (nullid, wdirid) or node not in repo:
            return None
        return _hex(node)

    def _changeset(self, id: str) -> HgChangeset:
        return HgChangeset(self, self._repo[hg_bin(id)])

    # -- history ------------------------------------------------------------

    def _history_ids(self, start_id, path, offset, limit):
        expr, args = b"reverse(ancestors(%n))", [hg_bin(start_id)]
        if path:
            # path: matches the file itself or everything below a directory,
            # like a git pathspec; file() also sees deletions (filelog()
            # would not).
            expr += b" and file(%s)"
            args.append(b"path:" + name_bytes(path))
        if limit is not None or offset:
            # Integers go in directly: formatspec's %d means a revision.
            count = limit if limit is not None else len(self._repo)
            expr = b"limit(%s, %d, %d)" % (expr, count, offset)
        revs = self._repo.revs(expr, *args)
        changelog = self._repo.changelog
        return [_hex(changelog.node(rev)) for rev in revs]

    def _count_history(self, start_id, cap):
        revs = self._repo.revs(b"ancestors(%n)", hg_bin(start_id))
        if cap is None:
            return len(revs)
        count = 0
        for _rev in revs:
            count += 1
            if count >= cap:
                break
        return count

    def _graph_ids(self, start_id, offset, limit, named_branch=None):
        # Revision numbers are topological (a parent's is always lower),
        # so newest-first by number is the graph's order for free.
        if start_id is None:
            expr, args = b"limit(reverse(all()), %d, %d)" % (limit, offset), []
        elif named_branch is not None:
            expr = b"limit(reverse(ancestors(%%n) and branch(%%s)), %d, %d)" % (limit, offset)
            args = [hg_bin(start_id), name_bytes(named_branch)]
        else:
            expr, args = b"limit(reverse(ancestors(%%n)), %d, %d)" % (limit, offset), [hg_bin(start_id)]
        changelog = self._repo.changelog
        return [_hex(changelog.node(rev)) for rev in self._repo.revs(expr, *args)]

    def _children_ids(self, id):
        children = self._repo[hg_bin(id)].children()
        return [c.hex().decode("ascii") for c in sorted(children, key=lambda c: c.rev())]

    def _branches_containing(self, id):
        return [name_str(self._repo[hg_bin(id)].branch())]

    def _file_diff(self, id1, id2, path, context):
        nodes = [nullid if id is None else hg_bin(id) for id in (id1, id2)]
        match = scmutil.matchfiles(self._repo, [name_bytes(path)])
        opts = git_diff_opts(context=context)
        return b"".join(patch.diff(self._repo, nodes[0], nodes[1], match=match, opts=opts))

    def _ancestor(self, id1, id2):
        repo = self._repo
        base = repo[hg_bin(id1)].ancestor(repo[hg_bin(id2)])
        return None if base.rev() == nullrev else base.hex().decode("ascii")

    def _between_ids(self, base_id, head_id):
        revs = self._repo.revs(b"only(%n, %n)", hg_bin(head_id), hg_bin(base_id))
        changelog = self._repo.changelog
        return [_hex(changelog.node(rev)) for rev in sorted(revs)]

    def _ancestry_ids(self, include, exclude):
        # Revision numbers grow from parents to children.
        heads = [hg_bin(i) for i in include]
        if exclude:
            revs = self._repo.revs(b"only(%ln, %ln)", heads, [hg_bin(i) for i in exclude])
        else:
            revs = self._repo.revs(b"::%ln", heads)
        changelog = self._repo.changelog
        return (_hex(changelog.node(rev)) for rev in sorted(revs))

    def _is_ancestor(self, ancestor_id, descendant_id):
        return self._repo.changelog.isancestor(hg_bin(ancestor_id), hg_bin(descendant_id))

    # -- writing ------------------------------------------------------------

    def _commit(self, branch, parent, changes, message, author, date):
        return hg_commit.commit(self.path, branch, parent, changes, message, author, date)

    # -- diffs and archives -------------------------------------------------

    def _diff(self, id1, id2):
        return b"".join(patch.diff(self._repo, hg_bin(id1), hg_bin(id2), opts=git_diff_opts()))

    def _archive(self, id, fmt, prefix) -> Iterator[bytes]:
        # Built from the manifest rather than with mercurial.archival, whose
        # zip writer fails on a file name that is not UTF-8; the tracked
        # files only, like git archive (no .hg_archival.txt, no subrepos).
        ctx = self._repo[hg_bin(id)]
        manifest = ctx.manifest()
        members = [
            ArchiveMember(
                path,
                b"x" in manifest.flags(path),
                b"l" in manifest.flags(path),
                _reader(ctx, path, manifest[path]),
            )
            for path in manifest
        ]
        return stream_archive(members, fmt, name_bytes(prefix), int(ctx.date()[0]))


def _reader(ctx, path: bytes, filenode: bytes):
    return lambda: ctx.filectx(path, fileid=filenode).data()

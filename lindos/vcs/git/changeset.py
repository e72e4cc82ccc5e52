"""A git commit as a ``Changeset``: fields from pygit2, diffs and blame
from the ``git`` command line where its output is the reference."""

from __future__ import annotations

import datetime

import pygit2

from ..base import AnnotateLine, ChangedFile, Changeset, FileStat
from ..errors import PathNotFound
from ..process import run_git
from ..text import decode_text, format_author, name_str
from .blame import parse_blame_porcelain
from .nodes import GitDirNode, make_node

# libgit2 status letters onto ours: a copy is an addition, a type change
# (file <-> symlink) a modification.
_STATUS = {"A": "A", "M": "M", "D": "D", "R": "R", "C": "A", "T": "M"}


def decode_message(commit: pygit2.Commit) -> str:
    """The message, honouring the commit's ``encoding`` header if any."""
    if commit.message_encoding:
        try:
            return commit.raw_message.decode(commit.message_encoding, "replace")
        except LookupError:  # an encoding Python does not know
            pass
    return decode_text(commit.raw_message)


def signature_date(sig: pygit2.Signature) -> datetime.datetime:
    tz = datetime.timezone(datetime.timedelta(minutes=sig.offset))
    return datetime.datetime.fromtimestamp(sig.time, tz)


class GitChangeset(Changeset):
    def __init__(self, repository, commit: pygit2.Commit):
        sig = commit.author
        super().__init__(
            repository,
            str(commit.id),
            message=decode_message(commit),
            author=format_author(decode_text(sig.raw_name), decode_text(sig.raw_email)),
            date=signature_date(sig),
            parents=[str(p) for p in commit.parent_ids],
        )
        self._commit = commit

    @property
    def branch(self) -> str | None:
        return self.repository._branch_at(self.id)

    @property
    def tags(self) -> list[str]:
        return self.repository._tags_at(self.id)

    def _get_node(self, path: str):
        tree = self._commit.tree
        if not path:
            return GitDirNode(self, "", tree.id)
        try:
            return make_node(self, path, tree[path])
        except KeyError:
            raise PathNotFound(f"{path!r} not in {self.short_id}") from None

    def _annotate(self, path: str) -> list[AnnotateLine]:
        out = run_git(self.repository.git_dir, "blame", "--porcelain", self.id, "--", path)
        return parse_blame_porcelain(out)

    def _parent_diff(self) -> pygit2.Diff:
        tree = self._commit.tree
        if self._commit.parent_ids:
            parent = self._commit.parents[0]
            diff = self.repository._repo.diff(parent.tree, tree)
        else:
            diff = tree.diff_to_tree(swap=True)  # root commit: all added
        diff.find_similar()
        return diff

    def changed_files(self) -> list[ChangedFile]:
        result = []
        for delta in self._parent_diff().deltas:
            status = _STATUS.get(delta.status_char(), "M")
            path = name_str(delta.new_file.raw_path)
            old = name_str(delta.old_file.raw_path) if status == "R" else None
            result.append(ChangedFile(status, path, old))
        return result

    def file_stats(self) -> list[FileStat]:
        result = []
        for patch in self._parent_diff():
            path = name_str(patch.delta.new_file.raw_path)
            if patch.delta.is_binary:
                result.append(FileStat(path, 0, 0, True))
            else:
                _context, added, deleted = patch.line_stats
                result.append(FileStat(path, added, deleted, False))
        return result

    def diff_against_parent(self) -> bytes:
        git_dir = self.repository.git_dir
        if self.parents:
            return run_git(
                git_dir,
                "diff",
                "-M",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                self.parents[0],
                self.id,
            )
        return run_git(
            git_dir,
            "diff-tree",
            "-p",
            "-M",
            "--root",
            "--no-commit-id",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            self.id,
        )

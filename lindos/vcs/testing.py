"""Build small git and hg repositories for tests, with the real tools.

Any test suite can describe a history as a list of commit dicts and get a
real repository, built by the real ``git`` (through ``git fast-import``, one
process for the whole history) or the real ``hg`` command line::

    from lindos.vcs.testing import make_git_repo, make_hg_repo

    ids = make_git_repo(tmp_path / 'r.git', [
        {'files': {'README': b'hello\\n', 'src/app.py': b'print(1)\\n'},
         'message': 'Initial import', 'author': 'Zoë <zoe@example.com>'},
        {'files': {'README': None}, 'renames': {'src/main.py': 'src/app.py'},
         'branch': 'feature', 'tag': 'v1.0'},
    ])
    # ids[i] is the full id of commits[i]

A commit dict may hold:

``files``     ``{path: content}``; content is ``bytes``, ``str`` (written as
              UTF-8) or ``None`` to delete the file. Paths are ``str`` or
              ``bytes`` (for non-UTF-8 names), ``/``-separated.
``symlinks``  ``{path: target}``: symbolic links.
``renames``   ``{new_path: old_path}``, applied before ``files`` (so a renamed
              file can also be changed). hg records the rename; git detects
              it from content, as git always does.
``message``   ``str`` or ``bytes`` (default ``"Commit <n>"``).
``author``    ``"Name <email>"``, ``str`` or ``bytes``.
``branch``    Branch to commit on (default: ``master`` for git, ``default``
              for hg). A branch not seen before starts at the previous commit
              of the list; an existing one continues from its tip.
``tag``       Tag this commit. git: an annotated tag. hg: ``hg tag``, which
              (as always in hg) adds a commit of ``.hgtags`` on top of the
              branch; it is not in the returned ids, and the branch's next
              commit in the list comes after it.
``date``      Seconds since the epoch, UTC (default: ``BASE_TIME`` + one
              minute per commit, so histories are deterministic).
``merge``     A branch whose tip becomes this commit's second parent (a
              merge; ``files`` then hold the merge's result for files both
              sides changed).

Both functions return the full ids of the commits, in list order.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .process import GIT_BINARY, git_env
from .text import split_author

#: 2023-11-14T22:13:20Z: the default date of the first commit.
BASE_TIME = 1_700_000_000
DEFAULT_AUTHOR = "Test User <test@example.com>"
GIT_DEFAULT_BRANCH = "master"
HG_DEFAULT_BRANCH = "default"


def _b(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


def _commit_date(commit: dict, index: int) -> int:
    return int(commit.get("date", BASE_TIME + 60 * index))


# -- git ----------------------------------------------------------------------


def quote_fast_import_path(path: str | bytes) -> bytes:
    """A path as a C-style quoted string, the form fast-import always
    accepts (needed for spaces, quotes, newlines and non-ASCII bytes)."""
    out = bytearray(b'"')
    for byte in _b(path):
        if byte in (0x22, 0x5C):  # " and \
            out += b"\\" + bytes([byte])
        elif 0x20 <= byte < 0x7F:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    return bytes(out + b'"')


def _fast_import_ident(author: str | bytes, when: int) -> bytes:
    name, email = split_author(_b(author).decode("utf-8", "surrogateescape"))
    raw = lambda s: s.encode("utf-8", "surrogateescape")  # noqa: E731
    return b"%s <%s> %d +0000" % (raw(name), raw(email), when)


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def build_fast_import_stream(
    commits: list[dict],
    default_branch: str = GIT_DEFAULT_BRANCH,
) -> bytes:
    """The ``git fast-import`` input for ``commits`` (see module doc).

    Commit ``i`` gets mark ``:i+1`` so ids can be read back from the marks
    file.
    """
    out = bytearray()
    branches: dict[str, int] = {}  # branch -> mark of its tip
    for index, commit in enumerate(commits):
        mark = index + 1
        branch = commit.get("branch", default_branch)
        when = _commit_date(commit, index)
        ident = _fast_import_ident(commit.get("author", DEFAULT_AUTHOR), when)
        message = _b(commit.get("message", f"Commit {index}"))
        out += b"commit refs/heads/%s\nmark :%d\n" % (_b(branch), mark)
        out += b"author %s\ncommitter %s\n" % (ident, ident)
        out += _data(message)
        if branch not in branches and index > 0:
            out += b"from :%d\n" % (mark - 1)
        if commit.get("merge"):
            out += b"merge :%d\n" % branches[commit["merge"]]
        branches[branch] = mark
        for new, old in commit.get("renames", {}).items():
            out += b"R %s %s\n" % (quote_fast_import_path(old), quote_fast_import_path(new))
        for path, content in commit.get("files", {}).items():
            if content is None:
                out += b"D %s\n" % quote_fast_import_path(path)
            else:
                out += b"M 100644 inline %s\n" % quote_fast_import_path(path)
                out += _data(_b(content))
        for path, target in commit.get("symlinks", {}).items():
            out += b"M 120000 inline %s\n" % quote_fast_import_path(path)
            out += _data(_b(target))
        out += b"\n"
        if commit.get("tag"):
            out += b"tag %s\nfrom :%d\ntagger %s\n" % (_b(commit["tag"]), mark, ident)
            out += _data(b"Tag " + _b(commit["tag"]))
    return bytes(out)


def run_fast_import(git_dir: str | os.PathLike, stream: bytes) -> dict[int, str]:
    """Feed ``stream`` to ``git fast-import`` in ``git_dir``; return the
    marks it assigned (mark number -> full commit id)."""
    with tempfile.NamedTemporaryFile(suffix=".marks") as marks:
        subprocess.run(
            [
                GIT_BINARY,
                "--git-dir",
                os.fspath(git_dir),
                "fast-import",
                "--quiet",
                "--done",
                f"--export-marks={marks.name}",
            ],
            input=stream + b"done\n",
            env=git_env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        result = {}
        for line in Path(marks.name).read_text().splitlines():
            mark, sha = line.split()
            result[int(mark[1:])] = sha
        return result


def make_git_repo(
    path: str | os.PathLike,
    commits: list[dict],
    *,
    bare: bool = True,
    default_branch: str = GIT_DEFAULT_BRANCH,
) -> list[str]:
    """Create a git repository at ``path`` holding ``commits``.

    Bare by default, like repositories on the server; with ``bare=False``
    the work tree is checked out at the default branch.
    """
    path = os.fspath(path)
    init = [GIT_BINARY, "init", "--quiet", f"--initial-branch={default_branch}"]
    subprocess.run([*init, *(["--bare"] if bare else []), path], env=git_env(), check=True)
    git_dir = path if bare else os.path.join(path, ".git")
    marks = run_fast_import(git_dir, build_fast_import_stream(commits, default_branch))
    if not bare and commits:
        subprocess.run([GIT_BINARY, "-C", path, "reset", "--quiet", "--hard"], env=git_env(), check=True)
    return [marks[i + 1] for i in range(len(commits))]


# -- hg -----------------------------------------------------------------------


def hg_binary() -> str:
    """``$LINDOS_HG``, else the ``hg`` beside this Python, else ``$PATH``."""
    if os.environ.get("LINDOS_HG"):
        return os.environ["LINDOS_HG"]
    beside = Path(sys.executable).with_name("hg")
    return str(beside) if beside.exists() else (shutil.which("hg") or "hg")


def _hg_env() -> dict[str, str]:
    return dict(os.environ, HGRCPATH="", HGPLAIN="1", HGENCODING="utf-8")


def _hg_text(text: bytes) -> bytes:
    """hg stores metadata as UTF-8 (it transcodes from the local encoding),
    so bytes that are not UTF-8 are taken as Latin-1, as legacy commits
    were."""
    try:
        text.decode("utf-8")
        return text
    except UnicodeDecodeError:
        return text.decode("latin-1").encode("utf-8")


def _hg(repo: str, *args: str | bytes) -> bytes:
    proc = subprocess.run(
        [hg_binary(), "--cwd", repo, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_hg_env()
    )
    if proc.returncode != 0:
        raise RuntimeError(f"hg {args[0]!r} failed: {proc.stderr!r}")
    return proc.stdout


def _write_tree_changes(root: str, commit: dict) -> None:
    for new, old in commit.get("renames", {}).items():
        _hg(root, "mv", _b(old), _b(new))
    for path, content in commit.get("files", {}).items():
        full = os.path.join(os.fsencode(root), _b(path))
        if content is None:
            os.unlink(full)
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if os.path.islink(full):
            os.unlink(full)
        with open(full, "wb") as f:
            f.write(_b(content))
    for path, target in commit.get("symlinks", {}).items():
        full = os.path.join(os.fsencode(root), _b(path))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if os.path.lexists(full):
            os.unlink(full)
        os.symlink(_b(target), full)


_COMMITTED = re.compile(rb"committed changeset \d+:([0-9a-f]{40})")


def make_hg_repo(path: str | os.PathLike, commits: list[dict]) -> list[str]:
    """Create an hg repository at ``path`` holding ``commits``, driving the
    real ``hg`` command line (its working directory is left at the last
    commit)."""
    root = os.fspath(path)
    subprocess.run([hg_binary(), "init", root], env=_hg_env(), check=True)
    ids, branches, current = [], {HG_DEFAULT_BRANCH}, HG_DEFAULT_BRANCH
    tagged = False  # whether the working directory sits on a tag commit
    for index, commit in enumerate(commits):
        branch = commit.get("branch", HG_DEFAULT_BRANCH)
        if branch in branches and branch != current:
            _hg(root, "update", "--clean", "--quiet", _b(branch))
        elif branch not in branches:
            # Start from the previous commit of the list, as git does; the
            # working directory may sit on a tag commit instead.
            if ids and tagged:
                _hg(root, "update", "--clean", "--quiet", ids[-1])
            _hg(root, "branch", "--quiet", _b(branch))
        current = branch
        branches.add(branch)
        tagged = False
        if commit.get("merge"):
            _hg(root, "merge", "--quiet", "--tool", "internal:local", _b(commit["merge"]))
        _write_tree_changes(root, commit)
        message = _hg_text(_b(commit.get("message", f"Commit {index}")))
        author = _hg_text(_b(commit.get("author", DEFAULT_AUTHOR)))
        with tempfile.NamedTemporaryFile() as msgfile:
            msgfile.write(message)
            msgfile.flush()
            out = _hg(
                root,
                "commit",
                "--debug",
                "--addremove",
                "--logfile",
                msgfile.name,
                "--user",
                author,
                "--date",
                f"{_commit_date(commit, index)} 0",
            )
        ids.append(_COMMITTED.search(out).group(1).decode("ascii"))
        if commit.get("tag"):
            _hg(
                root,
                "tag",
                "--rev",
                ids[-1],
                "--user",
                author,
                "--date",
                f"{_commit_date(commit, index)} 0",
                _b(commit["tag"]),
            )
            tagged = True
    return ids

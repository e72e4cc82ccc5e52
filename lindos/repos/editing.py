"""Changing files from the browser (Kallithea's edit, add and delete
pages), as a push would.

Policy:
- a change is made on a branch head only: the URL's REV is a branch name
  or the id of a branch's tip, never a tag, a bookmark or an older
  changeset (a web edit must not create a second head);
- the page carries the tip it was made from (``parent``); when the branch
  moved meanwhile the commit is refused (``BranchMoved``) and the user
  keeps their text: nothing is lost on either side;
- text only, and small: a file is edited in the browser if it is not
  binary, not a symbolic link, valid UTF-8 and at most ``MAX_EDIT_BYTES``;
  added content is limited the same way. Line endings follow the edited
  file's (a browser always sends CRLF);
- the commit's author is the user (full name, else username, and email);
- once written, the commit goes through ``do_after_push`` like any push:
  journal, webhooks, pull request iterations and what follows them.

Functions here do no HTTP; the pages are ``lindos.repos.browse.edit``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindos.repos.journal import ZERO_ID, RefChange
from lindos.repos.push import do_after_push
from lindos.vcs import open_repository
from lindos.vcs.errors import CommitRefused, PathNotFound, RevisionNotFound
from lindos.vcs.paths import normalize_path
from lindos.vcs.text import format_author

#: Largest file (bytes) edited or added from the browser. Bigger files are
#: better pushed: the page would carry them twice (shown, then posted).
MAX_EDIT_BYTES = 512 * 1024

#: Longest commit message accepted from the form.
MAX_MESSAGE_CHARS = 10_000

#: Longest path (bytes, UTF-8) a new file may have.
MAX_PATH_BYTES = 1024

DEFAULT_MESSAGES = {
    "edit": "Edited file {path} via Lindos",
    "add": "Added file via Lindos",
    "delete": "Deleted file {path} via Lindos",
}


class EditRefused(Exception):
    """A change the user asked for and cannot have; the message says why,
    in words for the page, ``status`` is the HTTP answer that fits."""

    status = 400


class TooLarge(EditRefused):
    status = 413


@dataclass(frozen=True)
class BranchHead:
    """Where a change is made: a branch and its tip (None: the first
    commit of an empty repository)."""

    branch: str
    tip: str | None


def find_branch_head(vcs_repo, rev: str) -> BranchHead | None:
    """The branch head ``rev`` names: a branch name, or the full or short
    id of a branch's tip (the default branch wins when several branches
    share it). None when ``rev`` names no branch head.

    In an empty repository the default branch (or ``tip``) names the
    branch to start."""
    if vcs_repo.is_empty():
        default = vcs_repo.default_branch
        return BranchHead(default, None) if rev in (default, "tip") else None
    branches = vcs_repo.branches
    if rev in branches:
        return BranchHead(rev, branches[rev])
    try:
        found = vcs_repo.get_changeset(rev).id
    except (RevisionNotFound, ValueError):
        return None
    if len(rev) < 4 or not found.startswith(rev):
        return None  # a tag or bookmark: not a branch, even at a tip
    names = sorted(name for name, tip in branches.items() if tip == found)
    if not names:
        return None
    name = vcs_repo.default_branch if vcs_repo.default_branch in names else names[0]
    return BranchHead(name, found)


def check_editable(node) -> None:
    """Refuse a file the browser cannot edit (see module doc)."""
    if node.is_symlink:
        raise EditRefused(f"{node.path} is a symbolic link: it cannot be edited in the browser.")
    if node.size > MAX_EDIT_BYTES:
        raise TooLarge(
            f"{node.path} is larger than {MAX_EDIT_BYTES // 1024} KiB: "
            "it cannot be edited in the browser; push a change instead."
        )
    if node.is_binary:
        raise EditRefused(f"{node.path} is a binary file: it cannot be edited in the browser.")
    try:
        node.content.decode("utf-8")
    except UnicodeDecodeError:
        raise EditRefused(f"{node.path} is not UTF-8 text: it cannot be edited in the browser.")


def newline_of(content: bytes) -> bytes:
    """The line ending a file uses, from its first line (Kallithea's
    rule): CRLF, else LF."""
    first = content.split(b"\n", 1)[0]
    return b"\r\n" if first.endswith(b"\r") and b"\n" in content else b"\n"


def build_text_content(posted: str, newline: bytes = b"\n") -> bytes:
    """What a textarea sent, with its line endings made ``newline``."""
    text = posted.replace("\r\n", "\n").replace("\r", "\n")
    data = text.encode("utf-8", "replace")  # a lone surrogate cannot be stored as UTF-8
    if newline != b"\n":
        data = data.replace(b"\n", newline)
    return data


def check_size(size: int) -> None:
    """Refuse content of ``size`` bytes over ``MAX_EDIT_BYTES``."""
    if size > MAX_EDIT_BYTES:
        raise TooLarge(
            f"The content is larger than {MAX_EDIT_BYTES // 1024} KiB: "
            "files this big cannot be committed from the browser; push them instead."
        )


def build_message(posted: str | None, kind: str, path: str = "") -> str:
    """The commit message: what the user wrote, else Kallithea's default."""
    message = (posted or "").replace("\r\n", "\n").strip()
    if "\x00" in message:
        raise EditRefused("The commit message may not contain NUL characters.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise EditRefused(f"The commit message is longer than {MAX_MESSAGE_CHARS} characters.")
    return message or DEFAULT_MESSAGES[kind].format(path=path)


def build_new_path(location: str, filename: str) -> str:
    """The path of an added file: ``filename`` (which may name
    subdirectories) under the directory ``location``."""
    filename = (filename or "").strip()
    if not filename:
        raise EditRefused("No filename: give the new file a name.")
    joined = f"{location.strip('/')}/{filename}" if location.strip("/") else filename
    try:
        path = normalize_path(joined)
    except PathNotFound:
        raise EditRefused("Location must be relative path and must not contain .. in path.")
    if not path or path.endswith("/") or filename.endswith("/"):
        raise EditRefused("No filename: give the new file a name.")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        raise EditRefused("A file name may not contain control characters.")
    if len(path.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        raise EditRefused(f"The path is longer than {MAX_PATH_BYTES} bytes.")
    return path


def check_new_path(vcs_repo, head: BranchHead, path: str) -> None:
    """Refuse adding ``path`` where something already is."""
    if head.tip is None:
        return
    try:
        vcs_repo.get_changeset(head.tip).get_node(path)
    except PathNotFound:
        return
    raise EditRefused(f"{path} already exists: edit it instead.")


def author_of(user) -> str:
    """``Full Name <email>`` of the user, as the commit's author; characters
    that would break the author line are dropped."""
    name = (user.get_full_name() or "").strip() or user.username
    name = "".join(ch for ch in name if ch not in "<>" and ord(ch) >= 0x20).strip() or user.username
    email = "".join(ch for ch in (user.email or "") if ch not in "<> " and ord(ch) >= 0x20)
    return format_author(name, email)


def do_commit_from_web(repo_row, user, head: BranchHead, files: dict[str, bytes | None], message: str) -> str:
    """Commit ``files`` on ``head`` as ``user`` and record it as a push;
    the new changeset's id.

    Raises ``BranchMoved`` (the branch is no longer at ``head.tip``) and
    ``EditRefused`` (the change makes no sense against the tip); nothing
    is written then."""
    vcs_repo = open_repository(repo_row.path)
    try:
        new = vcs_repo.commit_files(
            branch=head.branch, parent=head.tip, files=files, message=message, author=author_of(user)
        )
    except CommitRefused as exc:
        raise EditRefused(refusal_text(exc)) from exc
    do_after_push(repo_row, user, [RefChange(f"refs/heads/{head.branch}", head.tip or ZERO_ID, new)])
    return new


def refusal_text(exc: CommitRefused) -> str:
    text = str(exc)
    if text == "nothing changes":
        return "No changes: nothing was committed."
    return f"The change cannot be committed: {text}."

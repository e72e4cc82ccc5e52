"""Message identity and threading: Message-ID, In-Reply-To, References and
List-Id, as exact strings.

Every mail gets its own unique ``Message-ID``.  Mails about one changeset or
one pull request all point at a stable root id for that object with both
``In-Reply-To`` and ``References`` (Kallithea set only References): Gmail
threads on References, Thunderbird and notmuch build the thread from
In-Reply-To, and a root that was never sent is shown as a missing parent,
which all three handle.  The ids are built from database ids, never from
user text, so they need no escaping.  The List-Id label is reduced to a
safe alphabet here; its phrase (the repository's name) is user text, which
``headers.list_id`` quotes or encodes.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from urllib.parse import urlsplit

from lindos.notifications.sender import envelope_sender


def mail_host(canonical_url: str, app_email_from: str) -> str:
    """The domain part of Lindos' message ids: the host of ``canonical_url``
    (without port), else the domain of ``app_email_from``."""
    host = urlsplit(canonical_url).hostname if canonical_url else ""
    if not host:
        host = envelope_sender(app_email_from).rpartition("@")[2]
    return (host or "localhost").lower()


def new_message_id(host: str) -> str:
    """A fresh, globally unique Message-ID (RFC 5322 section 3.6.4)."""
    return f"<lindos.{uuid.uuid4().hex}@{host}>"


def changeset_root_id(repo_id: int, raw_id: str, host: str) -> str:
    return f"<lindos.cs.{int(repo_id)}.{_hexish(raw_id)}@{host}>"


def pull_request_root_id(pull_request_id: int, host: str) -> str:
    return f"<lindos.pr.{int(pull_request_id)}@{host}>"


def _hexish(raw_id: str) -> str:
    # Changeset hashes are hex; anything else is reduced to what a msg-id allows.
    return re.sub(r"[^0-9A-Za-z]", "", raw_id) or "0"


def list_label(repo_name: str, host: str) -> str:
    """The list-id proper of a repository (RFC 2919): its name with path
    separators as dots and anything outside ``[A-Za-z0-9-]`` as ``-``,
    under the mail host: ``group/repo`` -> ``group.repo.lindos.example.com``."""
    parts = [re.sub(r"[^A-Za-z0-9-]+", "-", p).strip("-") for p in repo_name.split("/")]
    label = ".".join(p for p in parts if p) or "repository"
    return f"{label}.{host}"


def line_id(root: str, path: str, side: str, line: int | None) -> str:
    """The thread of one line under `root` (Kallithea's per-line id in
    References: a reply on the same line threads with the comments before
    it).  The path is user text, so it goes in as a digest."""
    digest = hashlib.sha256(f"{path}\0{side}\0{line}".encode()).hexdigest()[:16]
    local, _, host = root[1:-1].partition("@")
    return f"<{local}.line.{digest}@{host}>"


def comment_thread(facts, host: str) -> list[str]:
    """Thread ids of a comment: its changeset's or pull request's root and,
    for an inline comment, its line's id (for References)."""
    if facts.pull_request is not None:
        root = pull_request_root_id(facts.pull_request.id, host)
    else:
        root = changeset_root_id(facts.repo.id, facts.changeset.raw_id, host)
    if facts.inline is None:
        return [root]
    return [root, line_id(root, facts.inline.path, facts.inline.side, facts.inline.line)]


def pull_request_thread(facts, host: str) -> list[str]:
    return [pull_request_root_id(facts.pull_request.id, host)]


def no_thread(facts, host: str) -> list[str]:
    return []

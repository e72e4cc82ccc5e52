"""Changesets: get_changesets, get_changeset.

A repository the caller may not read is answered as one that does not
exist (Kallithea says "Access denied to repo NAME", which tells a stranger
that a private NAME exists; Lindos never does)."""

from __future__ import annotations

import datetime

from lindos.api.errors import WRONG_TYPE, JSONRPCError
from lindos.api.jsonrpc import Bool, Id, Int, Str, api_method
from lindos.api.methods.common import get_repo_with_level
from lindos.api.serialize import changeset_dict, file_lists, latest_statuses, naive
from lindos.repos.storage import UnsafePath
from lindos.vcs import open_repository
from lindos.vcs.errors import VCSError

DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _open(repo):
    try:
        return open_repository(repo.path)
    except (VCSError, UnsafePath, OSError):
        raise JSONRPCError("repository `%s` does not exist" % (repo.name,))


def _date(name: str, value):
    if value is None:
        return None
    try:
        return datetime.datetime.strptime(value, DATE_FORMAT)
    except ValueError:
        raise JSONRPCError(WRONG_TYPE % (name, "a date as %s" % DATE_FORMAT.replace("%%", "%")))


def _index(history_ids: list[str], vcs_repo, rev) -> int | None:
    """Where `rev` is in the list; a revision outside it is ignored, as
    Kallithea does (the window then starts or ends at the list's end)."""
    try:
        wanted = vcs_repo.get_changeset(str(rev)).id
    except (VCSError, ValueError):
        raise JSONRPCError("Changeset %s does not exist" % (rev,))
    return history_ids.index(wanted) if wanted in history_ids else None


@api_method()
def get_changesets(
    call,
    repoid: Id,
    start: Id = None,
    end: Id = None,
    start_date: Str = None,
    end_date: Str = None,
    branch_name: Str = None,
    reverse: Bool = False,
    with_file_list: Bool = False,
    max_revisions: Int = None,
):
    """Oldest first (newest first with `reverse`); ``revision`` is the
    changeset's position in that history, counted from 0."""
    repo = get_repo_with_level(call, repoid, "read")
    since, until = _date("start_date", start_date), _date("end_date", end_date)
    vcs_repo = _open(repo)
    if vcs_repo.is_empty():
        raise JSONRPCError("Repository is empty")
    try:
        history = list(reversed(vcs_repo.iter_changesets(branch=branch_name, limit=None)))
    except (VCSError, ValueError):
        raise JSONRPCError("Changeset %s does not exist" % (branch_name,))
    # Kallithea's order of filters: dates and max_revisions (the newest N)
    # first, then the window from `start` to `end`, both included.
    chosen = [
        (number, cs)
        for number, cs in enumerate(history)
        if not (since and naive(cs.date) < since) and not (until and naive(cs.date) > until)
    ]
    if max_revisions is not None and max_revisions > 0:
        chosen = chosen[-max_revisions:]
    ids = [cs.id for _number, cs in chosen]
    first = _index(ids, vcs_repo, start) if start is not None else None
    last = _index(ids, vcs_repo, end) if end is not None else None
    first = 0 if first is None else first
    last = len(chosen) - 1 if last is None else last
    chosen = chosen[first : last + 1]
    if reverse:
        chosen.reverse()
    out = []
    for number, cs in chosen:
        data = {
            "short_id": cs.short_id,
            "raw_id": cs.id,
            "revision": number,
            "message": cs.message,
            "date": naive(cs.date),
            "author": cs.author,
        }
        if with_file_list:
            data.update(file_lists(cs))
        out.append(data)
    return out


@api_method()
def get_changeset(call, repoid: Id, raw_id: Str, with_reviews: Bool = False):
    from lindos.review.models import ChangesetStatus

    repo = get_repo_with_level(call, repoid, "read")
    vcs_repo = _open(repo)
    try:
        cs = vcs_repo.get_changeset(raw_id)
    except (VCSError, ValueError):
        raise JSONRPCError("Changeset %s does not exist" % raw_id)
    info = changeset_dict(vcs_repo, cs)
    if with_reviews:
        info["reviews"] = latest_statuses(ChangesetStatus.objects.filter(repository=repo, revision=cs.id))
    return info

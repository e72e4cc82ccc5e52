"""Commit statistics of a repository: commits per day and per author, for
``/REPO/statistics``, counted by the background worker.

Policy (Kallithea's ``get_commits_stats``, without its revision numbers):

* every changeset reachable from a branch, tag or bookmark (hg: every
  head, closed branches included) counts once, whichever branches hold it;
* an author is their email address (lower case), else their name, and is
  shown by the name on their latest counted changeset;
* a day is the author date's calendar day in the author's own time zone;
* counting is incremental: ``counted_heads`` remembers how far it got, and
  a push costs only its new changesets;
* one pass stops after ``BUDGET_SECONDS``; what it counted is saved and
  another pass is queued, so a long history is counted over several passes
  without holding the worker.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction

from lindos.activity.models import RepositoryStatistics
from lindos.repos.models import Repository
from lindos.vcs import open_repository
from lindos.vcs.errors import VCSError
from lindos.vcs.text import split_author

log = logging.getLogger("lindos.background")

#: Seconds one pass may spend reading history.
BUDGET_SECONDS = 20.0
#: Changesets between two looks at the clock.
CLOCK_EVERY = 200


def author_key(author: str) -> tuple[str, str]:
    """``(key, display name)`` of a changeset's author (see module doc)."""
    name, email = split_author(author)
    name = name.strip() or email.strip() or "unknown"
    key = email.strip().lower() or name.lower()
    return key[:200], name[:200]


def add_changeset(activity: dict, author: str, day: str) -> None:
    """Count one changeset into ``activity`` (see ``RepositoryStatistics``)."""
    key, name = author_key(author)
    person = activity.setdefault(key, {"name": name, "days": {}})
    person["name"] = name
    person["days"][day] = person["days"].get(day, 0) + 1


def repository_heads(vcs) -> list[str]:
    """The changesets whose ancestry is the repository's counted history."""
    if vcs.is_empty():
        return []
    heads = set(vcs.heads) | set(vcs.tags.values()) | set(vcs.bookmarks.values())
    return sorted(heads)


def next_heads(old_heads: list[str], read: dict[str, list[str]]) -> list[str]:
    """Where counting got to after reading ``read`` (id -> parents), an
    ancestry-closed set beyond ``old_heads``: its own heads, and the old
    heads none of it descends from."""
    parents = {p for ps in read.values() for p in ps}
    kept = [h for h in old_heads if h not in parents]
    return sorted(set(kept) | {i for i in read if i not in parents})


def count_pass(vcs, stats: RepositoryStatistics, budget: float | None = None) -> bool:
    """Count changesets not yet counted into ``stats`` (not saved); True
    when the history is now counted whole."""
    heads = repository_heads(vcs)
    deadline = time.monotonic() + (BUDGET_SECONDS if budget is None else budget)
    read: dict[str, list[str]] = {}
    finished = True
    for n, cs in enumerate(vcs.iter_graph(heads, stats.counted_heads), 1):
        add_changeset(stats.activity, cs.author, cs.date.date().isoformat())
        read[cs.id] = cs.parents
        if n % CLOCK_EVERY == 0 and time.monotonic() > deadline:
            finished = False
            break
    stats.commits += len(read)
    stats.counted_heads = heads if finished else next_heads(stats.counted_heads, read)
    stats.complete = finished
    return finished


def is_current(stats: RepositoryStatistics | None, vcs) -> bool:
    return stats is not None and stats.complete and sorted(stats.counted_heads) == repository_heads(vcs)


def do_update_statistics(repository_id: int, budget: float | None = None) -> bool | None:
    """One pass for the repository (see module doc). True when its
    statistics are complete, False when another pass is needed, None when
    there is nothing to count (no such repository, statistics switched
    off for it, unreadable on disk)."""
    repo = Repository.objects.filter(pk=repository_id).first()
    if repo is None or not repo.enable_statistics:
        return None
    try:
        vcs = open_repository(repo.path)
    except (VCSError, OSError) as exc:
        log.warning("statistics of %s not updated: %s", repo.name, exc)
        return None
    stats, _ = RepositoryStatistics.objects.get_or_create(repository=repo)
    if is_current(stats, vcs):
        return True
    if _history_rewritten(vcs, stats):
        # A forced push removed counted changesets: count again from scratch.
        stats.counted_heads, stats.activity, stats.commits = [], {}, 0
    finished = count_pass(vcs, stats, budget)
    with transaction.atomic():
        stats.save()
    log.info(
        "statistics of %s: %d changeset(s) counted%s", repo.name, stats.commits, "" if finished else " so far"
    )
    return finished


def _history_rewritten(vcs, stats: RepositoryStatistics) -> bool:
    """True when a counted changeset is gone from the repository's history
    (a forced push, a deleted branch): some counted head is missing, or is
    not an ancestor of any current head."""
    if not stats.counted_heads:
        return False
    if not all(vcs.has_changeset(head) for head in stats.counted_heads):
        return True
    orphans = vcs.iter_graph(stats.counted_heads, repository_heads(vcs))
    return next(iter(orphans), None) is not None

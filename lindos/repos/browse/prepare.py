"""Render, ahead of the first visitor, what a push made new.

After a push the pages people open first (from the notification mail or
the summary) are the new changesets, the files they changed and those
files' annotation.  Each of those is cached under immutable ids (blob,
changeset) by the page code itself; this module calls that same code in
the background so the first view reads the cache.

Policy, so a huge push cannot monopolise the worker:

* at most ``MAX_CHANGESETS`` new changesets per push, newest first (each
  moved head first, then its ancestors back to the old head);
* at most ``MAX_FILES`` changed files per changeset, text files up to the
  highlighter's limit (larger ones render fast, without colours);
* annotate (the slowest: a blame) only at the heads, where "files" and
  "annotate" links from the summary and the mail land;
* the repository's history indexes are refreshed first (git's
  commit-graph file, which lets the changelog graph read only its page);
* everything stops when ``BUDGET_SECONDS`` are spent; what was not
  prepared renders on demand, as it always did.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from lindos.vcs.errors import VCSError

log = logging.getLogger("lindos.background")

MAX_CHANGESETS = 10
MAX_FILES = 20
BUDGET_SECONDS = 20.0


@dataclass
class PrepareReport:
    changesets: int = 0
    files: int = 0
    annotations: int = 0
    skipped: list[str] = field(default_factory=list)
    out_of_time: bool = False

    def __str__(self) -> str:
        text = f"{self.changesets} changeset(s), {self.files} file(s), {self.annotations} annotation(s)"
        return text + (" (time budget spent)" if self.out_of_time else "")


def new_changesets(vcs, heads, limit: int = MAX_CHANGESETS) -> list:
    """The changesets a push brought, heads first, at most ``limit``.

    ``heads`` are ``(old, new)`` ids; a new ref (``old`` None) contributes
    its head only (its ancestors were mostly there before)."""
    found, seen = [], set()

    def add(cs, is_head):
        if cs.id not in seen and len(found) < limit:
            seen.add(cs.id)
            found.append((cs, is_head))

    for _old, new in heads:
        try:
            add(vcs.get_changeset(new), True)
        except VCSError:
            continue
    for old, new in heads:
        if old is None or new in (old,):
            continue
        try:
            between = vcs.changesets_between(old, new)
        except VCSError:
            continue
        for cs in reversed(between[-limit:]):
            add(cs, False)
    return found


def prepare_changeset(cs, is_head: bool, deadline: float, report: PrepareReport) -> None:
    """Diff, then the changed files' lines (and annotation at a head)."""
    from .annotate import annotate_runs
    from .diffs import render_changeset_diff
    from .files import DISPLAY_LIMIT, last_change
    from .highlight import HIGHLIGHT_LIMIT, highlighted_lines

    render_changeset_diff(cs)
    report.changesets += 1
    changed = [c for c in cs.changed_files() if c.status != "D"]
    if len(changed) > MAX_FILES:
        report.skipped.append(f"{cs.short_id}: {len(changed) - MAX_FILES} file(s) past {MAX_FILES}")
    for change in changed[:MAX_FILES]:
        if time.monotonic() > deadline:
            report.out_of_time = True
            return
        try:
            node = cs.get_node(change.path)
        except VCSError:
            continue
        if not node.is_file or node.size > DISPLAY_LIMIT or node.is_binary:
            continue
        if node.size <= HIGHLIGHT_LIMIT:
            highlighted_lines(node.blob_id, node.name, node.content, limit=HIGHLIGHT_LIMIT)
        last_change(cs, node.path)
        report.files += 1
        if is_head and time.monotonic() < deadline:
            annotate_runs(cs, node.path)
            report.annotations += 1


def prepare_summary(cs) -> None:
    """The README and the root listing's "last change" column at a head."""
    from .files import last_changes
    from .readme import find_readme, rendered_readme

    entries = cs.get_node("").entries()
    readme = find_readme(entries)
    if readme is not None:
        rendered_readme(readme)
    last_changes(cs, [entry.path for entry in entries])


def prepare_push(repository_id: int, heads, budget: float = BUDGET_SECONDS) -> PrepareReport | None:
    """Prepare a push's pages (see module doc); None if the repository is
    gone or unreadable."""
    from lindos.repos.models import Repository
    from lindos.repos.storage import UnsafePath
    from lindos.vcs import open_repository

    report = PrepareReport()
    deadline = time.monotonic() + budget
    row = Repository.objects.filter(pk=repository_id).first()
    if row is None:
        return None
    try:
        vcs = open_repository(row.path)
    except (VCSError, UnsafePath, OSError):
        return None
    try:
        # First, and cheap: without it git's changelog graph reads the
        # whole history on every view.
        vcs.refresh_indexes()
    except VCSError as exc:
        log.warning("refreshing the indexes of %s: %s", row.name, exc)
    heads = [(old, new) for old, new in heads]
    changesets = new_changesets(vcs, heads)
    for cs, is_head in changesets:
        if time.monotonic() > deadline:
            report.out_of_time = True
            break
        try:
            prepare_changeset(cs, is_head, deadline, report)
            if is_head and time.monotonic() < deadline:
                prepare_summary(cs)
        except VCSError as exc:
            log.warning("preparing %s@%s: %s", row.name, cs.short_id, exc)
    log.info("prepared push to %s: %s", row.name, report)
    return report

"""What the branch filter shows as chosen, on every page that has one.

Policy: the filter names the branch the shown revision is on, so a
visitor always sees where they are and choosing any other entry is a
change (which navigates; ``static/lindos.js`` submits the form on change).

* A URL that names a branch, tag or bookmark selects that name.
* Otherwise (``tip``, an id): hg selects the changeset's named branch;
  git selects a branch whose tip it is, else a branch whose history holds
  it, the default branch first (one ``git for-each-ref --contains`` walk
  for all branches, cached until a branch moves).
* A revision on no branch gets its own entry, "revision <short id>",
  selected, so the first branch of the list is never shown as if chosen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from lindos.vcs.errors import VCSError
from lindos.vcs.text import display_name

_CACHE_VERSION = 1


@dataclass(frozen=True)
class FilterState:
    """``current``: the selected option's value; ``revision_option``:
    ``{"value", "label"}`` of the extra entry for a revision on no branch."""

    current: str
    revision_option: dict | None = None


def branch_of(vcs_repo, cs) -> str | None:
    """The branch ``cs`` is on (see module doc), or None. The answer holds
    until a branch moves, so it is cached under the id and the branch
    tips."""
    if cs.branch:
        return cs.branch
    tips = hashlib.sha1(
        repr(sorted(vcs_repo.branches.items())).encode("utf-8", "surrogateescape")
    ).hexdigest()
    key = f"lindos:branchof:{_CACHE_VERSION}:{vcs_repo.kind}:{cs.id}:{tips}"
    found = cache.get(key)
    if found is None:
        try:
            names = vcs_repo.branches_containing(cs.id)
        except VCSError:
            names = []
        default = vcs_repo.default_branch
        names.sort(key=lambda name: (name != default, name))
        found = names[0] if names else ""
        cache.set(key, found)
    return found or None


def _ref_names(vcs_repo) -> set[str]:
    return {
        *vcs_repo.branches,
        *vcs_repo.closed_branches,
        *vcs_repo.tags,
        *vcs_repo.bookmarks,
    }


def filter_state(vcs_repo, rev_text: str | None, cs) -> FilterState:
    """The filter's selection for a page showing ``cs``, reached as
    ``rev_text`` (the revision as the URL wrote it)."""
    if rev_text and rev_text in _ref_names(vcs_repo):
        return FilterState(display_name(rev_text))
    if cs is None:
        return FilterState("")
    name = branch_of(vcs_repo, cs)
    if name is not None:
        return FilterState(display_name(name))
    return FilterState(cs.id, {"value": cs.id, "label": f"revision {cs.short_id}"})

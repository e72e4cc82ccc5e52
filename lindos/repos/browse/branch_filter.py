"""What the branch filter shows as chosen, on every page that has one.

Policy: the filter names the branch the shown revision is on, so a
visitor always sees where they are and choosing any other entry is a
change (which navigates; ``static/lindos.js`` submits the form on change).

* A URL that names a branch, tag or bookmark selects that name.
* Otherwise (``tip``, an id): hg selects the changeset's named branch;
  git selects a branch whose tip it is, else a branch whose history holds
  it, the default branch first, checking at most ``MAX_BRANCHES_CHECKED``
  branches so a repository with thousands of branches stays fast.
* A revision on no branch gets its own entry, "revision <short id>",
  selected, so the first branch of the list is never shown as if chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindos.vcs.errors import VCSError
from lindos.vcs.text import display_name

MAX_BRANCHES_CHECKED = 50


@dataclass(frozen=True)
class FilterState:
    """``current``: the selected option's value; ``revision_option``:
    ``{"value", "label"}`` of the extra entry for a revision on no branch."""

    current: str
    revision_option: dict | None = None


def branch_of(vcs_repo, cs) -> str | None:
    """The branch ``cs`` is on (see module doc), or None."""
    if cs.branch:
        return cs.branch
    branches = vcs_repo.branches
    default = vcs_repo.default_branch
    names = sorted(branches, key=lambda name: (name != default, name))[:MAX_BRANCHES_CHECKED]
    for name in names:
        try:
            if vcs_repo.contains(cs.id, branches[name]):
                return name
        except VCSError:
            continue
    return None


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

"""What a pull request brings: its changesets and diff, computed with the
VCS layer, across a repository and its fork.

Policy:
- the source is a branch or an hg bookmark (followed when it moves) or a
  fixed revision of
  the target repository or one of its forks; the target is a branch;
- an iteration's changesets are those reachable from the source head but
  not from the target branch tip, oldest first; the diff goes from their
  common ancestor to the source head;
- both sides must be in one repository to compare them.  Within one
  repository nothing is copied.  For a git fork, the source head is
  fetched into the target as the hidden ref ``refs/pull/N/head`` (GitHub's
  convention; branch and tag listings never show it) so later pages and
  diffs work even if the fork goes away.  For a Mercurial fork, the fork
  itself is used and must already contain the target branch tip (pull it
  first): pulling into the target would add visible heads there.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from lindos import vcs
from lindos.vcs.errors import RevisionNotFound, VCSError
from lindos.vcs.process import git_command, git_env


@dataclass(frozen=True)
class Comparison:
    source_rev: str
    target_rev: str
    base_rev: str
    revisions: list[str]


def open_vcs(repo_row):
    return vcs.open_repository(repo_row.path)


REF_KIND_NAMES = {"branch": "a branch", "book": "a bookmark", "tag": "a tag"}


def named_ref_id(repo, kind: str, name: str) -> str | None:
    """The id `kind`:`name` names in `repo` (one of ``named_refs``), or None."""
    return next((r.id for r in repo.named_refs() if r.kind == kind and r.name == name), None)


def resolve_source(source_row, ref_kind: str, ref: str) -> str:
    """Full id of the source head; ValidationError naming the ref if unknown."""
    repo = open_vcs(source_row)
    ref_kind = "book" if ref_kind == "bookmark" else ref_kind  # as stored -> as listed
    if ref_kind in REF_KIND_NAMES:
        found = named_ref_id(repo, ref_kind, ref)
        if found is None:
            raise ValidationError(f"'{ref}' is not {REF_KIND_NAMES[ref_kind]} of {source_row.name}.")
        return found
    try:
        return repo.get_changeset(ref).id
    except (RevisionNotFound, VCSError):
        raise ValidationError(f"'{ref}' is not a revision of {source_row.name}.")


def target_tip(target_row, name: str) -> str:
    """The changeset the target names: a branch, else a bookmark, else a tag
    of that name (the target is stored by name; a branch wins a clash)."""
    repo = open_vcs(target_row)
    for kind in ("branch", "book", "tag"):
        found = named_ref_id(repo, kind, name)
        if found is not None:
            return found
    raise ValidationError(f"'{name}' is not a branch, bookmark or tag of {target_row.name}.")


def hidden_ref(pr_id: int) -> str:
    return f"refs/pull/{int(pr_id)}/head"


def fetch_into_target(source_row, target_row, source_rev: str, pr_id: int) -> None:
    """Copy the source head's history into the target git repository under
    ``refs/pull/N/head`` (see module doc)."""
    # Asking for a bare id needs the source to allow it (upload-pack reads
    # the setting from the environment git passes to it).
    cmd = git_command(
        target_row.path,
        "-c",
        "uploadpack.allowAnySHA1InWant=true",
        "fetch",
        "--quiet",
        "--no-tags",
        "--",
        source_row.path,
        f"+{source_rev}:{hidden_ref(pr_id)}",
    )
    proc = subprocess.run(cmd, env=git_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise VCSError(
            "fetching the pull request's changesets failed: " + proc.stderr.decode("utf-8", "replace").strip()
        )


def compare_row(source_row, target_row):
    """The repository where both sides of the pull request can be seen."""
    if source_row.pk == target_row.pk or target_row.kind == "git":
        return target_row
    return source_row


def compare(
    source_row, source_rev: str, target_row, target_branch: str, pr_id: int | None = None
) -> Comparison:
    """The changesets `source_rev` would bring into `target_branch`.

    Raises ValidationError when the two sides cannot be compared.  For a
    git fork `pr_id` names the hidden ref the source is fetched into.
    """
    tip = target_tip(target_row, target_branch)
    if source_row.pk != target_row.pk and target_row.kind == "git":
        fetch_into_target(source_row, target_row, source_rev, pr_id)
    repo = open_vcs(compare_row(source_row, target_row))
    return _compare_in(repo, source_row, source_rev, target_row, target_branch, tip)


def _compare_in(repo, source_row, source_rev: str, target_row, target_name: str, tip: str) -> Comparison:
    """The comparison read from `repo`, which holds both sides."""
    try:
        repo.get_changeset(tip)
    except RevisionNotFound:
        raise ValidationError(
            f"{source_row.name} does not contain the tip of {target_row.name} {target_name}; pull it first."
        )
    base = repo.ancestor(tip, source_rev)
    if base is None:
        raise ValidationError("The source and the target have no common history.")
    revisions = [cs.id for cs in repo.changesets_between(tip, source_rev)]
    return Comparison(source_rev, tip, base, revisions)


def iteration_changesets(pr, iteration) -> list:
    """The iteration's changesets as VCS objects, oldest first."""
    repo = compare_vcs(pr)
    return [repo.get_changeset(rev) for rev in iteration.revisions]


def iteration_diff(pr, iteration) -> bytes:
    """The combined diff of the iteration: from the base to the source head."""
    return compare_vcs(pr).diff(iteration.base_rev, iteration.source_rev)


def compare_vcs(pr):
    """The repository holding both sides of `pr`."""
    return open_vcs(compare_row(pr.source_repo, pr.target_repo))


def preview(source_row, source_rev: str, target_row, target_name: str):
    """What a pull request would bring, before it exists: ``(Comparison,
    repository to read its changesets and diff from)``.  Nothing is written:
    a git fork is read with the target's objects borrowed in memory (the
    created pull request fetches them for good, see module doc)."""
    tip = target_tip(target_row, target_name)
    return compare_revisions(source_row, source_rev, target_row, tip, target_name)


def compare_revisions(source_row, source_rev: str, target_row, target_rev: str, target_label: str = ""):
    """What ``source_rev`` (of ``source_row``) brings over ``target_rev``
    (of ``target_row``), both full ids: ``(Comparison, repository holding
    both)``, as ``preview`` reads it; nothing is written.  A Mercurial
    source that lacks the target revision is read from the target instead
    when that holds both (a parent compared with its fork).
    ValidationError when the sides cannot be compared."""
    if source_row.pk != target_row.pk and target_row.kind == "git":
        repo = open_vcs(source_row)
        repo.borrow_objects(open_vcs(target_row))
    else:
        repo = open_vcs(compare_row(source_row, target_row))
        if source_row.pk != target_row.pk and not _holds(repo, target_rev):
            other = open_vcs(target_row)
            if _holds(other, source_rev):
                repo = other
    label = target_label or target_rev[:12]
    return _compare_in(repo, source_row, source_rev, target_row, label, target_rev), repo


def _holds(repo, rev: str) -> bool:
    try:
        repo.get_changeset(rev)
    except (RevisionNotFound, VCSError):
        return False
    return True

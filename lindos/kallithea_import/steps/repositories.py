"""Repositories: name (with its group path), type, owner, description,
privacy, landing revision, the statistics and downloads switches (columns
``statistics`` and ``downloads``), fork parent, creation time, and the
permission Kallithea's default user (everyone) had on each.

The folders stay where they are: ``runner`` has already checked that the
Kallithea repositories lie in Lindos's ``base_path``.  Kallithea's own git
hook (a ``post-receive`` script calling Kallithea) is moved aside, so pushes
to Lindos do not run it.
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError

from lindos.kallithea_import.context import ImportContext, aware, truthy
from lindos.kallithea_import.permission_levels import default_levels
from lindos.kallithea_import.steps.ids import pks_by
from lindos.kallithea_import.timestamps import kept_timestamps
from lindos.repos.models import Repository
from lindos.repos.storage import validate_repository_name

KIND = "repositories"
KALLITHEA_HOOK_MARK = b"KALLITHEA_HOOK_VER"


def landing_rev(value: str) -> str:
    """Kallithea's ``type:name`` (``rev:tip``, ``branch:default``,
    ``tag:v1``, ``book:x``) as Lindos's branch or tag name; ``rev:tip``
    (Kallithea's default) is Lindos's default, the empty string."""
    kind, _, name = (value or "").partition(":")
    if kind in ("branch", "tag", "book") and name:
        return name[:255]
    return ""


def disable_kallithea_hooks(path: str) -> int:
    """Move Kallithea's hooks in a git repository aside; how many were."""
    moved = 0
    for hooks in (os.path.join(path, "hooks"), os.path.join(path, ".git", "hooks")):
        if not os.path.isdir(hooks):
            continue
        for name in ("pre-receive", "post-receive"):
            hook = os.path.join(hooks, name)
            if os.path.isfile(hook) and not os.path.islink(hook):
                with open(hook, "rb") as fh:
                    if KALLITHEA_HOOK_MARK in fh.read():
                        os.replace(hook, hook + ".kallithea")
                        moved += 1
    return moved


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("repositories", "repo_id")
    ctx.progress.start(KIND, len(rows))
    # Any "KIND.LEVEL" name, as Kallithea's repository rows were read before.
    defaults = default_levels(ctx, "repo_to_perm", "repo_to_perm_id", "repository_id", None)
    taken = set(Repository.objects.values_list("name", flat=True))
    new, old_ids, hooks_moved = [], [], 0
    for row in rows:
        ctx.progress.advance()
        old_id, name = row["repo_id"], row["repo_name"]
        if ctx.ids.has("repository", old_id):
            ctx.summary.already[KIND] += 1
            continue
        why = _refusal(ctx, row, taken)
        if why:
            ctx.summary.skip(KIND, name, why)
            continue
        taken.add(name)
        path = os.path.join(ctx.lindos_base_path, name)
        if row["repo_type"] == "git":
            hooks_moved += disable_kallithea_hooks(path)
        new.append(
            Repository(
                name=name,
                kind=row["repo_type"],
                owner_id=ctx.ids.get("user", row["user_id"]),
                description=row["description"] or "",
                private=truthy(row["private"]),
                landing_rev=landing_rev(row["landing_revision"]),
                default_permission=defaults.get(old_id, "read"),
                enable_statistics=truthy(row["statistics"]),
                enable_downloads=truthy(row["downloads"]),
                created_at=aware(row["created_on"]),
                updated_at=aware(row["updated_on"]) or aware(row["created_on"]),
            )
        )
        old_ids.append((old_id, row["fork_id"]))
    with kept_timestamps(Repository):
        Repository.objects.bulk_create(new, batch_size=1000)
    by_name = pks_by(Repository, "name", [r.name for r in new])
    for repo, (old_id, _) in zip(new, old_ids):
        ctx.ids.add("repository", old_id, by_name[repo.name])
    _link_forks(ctx, [(by_name[r.name], fork) for r, (_, fork) in zip(new, old_ids) if fork])
    ctx.summary.imported[KIND] += len(new)
    if hooks_moved:
        ctx.summary.leave(
            "Kallithea git hooks", hooks_moved, "moved aside (renamed *.kallithea): Lindos needs none"
        )
    ctx.progress.finish()


def _refusal(ctx: ImportContext, row: dict, taken: set[str]) -> str:
    name = row["repo_name"]
    if row.get("repo_state") not in (None, "repo_state_created"):
        return f"not created in Kallithea (state {row['repo_state']})"
    if row["repo_type"] not in ("git", "hg"):
        return f"unknown type {row['repo_type']!r}"
    try:
        validate_repository_name(name)
    except ValidationError as exc:
        return "name not allowed in Lindos: " + " ".join(exc.messages)
    if name in taken:
        return "a Lindos repository has this name"
    if ctx.ids.get("user", row["user_id"]) is None:
        return f"its owner (user #{row['user_id']}) was not imported"
    path = os.path.join(ctx.lindos_base_path, name)
    marker = ".git" if row["repo_type"] == "git" else ".hg"
    if not (os.path.isdir(os.path.join(path, marker)) or os.path.isfile(os.path.join(path, "HEAD"))):
        return f"no {row['repo_type']} repository at {path}"
    return ""


def _link_forks(ctx: ImportContext, pairs: list[tuple[int, int]]) -> None:
    """Fork parents, once every repository has its Lindos id."""
    for new_id, old_parent in pairs:
        parent = ctx.ids.get("repository", old_parent)
        if parent is not None:
            Repository.objects.filter(pk=new_id).update(fork_of_id=parent)

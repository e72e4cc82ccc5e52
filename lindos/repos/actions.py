"""Changing repositories: create, fork, edit, rename, delete, grant.

One place for the web pages and the CLI. Each ``do_*`` keeps the database
row and the directory in step: the directory is made first and removed
again if the row cannot be written; a row is deleted before its directory,
so a failure to remove files leaves an orphan directory (found again by
``repo-scan``), never a row pointing at nothing.
"""

from __future__ import annotations

import logging
import os
import shutil

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lindos import vcs
from lindos.appsettings.current import current_app_settings
from lindos.repos.group_actions import ensure_parent_groups
from lindos.repos.journal import record_event
from lindos.repos.models import JournalAction, RepoGroup, Repository, RepositoryPermission
from lindos.repos.permission_cache import forget_cached_permissions
from lindos.repos.permissions import (
    can_admin,
    can_read,
    group_permission_for,
    has_at_least,
    has_global_permission,
)
from lindos.repos.storage import (
    base_path,
    is_inside,
    remove_empty_parents,
    repository_path,
    validate_repository_name,
)

log = logging.getLogger(__name__)


def default_permission_for(private: bool) -> str:
    """New public repositories get the site default; private ones ``none``."""
    return "none" if private else current_app_settings().default_repo_permission


NOT_AVAILABLE = "The name '{name}' is not available; please choose another."


def check_name_available(name: str, exclude_pk: int | None = None, viewer=None) -> None:
    """Refuse a name that is taken, or that nests in or around another repository.

    ``a/b`` next to an existing repository ``a`` would put one repository's
    directory inside another's; ``a`` next to ``a/b`` likewise.

    With a ``viewer`` (the person choosing the name on a web page), a clash
    with a repository they may not read gets the same neutral refusal as a
    leftover folder on disk, never "already exists": a private repository
    answers 404 to them everywhere else, and its name must not leak here.
    (Names are one namespace, so the name stays refused; what is hidden is
    that a repository holds it.)  The command line, run by the operator, is
    told everything.
    """
    validate_repository_name(name)
    neutral = ValidationError(NOT_AVAILABLE.format(name=name))
    others = Repository.objects.exclude(pk=exclude_pk) if exclude_pk else Repository.objects.all()
    parts = name.split("/")
    prefixes = Q()
    for i in range(1, len(parts)):
        prefixes |= Q(name__iexact="/".join(parts[:i]))
    clashes = [
        ("same", others.filter(name__iexact=name)),
        ("inside", others.filter(prefixes) if len(parts) > 1 else others.none()),
        ("around", others.filter(name__istartswith=name + "/")),
    ]
    for kind, found in clashes:
        found = list(found.select_related("owner")[:50])
        if not found:
            continue
        if viewer is not None and not all(can_read(viewer, repo) for repo in found):
            raise neutral
        if kind == "same":
            raise ValidationError(f"A repository named '{name}' already exists.")
        if kind == "inside":
            raise ValidationError("A repository cannot be placed inside another repository.")
        raise ValidationError(f"'{name}' is already used as a group of other repositories.")
    group = RepoGroup.objects.filter(name__iexact=name).first()
    if group is not None:
        if viewer is not None and not has_at_least(group_permission_for(viewer, group), "read"):
            raise neutral
        raise ValidationError(f"'{name}' is a repository group.")
    path = repository_path(name)
    if os.path.lexists(path) and not (os.path.isdir(path) and not os.listdir(path)):
        if viewer is not None:
            raise neutral
        raise ValidationError(f"Something already exists on disk at '{name}'.")


def _make_parent(path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Re-check after creating group folders: a folder may have been a symlink.
    if not is_inside(base_path(), os.path.realpath(os.path.dirname(path))):
        raise ValidationError("The repository folder lies outside the repository root.")


def do_create_repository(
    *,
    name: str,
    kind: str,
    owner,
    description: str = "",
    private: bool = False,
    landing_rev: str = "",
    actor=None,
    copy_group_permissions: bool = False,
    enable_statistics: bool = True,
    enable_downloads: bool = True,
) -> Repository:
    """Create an empty repository on disk and its row; journal "created".
    ``actor``: who asked on a web page (see check_name_available's viewer,
    and ``group_actions`` for where they may create). Missing groups on the
    way are created. ``copy_group_permissions``: start with the enclosing
    group's grants and default (Kallithea's "copy parent group permissions")."""
    check_name_available(name, viewer=actor)
    group = ensure_parent_groups(name, actor=actor, owner=owner)
    path = repository_path(name)
    _make_parent(path)
    vcs.init_repository(path, kind)
    try:
        with transaction.atomic():
            repo = Repository.objects.create(
                name=name,
                kind=kind,
                owner=owner,
                description=description,
                private=private,
                landing_rev=landing_rev,
                default_permission=default_permission_for(private),
                enable_statistics=enable_statistics,
                enable_downloads=enable_downloads,
            )
            if group is not None and copy_group_permissions:
                copy_group_grants(group, repo)
            record_event(repo, actor or owner, JournalAction.CREATE)
    except Exception:
        _remove_tree(path)
        raise
    return repo


def copy_group_grants(group, repo: Repository) -> None:
    """Give ``repo`` the grants of ``group`` (and its default, unless private)."""
    from lindos.repos.models import RepositoryUserGroupPermission

    RepositoryPermission.objects.bulk_create(
        [
            RepositoryPermission(repository=repo, user_id=g.user_id, permission=g.permission)
            for g in group.user_permissions.all()
        ]
    )
    RepositoryUserGroupPermission.objects.bulk_create(
        [
            RepositoryUserGroupPermission(
                repository=repo, user_group_id=g.user_group_id, permission=g.permission
            )
            for g in group.user_group_permissions.all()
        ]
    )
    if not repo.private:
        repo.default_permission = group.default_permission
        repo.save(update_fields=["default_permission"])
    forget_cached_permissions()


def do_register_repository(*, name: str, kind: str, owner, private: bool = False) -> Repository:
    """Add a row for a repository already on disk (``lindos repo-scan``)."""
    validate_repository_name(name)
    ensure_parent_groups(name, owner=owner)
    with transaction.atomic():
        repo = Repository.objects.create(
            name=name,
            kind=kind,
            owner=owner,
            private=private,
            default_permission=default_permission_for(private),
        )
        record_event(repo, owner, JournalAction.CREATE, detail="found on disk")
    return repo


PRIVATE_COPY_MESSAGE = (
    "A fork of a private repository must be private: only the "
    "repository's admins may make a public copy of it."
)


def may_publish_copy(source: Repository | None, user) -> bool:
    """Whether ``user`` may have a public repository holding ``source``'s
    history: always for a public source, and for a private one only if they
    are an admin of it (a reader must not turn read access into a public
    copy). ``None`` (no source, or no known user) answers for itself."""
    if source is None or not source.private:
        return True
    return user is not None and can_admin(user, source)


def do_fork_repository(
    source: Repository,
    *,
    name: str,
    owner,
    description: str | None = None,
    private: bool | None = None,
    actor=None,
    enable_statistics: bool | None = None,
    enable_downloads: bool | None = None,
) -> Repository:
    """Copy ``source`` server-side into a new repository owned by ``owner``.

    ``actor`` is who asks (default: ``owner``). The fork is private when the
    source is, unless ``actor`` is an admin of the source; asking for a
    public fork of a private source otherwise is a ``ValidationError``.
    The statistics and downloads switches are the source's unless given.
    """
    private = source.private if private is None else private
    if not private and not may_publish_copy(source, actor or owner):
        raise ValidationError(PRIVATE_COPY_MESSAGE)
    if actor is not None and not has_global_permission(actor, "fork"):
        raise ValidationError("You may not fork repositories.")
    check_name_available(name, viewer=actor or owner)
    ensure_parent_groups(name, actor=actor, owner=owner)
    path = repository_path(name)
    _make_parent(path)
    vcs.clone_repository(source.path, path, source.kind)
    try:
        with transaction.atomic():
            repo = Repository.objects.create(
                name=name,
                kind=source.kind,
                owner=owner,
                fork_of=source,
                description=source.description if description is None else description,
                private=private,
                landing_rev=source.landing_rev,
                default_permission=default_permission_for(private),
                enable_statistics=source.enable_statistics
                if enable_statistics is None
                else enable_statistics,
                enable_downloads=source.enable_downloads if enable_downloads is None else enable_downloads,
            )
            record_event(source, actor or owner, JournalAction.FORK, detail=name)
            record_event(repo, actor or owner, JournalAction.CREATE, detail=f"fork of {source.name}")
    except Exception:
        _remove_tree(path)
        raise
    return repo


def do_update_repository(repo: Repository, *, name: str | None = None, actor=None, **fields) -> Repository:
    """Change settings; a new name moves the directory; going private
    resets the default permission to ``none``, going public to the site default.

    A private fork of a private repository goes public only if ``actor`` is
    an admin of that source (see ``may_publish_copy``; no ``actor``, no
    publishing): otherwise forking as private and then flipping the switch
    would leak the source.  ``actor`` is also who is told about a name clash
    (see check_name_available's viewer).
    """
    if "private" in fields and fields["private"] != repo.private:
        if not fields["private"] and not may_publish_copy(repo.fork_of, actor):
            raise ValidationError(PRIVATE_COPY_MESSAGE)
        fields.setdefault("default_permission", default_permission_for(fields["private"]))
    old_path = repo.path
    renaming = name is not None and name != repo.name
    if renaming:
        if name.lower().startswith(repo.name.lower() + "/"):
            raise ValidationError("A repository cannot be moved inside itself.")
        check_name_available(name, exclude_pk=repo.pk, viewer=actor)
        if actor is not None and name.rpartition("/")[0] != repo.name.rpartition("/")[0]:
            ensure_parent_groups(name, actor=actor)  # moving to another group: write on it
        else:
            ensure_parent_groups(name, owner=repo.owner)
        new_path = repository_path(name)
        _make_parent(new_path)
    with transaction.atomic():
        for field, value in fields.items():
            setattr(repo, field, value)
        if renaming:
            repo.name = name
        repo.updated_at = timezone.now()
        repo.save()
        if renaming:
            if os.path.isdir(new_path):
                os.rmdir(new_path)  # an empty folder, allowed by check_name_available
            os.rename(old_path, new_path)
    if renaming:
        remove_empty_parents(old_path)
    forget_cached_permissions()
    return repo


def do_delete_repository(repo: Repository) -> None:
    """Delete the row, then the directory (only ever inside the root)."""
    path = repo.path
    with transaction.atomic():
        Repository.objects.filter(fork_of=repo).update(fork_of=None)
        repo.delete()
    _remove_tree(path)
    remove_empty_parents(path)


def _remove_tree(path: str) -> None:
    root = base_path()
    if os.path.islink(path) or not is_inside(root, os.path.realpath(path)) or os.path.realpath(path) == root:
        log.error("refusing to remove %s: not a directory inside %s", path, root)
        return
    shutil.rmtree(path, ignore_errors=True)


def do_set_permission(repo: Repository, user, permission: str) -> None:
    """Grant ``permission`` to ``user`` (replacing an earlier grant)."""
    RepositoryPermission.objects.update_or_create(
        repository=repo, user=user, defaults={"permission": permission}
    )
    forget_cached_permissions()


def do_remove_permission(repo: Repository, user) -> None:
    RepositoryPermission.objects.filter(repository=repo, user=user).delete()
    forget_cached_permissions()


def do_set_user_group_permission(repo: Repository, user_group, permission: str) -> None:
    """Grant ``permission`` to every member of ``user_group`` (replacing an earlier grant)."""
    from lindos.repos.models import RepositoryUserGroupPermission

    RepositoryUserGroupPermission.objects.update_or_create(
        repository=repo, user_group=user_group, defaults={"permission": permission}
    )
    forget_cached_permissions()


def do_remove_user_group_permission(repo: Repository, user_group) -> None:
    from lindos.repos.models import RepositoryUserGroupPermission

    RepositoryUserGroupPermission.objects.filter(repository=repo, user_group=user_group).delete()
    forget_cached_permissions()


def do_set_default_permission(repo: Repository, permission: str) -> None:
    """What everyone may do with a public repository."""
    repo.default_permission = permission
    repo.save(update_fields=["default_permission"])
    forget_cached_permissions()

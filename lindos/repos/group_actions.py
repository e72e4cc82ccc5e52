"""Changing repository groups: create, move or rename, delete, grant.

A group is a folder below the repository root and the common prefix of the
names inside it (``RepoGroup``). Renaming or moving a group renames every
repository and subgroup below it in one transaction, then moves the folder
once; the database is written first so a failed move rolls it back.

Who may (Kallithea's rules), when an ``actor`` is given (web pages, the
API; the command line passes none and may do anything):

* a repository inside a group needs write on the group; at the top level,
  the "create repositories" right;
* a subgroup needs admin on its parent; a top-level group, the "create
  repository groups" right, or being the user whose name it bears (their
  own namespace, as in ``username/fork``);
* groups missing on the way to a new name are made as the actor would make
  them one by one, owned by the actor.

A group the actor may not read answers like a name in use, never "exists".
"""

from __future__ import annotations

import logging
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

from lindos.appsettings.current import current_app_settings
from lindos.repos.models import (
    RepoGroup,
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    Repository,
    RepositoryPermission,
    RepositoryUserGroupPermission,
)
from lindos.repos.permission_cache import forget_cached_permissions
from lindos.repos.permissions import group_permission_for, has_at_least, has_global_permission
from lindos.repos.storage import base_path, is_inside, repository_path, validate_repository_name

log = logging.getLogger(__name__)

NOT_AVAILABLE = "The name '{name}' is not available; please choose another."
RECURSIVE_CHOICES = ("none", "repos", "groups", "all")


def parent_names(name: str) -> list[str]:
    """``a/b/c`` -> ``['a', 'a/b']``: the groups a name lies in, outermost first."""
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _may_create_group_in(parent: RepoGroup | None, short: str, actor) -> bool:
    if parent is None:
        return has_global_permission(actor, "create_repo_group") or short == actor.username
    return has_at_least(group_permission_for(actor, parent), "admin")


def _refuse_hidden(group: RepoGroup, name: str, actor) -> None:
    if actor is not None and not has_at_least(group_permission_for(actor, group), "read"):
        raise ValidationError(NOT_AVAILABLE.format(name=name))


def ensure_parent_groups(name: str, *, actor=None, owner=None, for_group: bool = False) -> RepoGroup | None:
    """Make sure every group ``name`` lies in exists, creating missing ones;
    answer the innermost (None at the top level). With an ``actor``, check
    they may put a repository (or, ``for_group``, a group) there (see
    module doc); ``ValidationError`` says why not."""
    parent = None
    for group_name in parent_names(name):
        group = RepoGroup.objects.filter(name=group_name).first()
        if group is None:
            if actor is not None and not _may_create_group_in(parent, group_name.rpartition("/")[2], actor):
                where = f"in '{parent.name}'" if parent else "at the top level"
                raise ValidationError(f"You may not create the repository group '{group_name}' {where}.")
            group = _create_group_row(group_name, owner=actor or owner, parent=None, copy_permissions=False)
        else:
            _refuse_hidden(group, name, actor)
        parent = group
    if actor is None:
        return parent
    if for_group:
        if not _may_create_group_in(parent, name.rpartition("/")[2], actor):
            where = f"in '{parent.name}'" if parent else "at the top level"
            raise ValidationError(f"You may not create a repository group {where}.")
    elif parent is None:
        if not has_global_permission(actor, "create_repository"):
            raise ValidationError("You may not create repositories at the top level.")
    elif not has_at_least(group_permission_for(actor, parent), "write"):
        raise ValidationError(f"You need write permission on the group '{parent.name}' to create in it.")
    return parent


def check_group_name_available(name: str, *, exclude: RepoGroup | None = None, actor=None) -> None:
    """Refuse a name held by a repository or group, or one inside a repository."""
    validate_repository_name(name)
    prefixes = Q()
    for prefix in parent_names(name):
        prefixes |= Q(name__iexact=prefix)
    repos = Repository.objects.filter(
        Q(name__iexact=name) | Q(name__istartswith=name + "/") | (prefixes if prefixes else Q(pk__in=[]))
    )
    groups = RepoGroup.objects.filter(name__iexact=name)
    if exclude is not None:
        groups = groups.exclude(pk=exclude.pk)
    if repos.exists() or groups.exists():
        raise ValidationError(NOT_AVAILABLE.format(name=name))
    path = repository_path(name)
    if os.path.lexists(path) and not (os.path.isdir(path) and not os.listdir(path)):
        raise ValidationError(NOT_AVAILABLE.format(name=name))


def _create_group_row(name: str, *, owner, parent: RepoGroup | None, copy_permissions: bool, description=""):
    default = current_app_settings().default_group_permission
    if parent is not None and copy_permissions:
        default = parent.default_permission
    with transaction.atomic():
        group = RepoGroup.objects.create(
            name=name, owner=owner, description=description, default_permission=default
        )
        if parent is not None and copy_permissions:
            RepoGroupPermission.objects.bulk_create(
                [
                    RepoGroupPermission(group=group, user_id=p.user_id, permission=p.permission)
                    for p in parent.user_permissions.all()
                ]
            )
            RepoGroupUserGroupPermission.objects.bulk_create(
                [
                    RepoGroupUserGroupPermission(
                        group=group, user_group_id=p.user_group_id, permission=p.permission
                    )
                    for p in parent.user_group_permissions.all()
                ]
            )
    path = repository_path(name)
    os.makedirs(path, exist_ok=True)
    if not is_inside(base_path(), os.path.realpath(path)):
        group.delete()
        raise ValidationError("The group folder lies outside the repository root.")
    forget_cached_permissions()
    return group


def do_create_repo_group(
    *, name: str, owner, description: str = "", actor=None, copy_permissions: bool = True
) -> RepoGroup:
    """Create group ``name`` (a full path) and its folder. Inside a parent it
    starts with the parent's grants and default when ``copy_permissions``
    (Kallithea's "copy parent group permissions"), else with the site's
    default group permission and no grants."""
    check_group_name_available(name, actor=actor)
    parent = ensure_parent_groups(name, actor=actor, owner=owner, for_group=True)
    return _create_group_row(
        name, owner=owner, parent=parent, copy_permissions=copy_permissions, description=description
    )


def contents(group: RepoGroup):
    """``(subgroups, repositories)`` below ``group`` at any depth, as querysets."""
    below = group.name + "/"
    return (
        RepoGroup.objects.filter(name__startswith=below),
        Repository.objects.filter(name__startswith=below),
    )


def do_update_repo_group(group: RepoGroup, *, name: str | None = None, actor=None, **fields) -> RepoGroup:
    """Change description, owner or default permission, and move or rename
    (``name``: the new full path). Moving into itself or a descendant and
    onto a used name are refused; the actor needs the right to create a
    group at the new place (see module doc)."""
    old = group.name
    renaming = name is not None and name != old
    if renaming:
        if name.lower() == old.lower() or name.lower().startswith(old.lower() + "/"):
            raise ValidationError("A repository group cannot be moved inside itself.")
        check_group_name_available(name, exclude=group, actor=actor)
        new_parent_name = name.rpartition("/")[0]
        if actor is not None and new_parent_name != group.parent_name:
            ensure_parent_groups(name, actor=actor, for_group=True)
        else:
            ensure_parent_groups(name, owner=group.owner)
        old_path, new_path = repository_path(old), repository_path(name)
    with transaction.atomic():
        for field, value in fields.items():
            setattr(group, field, value)
        if renaming:
            group.name = name
            cut = len(old) + 1  # Substr is 1-based: keeps "/rest" after the old prefix
            RepoGroup.objects.filter(name__startswith=old + "/").update(
                name=Concat(Value(name), Substr("name", cut))
            )
            Repository.objects.filter(name__startswith=old + "/").update(
                name=Concat(Value(name), Substr("name", cut))
            )
        group.save()
        if renaming:
            os.makedirs(os.path.dirname(new_path), exist_ok=True)
            if os.path.isdir(new_path):
                os.rmdir(new_path)  # empty, allowed by check_group_name_available
            if os.path.isdir(old_path):
                os.rename(old_path, new_path)
            else:
                os.makedirs(new_path)
    if renaming:
        from lindos.repos.storage import remove_empty_parents

        remove_empty_parents(old_path)
    forget_cached_permissions()
    return group


def do_delete_repo_group(group: RepoGroup) -> None:
    """Delete an empty group and its (empty) folder; a group holding
    repositories or subgroups is refused."""
    subgroups, repos = contents(group)
    if subgroups.exists() or repos.exists():
        raise ValidationError(
            "Only an empty repository group can be deleted: move or delete what is in it first."
        )
    path = repository_path(group.name)
    group.delete()
    try:
        os.rmdir(path)
    except OSError as exc:  # gone already, or something left on disk: the row is what counts
        log.info("kept group folder %s: %s", path, exc)
    forget_cached_permissions()


def _targets(group: RepoGroup, recursive: str):
    """What "apply to children" reaches: ``(groups, repositories)``."""
    if recursive not in RECURSIVE_CHOICES:
        raise ValidationError(f"'apply to children' is one of {', '.join(RECURSIVE_CHOICES)}.")
    subgroups, repos = contents(group)
    groups = [group] + (list(subgroups) if recursive in ("groups", "all") else [])
    repositories = list(repos) if recursive in ("repos", "all") else []
    return groups, repositories


def do_set_repo_group_permission(
    group: RepoGroup, *, permission: str, user=None, user_group=None, recursive: str = "none"
) -> None:
    """Grant ``permission`` on the group to a user or a user group, and with
    ``recursive`` (``repos``, ``groups``, ``all``) to what is inside it too."""
    groups, repositories = _targets(group, recursive)
    with transaction.atomic():
        for target in groups:
            if user is not None:
                RepoGroupPermission.objects.update_or_create(
                    group=target, user=user, defaults={"permission": permission}
                )
            else:
                RepoGroupUserGroupPermission.objects.update_or_create(
                    group=target, user_group=user_group, defaults={"permission": permission}
                )
        for repo in repositories:
            if user is not None:
                RepositoryPermission.objects.update_or_create(
                    repository=repo, user=user, defaults={"permission": permission}
                )
            else:
                RepositoryUserGroupPermission.objects.update_or_create(
                    repository=repo, user_group=user_group, defaults={"permission": permission}
                )
    forget_cached_permissions()


def do_remove_repo_group_permission(
    group: RepoGroup, *, user=None, user_group=None, recursive: str = "none"
) -> None:
    groups, repositories = _targets(group, recursive)
    who = {"user": user} if user is not None else {"user_group": user_group}
    with transaction.atomic():
        (RepoGroupPermission if user is not None else RepoGroupUserGroupPermission).objects.filter(
            group__in=groups, **who
        ).delete()
        (RepositoryPermission if user is not None else RepositoryUserGroupPermission).objects.filter(
            repository__in=repositories, **who
        ).delete()
    forget_cached_permissions()


def do_set_repo_group_default(group: RepoGroup, permission: str, recursive: str = "none") -> None:
    """Set what everyone may do with the group (and, recursively, its
    subgroups and public repositories: a private repository keeps ``none``)."""
    groups, repositories = _targets(group, recursive)
    with transaction.atomic():
        RepoGroup.objects.filter(pk__in=[g.pk for g in groups]).update(default_permission=permission)
        Repository.objects.filter(pk__in=[r.pk for r in repositories], private=False).update(
            default_permission=permission
        )
    group.default_permission = permission
    forget_cached_permissions()

"""Changing user groups: create, rename, activate, members, owner, delete,
and their site-wide rights.

The group's owner and the site's admins manage it (``may_manage``); pages
and the API call these ``do_*`` functions after that check. Every change
that can change what someone may do clears the request's permission
memory (``forget_cached_permissions``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from lindos.accounts.models import (
    GlobalPermission,
    GlobalPermissionGrant,
    User,
    UserGroup,
    validate_user_group_name,
)
from lindos.repos.permission_cache import forget_cached_permissions
from lindos.repos.permissions import has_global_permission

NAME_TAKEN = "The user group name '{name}' is not available; please choose another."


def may_manage(user, group: UserGroup) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or group.owner_id == user.pk)
    )


def visible_user_groups(user):
    """The groups ``user`` may see in the admin list: all for admins, their own otherwise."""
    if user.is_superuser:
        return UserGroup.objects.all()
    return UserGroup.objects.filter(owner=user)


def _check_name(name: str, exclude: UserGroup | None = None) -> str:
    validate_user_group_name(name)
    taken = UserGroup.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(NAME_TAKEN.format(name=name))
    return name


def do_create_user_group(
    *, name: str, owner: User, description: str = "", active: bool = True, actor=None
) -> UserGroup:
    """Create a group owned by ``owner``; an ``actor`` needs the "create
    user groups" right (Admin > Permissions)."""
    if actor is not None and not has_global_permission(actor, "create_user_group"):
        raise ValidationError("You may not create user groups.")
    _check_name(name)
    return UserGroup.objects.create(name=name, owner=owner, description=description, active=active)


def do_update_user_group(group: UserGroup, **fields) -> UserGroup:
    """Rename, describe, (de)activate or give to another owner."""
    if "name" in fields and fields["name"] != group.name:
        _check_name(fields["name"], exclude=group)
    for field, value in fields.items():
        setattr(group, field, value)
    group.save()
    forget_cached_permissions()
    return group


def do_add_member(group: UserGroup, user: User) -> None:
    group.members.add(user)
    forget_cached_permissions()


def do_remove_member(group: UserGroup, user: User) -> None:
    group.members.remove(user)
    forget_cached_permissions()


def do_set_members(group: UserGroup, users) -> None:
    with transaction.atomic():
        group.members.set(users)
    forget_cached_permissions()


def do_delete_user_group(group: UserGroup) -> None:
    """Delete the group; its grants go with it."""
    group.delete()
    forget_cached_permissions()


def do_set_global_permissions(
    *, user: User | None = None, user_group: UserGroup | None = None, names
) -> None:
    """Make ``names`` (``GlobalPermission`` values) exactly the site-wide
    rights granted to ``user`` or ``user_group`` on top of the defaults."""
    names = set(names)
    unknown = names - set(GlobalPermission.values)
    if unknown:
        raise ValidationError(f"Unknown permission: {', '.join(sorted(unknown))}")
    who = {"user": user} if user is not None else {"user_group": user_group}
    with transaction.atomic():
        GlobalPermissionGrant.objects.filter(**who).exclude(permission__in=names).delete()
        have = set(GlobalPermissionGrant.objects.filter(**who).values_list("permission", flat=True))
        GlobalPermissionGrant.objects.bulk_create(
            [GlobalPermissionGrant(permission=name, **who) for name in sorted(names - have)]
        )
    forget_cached_permissions()

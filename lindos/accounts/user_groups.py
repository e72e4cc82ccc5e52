"""Changing user groups: create, rename, activate, members, owner, delete,
their site-wide rights and who may see or manage them.

Whoever has admin on a group (its owner, the site's admins, and those a
grant or the group's default makes admins: ``lindos.repos.permissions``)
manages it (``may_manage``); pages and the API call these ``do_*``
functions after that check. Every change that can change what someone may
do clears the request's permission memory (``forget_cached_permissions``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from lindos.accounts.models import (
    USER_GROUP_PERMISSIONS,
    GlobalPermission,
    GlobalPermissionGrant,
    User,
    UserGroup,
    UserGroupPermission,
    UserGroupUserGroupPermission,
    validate_user_group_name,
)
from lindos.repos.permission_cache import forget_cached_permissions
from lindos.repos.permissions import (
    has_at_least,
    has_global_permission,
    user_group_permission_for,
    user_groups_at_least,
)

NAME_TAKEN = "The user group name '{name}' is not available; please choose another."


def may_manage(user, group: UserGroup) -> bool:
    """Admin on the group: may change its settings, members and permissions."""
    return has_at_least(user_group_permission_for(user, group), "admin")


def visible_user_groups(user):
    """The groups ``user`` manages: Admin > User groups lists these, as
    Kallithea's list showed the groups one has admin on."""
    return user_groups_at_least(user, "admin")


def readable_user_groups(user):
    """The groups ``user`` may see and name in a grant (the pickers, the API)."""
    return user_groups_at_least(user, "read")


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
    from lindos.appsettings.current import current_app_settings

    _check_name(name)
    return UserGroup.objects.create(
        name=name,
        owner=owner,
        description=description,
        active=active,
        default_permission=current_app_settings().default_user_group_permission,
    )


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


def _check_level(permission: str) -> str:
    if permission not in dict(USER_GROUP_PERMISSIONS):
        raise ValidationError(f"Unknown permission: {permission}")
    return permission


def do_set_user_group_default(group: UserGroup, permission: str) -> None:
    """What every logged-in user may do with ``group``."""
    group.default_permission = _check_level(permission)
    group.save(update_fields=["default_permission"])
    forget_cached_permissions()


def do_set_user_group_grant(
    group: UserGroup, permission: str, *, user: User | None = None, user_group: UserGroup | None = None
) -> None:
    """Give ``user`` or the members of ``user_group`` ``permission`` on
    ``group`` (replacing an earlier grant). A group cannot be given a
    permission on itself, as in Kallithea."""
    _check_level(permission)
    if user is not None:
        UserGroupPermission.objects.update_or_create(
            target_user_group=group, user=user, defaults={"permission": permission}
        )
    else:
        if user_group.pk == group.pk:
            raise ValidationError("A user group cannot be given a permission on itself.")
        UserGroupUserGroupPermission.objects.update_or_create(
            target_user_group=group, user_group=user_group, defaults={"permission": permission}
        )
    forget_cached_permissions()


def do_remove_user_group_grant(
    group: UserGroup, *, user: User | None = None, user_group: UserGroup | None = None
) -> None:
    if user is not None:
        UserGroupPermission.objects.filter(target_user_group=group, user=user).delete()
    else:
        UserGroupUserGroupPermission.objects.filter(target_user_group=group, user_group=user_group).delete()
    forget_cached_permissions()


#: The ``id`` of the ``<datalist>`` of user groups the pickers offer.
PICKER_LIST_ID = "user-group-choices"
#: At most this many names in a picker's list; more are still accepted typed.
PICKER_LIMIT = 500


def picker_user_groups(user):
    """The names a user group picker offers ``user``: the active groups
    they may read (a group they may not read is not theirs to name)."""
    return (
        readable_user_groups(user)
        .filter(active=True)
        .order_by("name")
        .values_list("name", flat=True)[:PICKER_LIMIT]
    )


def find_pickable_user_group(user, name: str) -> UserGroup | None:
    """The active group called ``name`` (any case) if ``user`` may read it;
    None otherwise, so a form answers alike for one that does not exist and
    one they may not see."""
    return readable_user_groups(user).filter(name__iexact=name.strip(), active=True).first()

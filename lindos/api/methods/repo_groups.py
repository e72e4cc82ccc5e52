"""Repository groups: Kallithea's methods, arguments and answers
(``docs/api/api.rst``), on the same ``do_*`` actions as the pages.
Methods that create, change or delete a group are for admins, as in
Kallithea; granting on a group needs admin on it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from lindos.api import action_log
from lindos.api.errors import JSONRPCError
from lindos.api.jsonrpc import Bool, Id, Str, api_method
from lindos.api.methods.common import _as_pk, get_user_or_error
from lindos.api.methods.groups import _messages, get_user_group_or_error
from lindos.repos import group_actions
from lindos.repos.models import RepoGroup
from lindos.repos.permissions import group_permission_for, has_at_least
from lindos.repos.storage import UnsafePath

GROUP_PERMISSIONS = {
    "group.none": "none",
    "group.read": "read",
    "group.write": "write",
    "group.admin": "admin",
}


def repo_group_data(group: RepoGroup) -> dict:
    from lindos.repos.models import Repository

    depth = group.name.count("/") + 1
    inside = Repository.objects.filter(name__startswith=group.name + "/").values_list("name", flat=True)
    return {
        "group_id": group.pk,
        "group_name": group.name,
        "group_description": group.description,
        "parent_group": group.parent_name or None,
        "repositories": [name for name in inside if name.count("/") == depth],
        "owner": group.owner.username,
    }


def get_repo_group_or_error(call, repogroupid, need: str = "read") -> RepoGroup:
    pk = _as_pk(repogroupid)
    groups = RepoGroup.objects.select_related("owner")
    if pk is not None:
        group = groups.filter(pk=pk).first()
    elif isinstance(repogroupid, str) and "\x00" not in repogroupid:
        group = groups.filter(name=repogroupid).first()
    else:
        group = None
    if group is None or not has_at_least(group_permission_for(call.user, group), need):
        raise JSONRPCError("repository group `%s` does not exist" % (repogroupid,))
    return group


@api_method(admin=True)
def get_repo_group(call, repogroupid: Id):
    group = get_repo_group_or_error(call, repogroupid)
    members = [
        {"name": g.user.username, "type": "user", "permission": f"group.{g.permission}"}
        for g in group.user_permissions.select_related("user")
    ] + [
        {"name": g.user_group.name, "type": "user_group", "permission": f"group.{g.permission}"}
        for g in group.user_group_permissions.select_related("user_group")
    ]
    return {**repo_group_data(group), "members": members}


@api_method(admin=True)
def get_repo_groups(call):
    return [repo_group_data(g) for g in RepoGroup.objects.select_related("owner").order_by("name")]


@api_method(admin=True)
def create_repo_group(
    call,
    group_name: Str,
    description: Str = "",
    owner: Id = None,
    parent: Id = None,
    copy_permissions: Bool = False,
):
    parent_group = get_repo_group_or_error(call, parent) if parent is not None else None
    if "/" in group_name:
        raise JSONRPCError(
            "failed to create repo group `%s`: the name may not contain '/' (use parent)" % group_name
        )
    full = f"{parent_group.name}/{group_name}" if parent_group else group_name
    if RepoGroup.objects.filter(name__iexact=full).exists():
        raise JSONRPCError("repo group `%s` already exist" % (group_name,))
    owner_user = call.user if owner is None else get_user_or_error(owner)
    try:
        group = group_actions.do_create_repo_group(
            name=full, owner=owner_user, description=description, copy_permissions=copy_permissions
        )
    except (ValidationError, UnsafePath, OSError) as exc:
        raise JSONRPCError("failed to create repo group `%s`: %s" % (group_name, _messages(exc)))
    action_log.record(call, action_log.CREATED_REPO_GROUP, detail=group.name)
    return {"msg": "created new repo group `%s`" % group_name, "repo_group": repo_group_data(group)}


@api_method(admin=True)
def update_repo_group(
    call,
    repogroupid: Id,
    group_name: Str = None,
    description: Str = None,
    owner: Id = None,
    parent: Id = None,
):
    group = get_repo_group_or_error(call, repogroupid)
    changes = {}
    if description is not None:
        changes["description"] = description
    if owner is not None:
        changes["owner"] = get_user_or_error(owner)
    short = group.short_name if group_name is None else group_name
    parent_name = group.parent_name if parent is None else get_repo_group_or_error(call, parent).name
    if "/" in short:
        raise JSONRPCError(
            "failed to update repository group `%s`: the name may not contain '/'" % (repogroupid,)
        )
    new_name = f"{parent_name}/{short}" if parent_name else short
    try:
        group_actions.do_update_repo_group(group, name=new_name, **changes)
    except (ValidationError, UnsafePath, OSError) as exc:
        raise JSONRPCError("failed to update repository group `%s`: %s" % (repogroupid, _messages(exc)))
    action_log.record(call, action_log.UPDATED_REPO_GROUP, detail=group.name)
    return {
        "msg": "updated repository group ID:%s %s" % (group.pk, group.name),
        "repo_group": repo_group_data(group),
    }


@api_method(admin=True)
def delete_repo_group(call, repogroupid: Id):
    group = get_repo_group_or_error(call, repogroupid)
    pk, name = group.pk, group.name
    try:
        group_actions.do_delete_repo_group(group)
    except ValidationError as exc:
        raise JSONRPCError("failed to delete repo group ID:%s %s: %s" % (pk, name, _messages(exc)))
    action_log.record(call, action_log.DELETED_REPO_GROUP, detail=name)
    return {"msg": "deleted repo group ID:%s %s" % (pk, name), "repo_group": None}


def _group_perm_or_error(perm) -> str:
    level = GROUP_PERMISSIONS.get(perm) if isinstance(perm, str) else None
    if level is None:
        raise JSONRPCError("permission `%s` does not exist" % (perm,))
    return level


def _recursive_or_error(apply_to_children) -> str:
    if apply_to_children not in group_actions.RECURSIVE_CHOICES:
        raise JSONRPCError("apply_to_children must be one of none, repos, groups, all")
    return apply_to_children


@api_method()
def grant_user_permission_to_repo_group(
    call, repogroupid: Id, userid: Id, perm: Str, apply_to_children: Str = "none"
):
    group = get_repo_group_or_error(call, repogroupid, need="admin")
    user = get_user_or_error(userid)
    level = _group_perm_or_error(perm)
    recursive = _recursive_or_error(apply_to_children)
    group_actions.do_set_repo_group_permission(group, user=user, permission=level, recursive=recursive)
    action_log.record(
        call,
        action_log.CHANGED_REPO_GROUP_PERMISSIONS,
        detail=f"{group.name}: user {user.username}: {perm} (recursive:{recursive})",
    )
    return {
        "msg": "Granted perm: `%s` (recursive:%s) for user: `%s` in repo group: `%s`"
        % (perm, recursive, user.username, group.short_name),
        "success": True,
    }


@api_method()
def revoke_user_permission_from_repo_group(
    call, repogroupid: Id, userid: Id, apply_to_children: Str = "none"
):
    group = get_repo_group_or_error(call, repogroupid, need="admin")
    user = get_user_or_error(userid)
    recursive = _recursive_or_error(apply_to_children)
    group_actions.do_remove_repo_group_permission(group, user=user, recursive=recursive)
    action_log.record(
        call,
        action_log.REVOKED_REPO_GROUP_PERMISSIONS,
        detail=f"{group.name}: user {user.username} (recursive:{recursive})",
    )
    return {
        "msg": "Revoked perm (recursive:%s) for user: `%s` in repo group: `%s`"
        % (recursive, user.username, group.short_name),
        "success": True,
    }


@api_method()
def grant_user_group_permission_to_repo_group(
    call, repogroupid: Id, usergroupid: Id, perm: Str, apply_to_children: Str = "none"
):
    group = get_repo_group_or_error(call, repogroupid, need="admin")
    user_group = get_user_group_or_error(call, usergroupid, need="read")
    level = _group_perm_or_error(perm)
    recursive = _recursive_or_error(apply_to_children)
    group_actions.do_set_repo_group_permission(
        group, user_group=user_group, permission=level, recursive=recursive
    )
    action_log.record(
        call,
        action_log.CHANGED_REPO_GROUP_PERMISSIONS,
        detail=f"{group.name}: user group {user_group.name}: {perm} (recursive:{recursive})",
    )
    return {
        "msg": "Granted perm: `%s` (recursive:%s) for user group: `%s` in repo group: `%s`"
        % (perm, recursive, user_group.name, group.short_name),
        "success": True,
    }


@api_method()
def revoke_user_group_permission_from_repo_group(
    call, repogroupid: Id, usergroupid: Id, apply_to_children: Str = "none"
):
    group = get_repo_group_or_error(call, repogroupid, need="admin")
    user_group = get_user_group_or_error(call, usergroupid, need="read")
    recursive = _recursive_or_error(apply_to_children)
    group_actions.do_remove_repo_group_permission(group, user_group=user_group, recursive=recursive)
    action_log.record(
        call,
        action_log.REVOKED_REPO_GROUP_PERMISSIONS,
        detail=f"{group.name}: user group {user_group.name} (recursive:{recursive})",
    )
    return {
        "msg": "Revoked perm (recursive:%s) for user group: `%s` in repo group: `%s`"
        % (recursive, user_group.name, group.short_name),
        "success": True,
    }

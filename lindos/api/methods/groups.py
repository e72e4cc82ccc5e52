"""User groups: Kallithea's methods, arguments and answers
(``docs/api/api.rst``), on the same ``do_*`` actions as the pages
(repository groups: ``repo_groups``).

Rules (Kallithea's ``api.py``): reading a user group, and naming it in a
grant on a repository or repository group, needs read on it; changing it,
its members, or deleting it needs admin on it (``usergroup.admin``; its
owner and the site's admins have that). A group the caller may not read
"does not exist", as a hidden repository; one they may read but not manage
answers the same, as Kallithea does. Creating one needs the "create user
groups" right.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from lindos.accounts import user_groups as ug_actions
from lindos.accounts.models import UserGroup
from lindos.api import action_log
from lindos.api.errors import JSONRPCError
from lindos.api.jsonrpc import Bool, Id, Str, api_method
from lindos.api.methods.common import _as_pk, get_perm_or_error, get_repo_or_error, get_user_or_error
from lindos.api.serialize import user_data
from lindos.repos import actions as repo_actions
from lindos.repos.permissions import can_admin, has_at_least, has_global_permission, user_group_permission_for


def _messages(exc) -> str:
    return "; ".join(getattr(exc, "messages", [str(exc)]))


# -- user groups -----------------------------------------------------------------------


def user_group_data(group: UserGroup, with_members: bool = True) -> dict:
    data = {
        "users_group_id": group.pk,
        "group_name": group.name,
        "group_description": group.description,
        "active": group.active,
        "owner": group.owner.username,
    }
    if with_members:
        data["members"] = [user_data(u) for u in group.members.order_by("username")]
    return data


def get_user_group_or_error(call, usergroupid, need: str = "admin") -> UserGroup:
    """The group by id or name; one the caller may not ``need`` answers like
    one that does not exist."""
    pk = _as_pk(usergroupid)
    groups = UserGroup.objects.select_related("owner")
    if pk is not None:
        group = groups.filter(pk=pk).first()
    elif isinstance(usergroupid, str) and "\x00" not in usergroupid:
        group = groups.filter(name=usergroupid).first()
    else:
        group = None
    if group is None or not has_at_least(user_group_permission_for(call.user, group), need):
        raise JSONRPCError("user group `%s` does not exist" % (usergroupid,))
    return group


@api_method()
def get_user_group(call, usergroupid: Id):
    return user_group_data(get_user_group_or_error(call, usergroupid, need="read"))


@api_method()
def get_user_groups(call):
    return [user_group_data(g) for g in ug_actions.readable_user_groups(call.user).select_related("owner")]


@api_method()
def create_user_group(call, group_name: Str, description: Str = "", owner: Id = None, active: Bool = True):
    if not has_global_permission(call.user, "create_user_group"):
        raise JSONRPCError("no permission to create user groups")
    if UserGroup.objects.filter(name__iexact=group_name).exists():
        raise JSONRPCError("user group `%s` already exist" % (group_name,))
    owner_user = call.user if owner is None else get_user_or_error(owner)
    try:
        group = ug_actions.do_create_user_group(
            name=group_name, owner=owner_user, description=description, active=active, actor=call.user
        )
    except ValidationError as exc:
        raise JSONRPCError("failed to create group `%s`: %s" % (group_name, _messages(exc)))
    action_log.record(call, action_log.CREATED_USER_GROUP, detail=group.name)
    return {"msg": "created new user group `%s`" % group_name, "user_group": user_group_data(group)}


@api_method()
def update_user_group(
    call,
    usergroupid: Id,
    group_name: Str = None,
    description: Str = None,
    owner: Id = None,
    active: Bool = None,
):
    group = get_user_group_or_error(call, usergroupid)
    changes = {}
    if group_name is not None:
        changes["name"] = group_name
    if description is not None:
        changes["description"] = description
    if active is not None:
        changes["active"] = active
    if owner is not None:
        changes["owner"] = get_user_or_error(owner)
    try:
        ug_actions.do_update_user_group(group, **changes)
    except ValidationError as exc:
        raise JSONRPCError("failed to update user group `%s`: %s" % (usergroupid, _messages(exc)))
    action_log.record(call, action_log.UPDATED_USER_GROUP, detail=group.name)
    return {
        "msg": "updated user group ID:%s %s" % (group.pk, group.name),
        "user_group": user_group_data(group),
    }


@api_method()
def delete_user_group(call, usergroupid: Id):
    group = get_user_group_or_error(call, usergroupid)
    pk, name = group.pk, group.name
    ug_actions.do_delete_user_group(group)
    action_log.record(call, action_log.DELETED_USER_GROUP, detail=name)
    return {"msg": "deleted user group ID:%s %s" % (pk, name), "user_group": None}


@api_method()
def add_user_to_user_group(call, usergroupid: Id, userid: Id):
    user = get_user_or_error(userid)
    group = get_user_group_or_error(call, usergroupid)
    if group.members.filter(pk=user.pk).exists():
        return {"success": False, "msg": "User is already in that group"}
    ug_actions.do_add_member(group, user)
    action_log.record(call, action_log.UPDATED_USER_GROUP, detail=f"{group.name}: added {user.username}")
    return {"success": True, "msg": "added member `%s` to user group `%s`" % (user.username, group.name)}


@api_method()
def remove_user_from_user_group(call, usergroupid: Id, userid: Id):
    user = get_user_or_error(userid)
    group = get_user_group_or_error(call, usergroupid)
    if not group.members.filter(pk=user.pk).exists():
        return {"success": False, "msg": "User wasn't in group"}
    ug_actions.do_remove_member(group, user)
    action_log.record(call, action_log.UPDATED_USER_GROUP, detail=f"{group.name}: removed {user.username}")
    return {"success": True, "msg": "removed member `%s` from user group `%s`" % (user.username, group.name)}


def _repo_admin_or_error(call, repoid):
    repo = get_repo_or_error(repoid)
    if not can_admin(call.user, repo):
        raise JSONRPCError("repository `%s` does not exist" % (repoid,))
    return repo


@api_method()
def grant_user_group_permission(call, repoid: Id, usergroupid: Id, perm: Str):
    repo = _repo_admin_or_error(call, repoid)
    level = get_perm_or_error(perm)
    group = get_user_group_or_error(call, usergroupid, need="read")
    repo_actions.do_set_user_group_permission(repo, group, level)
    action_log.record(
        call, action_log.CHANGED_REPO_PERMISSIONS, repository=repo, detail=f"user group {group.name}: {perm}"
    )
    return {
        "msg": "Granted perm: `%s` for user group: `%s` in repo: `%s`" % (perm, group.name, repo.name),
        "success": True,
    }


@api_method()
def revoke_user_group_permission(call, repoid: Id, usergroupid: Id):
    repo = _repo_admin_or_error(call, repoid)
    group = get_user_group_or_error(call, usergroupid, need="read")
    repo_actions.do_remove_user_group_permission(repo, group)
    action_log.record(
        call, action_log.REVOKED_REPO_PERMISSIONS, repository=repo, detail=f"user group {group.name}"
    )
    return {"msg": "Revoked perm for group: `%s` in repo: `%s`" % (group.name, repo.name), "success": True}

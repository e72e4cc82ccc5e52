"""Methods whose feature Lindos does not have yet: user groups, repository
groups (as objects with owners and permissions) and gists.

Each keeps Kallithea's name, arguments, defaults and admin rule, so a call
is checked exactly as it would be (missing or unknown arguments, wrong
types, admin rights) and then answered with
``method `NAME` is not available: Lindos has no FEATURE yet``.
A method gains its body here when its feature lands.
"""

from __future__ import annotations

from lindos.api.errors import NOT_AVAILABLE, JSONRPCError
from lindos.api.jsonrpc import Bool, Dict, Id, Int, Str, api_method

USER_GROUPS = "user groups"
REPO_GROUPS = "repository groups"
GISTS = "gists"


def _unavailable(name: str, feature: str):
    raise JSONRPCError(NOT_AVAILABLE % (name, feature))


# -- user groups -----------------------------------------------------------------


@api_method()
def get_user_group(call, usergroupid: Id):
    _unavailable("get_user_group", USER_GROUPS)


@api_method()
def get_user_groups(call):
    _unavailable("get_user_groups", USER_GROUPS)


@api_method()
def create_user_group(call, group_name: Str, description: Str = "", owner: Id = None, active: Bool = True):
    _unavailable("create_user_group", USER_GROUPS)


@api_method()
def update_user_group(
    call,
    usergroupid: Id,
    group_name: Str = None,
    description: Str = None,
    owner: Id = None,
    active: Bool = None,
):
    _unavailable("update_user_group", USER_GROUPS)


@api_method()
def delete_user_group(call, usergroupid: Id):
    _unavailable("delete_user_group", USER_GROUPS)


@api_method()
def add_user_to_user_group(call, usergroupid: Id, userid: Id):
    _unavailable("add_user_to_user_group", USER_GROUPS)


@api_method()
def remove_user_from_user_group(call, usergroupid: Id, userid: Id):
    _unavailable("remove_user_from_user_group", USER_GROUPS)


@api_method()
def grant_user_group_permission(call, repoid: Id, usergroupid: Id, perm: Str):
    _unavailable("grant_user_group_permission", USER_GROUPS)


@api_method()
def revoke_user_group_permission(call, repoid: Id, usergroupid: Id):
    _unavailable("revoke_user_group_permission", USER_GROUPS)


# -- repository groups -----------------------------------------------------------


@api_method(admin=True)
def get_repo_group(call, repogroupid: Id):
    _unavailable("get_repo_group", REPO_GROUPS)


@api_method(admin=True)
def get_repo_groups(call):
    _unavailable("get_repo_groups", REPO_GROUPS)


@api_method(admin=True)
def create_repo_group(
    call,
    group_name: Str,
    description: Str = "",
    owner: Id = None,
    parent: Id = None,
    copy_permissions: Bool = False,
):
    _unavailable("create_repo_group", REPO_GROUPS)


@api_method(admin=True)
def update_repo_group(
    call,
    repogroupid: Id,
    group_name: Str = None,
    description: Str = None,
    owner: Id = None,
    parent: Id = None,
):
    _unavailable("update_repo_group", REPO_GROUPS)


@api_method(admin=True)
def delete_repo_group(call, repogroupid: Id):
    _unavailable("delete_repo_group", REPO_GROUPS)


@api_method()
def grant_user_permission_to_repo_group(
    call, repogroupid: Id, userid: Id, perm: Str, apply_to_children: Str = "none"
):
    _unavailable("grant_user_permission_to_repo_group", REPO_GROUPS)


@api_method()
def revoke_user_permission_from_repo_group(
    call, repogroupid: Id, userid: Id, apply_to_children: Str = "none"
):
    _unavailable("revoke_user_permission_from_repo_group", REPO_GROUPS)


@api_method()
def grant_user_group_permission_to_repo_group(
    call, repogroupid: Id, usergroupid: Id, perm: Str, apply_to_children: Str = "none"
):
    _unavailable("grant_user_group_permission_to_repo_group", REPO_GROUPS)


@api_method()
def revoke_user_group_permission_from_repo_group(
    call, repogroupid: Id, usergroupid: Id, apply_to_children: Str = "none"
):
    _unavailable("revoke_user_group_permission_from_repo_group", REPO_GROUPS)


# -- gists -----------------------------------------------------------------------


@api_method()
def get_gist(call, gistid: Id):
    _unavailable("get_gist", GISTS)


@api_method()
def get_gists(call, userid: Id = None):
    _unavailable("get_gists", GISTS)


@api_method()
def create_gist(
    call, files: Dict, owner: Id = None, gist_type: Str = "public", lifetime: Int = -1, description: Str = ""
):
    _unavailable("create_gist", GISTS)


@api_method()
def delete_gist(call, gistid: Id):
    _unavailable("delete_gist", GISTS)


UNAVAILABLE_METHODS = (
    "get_user_group get_user_groups create_user_group update_user_group delete_user_group "
    "add_user_to_user_group remove_user_from_user_group grant_user_group_permission "
    "revoke_user_group_permission get_repo_group get_repo_groups create_repo_group "
    "update_repo_group delete_repo_group grant_user_permission_to_repo_group "
    "revoke_user_permission_from_repo_group grant_user_group_permission_to_repo_group "
    "revoke_user_group_permission_from_repo_group get_gist get_gists create_gist delete_gist"
).split()

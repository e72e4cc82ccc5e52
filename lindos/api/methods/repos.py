"""Repositories: get_repo(s), get_repo_nodes, create/update/fork/delete_repo,
grant/revoke_user_permission.  Every change goes through
``lindos.repos.actions``, so the pages' rules apply (names, nesting, the
folder on disk), and is written to the admin log (``action_log``)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from lindos.activity.following import repository_followers
from lindos.api import action_log
from lindos.api.errors import JSONRPCError
from lindos.api.jsonrpc import Bool, Id, Str, api_method
from lindos.api.methods.common import (
    get_perm_or_error,
    get_repo_or_error,
    get_repo_with_level,
    get_user_or_error,
)
from lindos.api.serialize import permission_name, repo_data, user_data
from lindos.repos import actions
from lindos.repos.models import Kind, Repository, RepositoryPermission
from lindos.repos.permissions import readable_repositories
from lindos.repos.storage import UnsafePath
from lindos.vcs import open_repository
from lindos.vcs.errors import VCSError
from lindos.vcs.nodes import DirNode

log = logging.getLogger("lindos.api")

ACTION_ERRORS = (ValidationError, UnsafePath, VCSError, OSError)
NODES_MAX = 100_000


@api_method()
def get_repo(call, repoid: Id, with_revision_names: Bool = False, with_pullrequests: Bool = False):
    repo = get_repo_with_level(call, repoid, "read")
    members = [
        {"name": p.user.username, "type": "user", "permission": permission_name(p.permission)}
        for p in RepositoryPermission.objects.filter(repository=repo).select_related("user")
    ]
    data = repo_data(repo, with_revision_names=with_revision_names, with_pullrequests=with_pullrequests)
    data["members"] = members
    data["followers"] = [user_data(f.user) for f in repository_followers(repo)]
    return data


@api_method()
def get_repos(call):
    repos = readable_repositories(call.user).select_related("owner", "fork_of").order_by("name")
    return [repo_data(r) for r in repos]


def _walk(changeset, root_path: str):
    """Every directory and file below `root_path` (Kallithea's
    ``ScmModel.get_nodes``, not flat): ``([dirs], [files])``."""
    top = changeset.get_node(root_path)
    if not isinstance(top, DirNode):
        raise ValueError("not a directory")
    dirs, files, stack, seen = [], [], [top], 0
    while stack:
        node = stack.pop(0)
        for child in node.entries():
            seen += 1
            if seen > NODES_MAX:
                raise ValueError("too many nodes")
            if isinstance(child, DirNode):
                dirs.append({"name": child.path, "type": "dir"})
                stack.append(child)
            elif child.kind == "file":
                files.append({"name": child.path, "type": "file"})
    return dirs, files


@api_method()
def get_repo_nodes(call, repoid: Id, revision: Str, root_path: Str, ret_type: Str = "all"):
    repo = get_repo_with_level(call, repoid, "read")
    try:
        changeset = open_repository(repo.path).get_changeset(revision)
        dirs, files = _walk(changeset, root_path)
    except (VCSError, UnsafePath, OSError, ValueError):
        raise JSONRPCError("failed to get repo: `%s` nodes" % repo.name)
    choices = {"all": dirs + files, "files": files, "dirs": dirs}
    if ret_type not in choices:
        raise JSONRPCError("ret_type must be one of %s" % ",".join(sorted(choices)))
    return choices[ret_type]


def _landing(landing_rev: str | None) -> str:
    """Kallithea writes ``rev:tip``, ``branch:NAME``, ``tag:NAME``; Lindos
    keeps the name (empty: the repository's default)."""
    if not landing_rev:
        return ""
    _kind, _, name = landing_rev.partition(":")
    name = name if _ else landing_rev
    return "" if name == "tip" else name[:255]


def _owner_arg(call, owner):
    if owner is not None and not call.user.is_superuser:
        raise JSONRPCError("Only Kallithea admin can specify `owner` param")
    return get_user_or_error(owner if owner is not None else call.user.pk)


@api_method()
def create_repo(
    call,
    repo_name: Str,
    owner: Id = None,
    repo_type: Str = None,
    description: Str = "",
    private: Bool = False,
    clone_uri: Str = None,
    landing_rev: Str = "rev:tip",
    enable_statistics: Bool = None,
    enable_downloads: Bool = None,
    copy_permissions: Bool = False,
):
    owner_user = _owner_arg(call, owner)
    if Repository.objects.filter(name__iexact=repo_name).exists():
        raise JSONRPCError("repo `%s` already exist" % repo_name)
    kind = repo_type or Kind.GIT
    failure = JSONRPCError("failed to create repository `%s`" % (repo_name,))
    # Importing from a URL makes the server fetch it: admins only (SSRF).
    if kind not in Kind.values or (clone_uri and not call.user.is_superuser):
        raise failure
    try:
        repo = actions.do_create_repository(
            name=repo_name.strip().strip("/"),
            kind=kind,
            owner=owner_user,
            description=description,
            private=bool(private),
            landing_rev=_landing(landing_rev),
            actor=call.user,
            copy_group_permissions=bool(copy_permissions),
            # Kallithea took the site's "repository defaults" here; Lindos
            # has none, so an omitted switch is on, as the column's default.
            enable_statistics=True if enable_statistics is None else enable_statistics,
            enable_downloads=True if enable_downloads is None else enable_downloads,
        )
    except ACTION_ERRORS as exc:
        log.info("create_repo %r refused: %s", repo_name, exc)
        raise failure
    if clone_uri:
        from lindos.api.methods.server import pull

        pull(call, repo.pk, clone_uri)
    return {"msg": "Created new repository `%s`" % (repo_name,), "success": True}


@api_method()
def update_repo(
    call,
    repoid: Id,
    name: Str = None,
    owner: Id = None,
    group: Str = None,
    description: Str = None,
    private: Bool = None,
    clone_uri: Str = None,
    landing_rev: Str = None,
    enable_statistics: Bool = None,
    enable_downloads: Bool = None,
):
    repo = get_repo_with_level(call, repoid, "admin")
    if owner is not None and not call.user.is_superuser:
        raise JSONRPCError("Only Kallithea admin can specify `owner` param")
    changes = {}
    if owner is not None:
        changes["owner"] = get_user_or_error(owner)
    new_name = name
    if group is not None:
        # Lindos's groups are the folders of a name: moving into a group
        # renames the repository under it.
        base = (new_name or repo.name).rsplit("/", 1)[-1]
        new_name = f"{group.strip('/')}/{base}" if group.strip("/") else base
    if description is not None:
        changes["description"] = description
    if private is not None:
        changes["private"] = private
    if landing_rev is not None:
        changes["landing_rev"] = _landing(landing_rev)
    if enable_statistics is not None:
        changes["enable_statistics"] = enable_statistics
    if enable_downloads is not None:
        changes["enable_downloads"] = enable_downloads
    try:
        repo = actions.do_update_repository(repo, name=new_name, actor=call.user, **changes)
    except ACTION_ERRORS as exc:
        log.info("update_repo %r refused: %s", repoid, exc)
        raise JSONRPCError("failed to update repo `%s`" % repoid)
    action_log.record(call, action_log.UPDATED_REPO, repository=repo)
    return {"msg": "updated repo ID:%s %s" % (repo.pk, repo.name), "repository": repo_data(repo)}


@api_method()
def fork_repo(
    call,
    repoid: Id,
    fork_name: Str,
    owner: Id = None,
    description: Str = "",
    copy_permissions: Bool = False,
    private: Bool = None,
    landing_rev: Str = "rev:tip",
    enable_statistics: Bool = None,
    enable_downloads: Bool = None,
):
    """Kallithea's default for `private` is false; Lindos's is the source's
    privacy, because a private repository's fork is private unless an admin
    of the source asks otherwise (``do_fork_repository``). The statistics
    and downloads switches (not arguments in Kallithea) default to the
    source's."""
    source = get_repo_or_error(repoid)
    existing = Repository.objects.filter(name__iexact=fork_name).first()
    if existing is not None:
        raise JSONRPCError("%s `%s` already exist" % ("fork" if existing.fork_of_id else "repo", fork_name))
    if not call.user.is_superuser:
        get_repo_with_level(call, repoid, "read")
    owner_user = _owner_arg(call, owner)
    try:
        fork = actions.do_fork_repository(
            source,
            name=fork_name.strip().strip("/"),
            owner=owner_user,
            description=description,
            private=private,
            actor=call.user,
            enable_statistics=enable_statistics,
            enable_downloads=enable_downloads,
        )
        if landing_rev and _landing(landing_rev) != fork.landing_rev:
            actions.do_update_repository(fork, landing_rev=_landing(landing_rev), actor=call.user)
        if copy_permissions:
            for grant in RepositoryPermission.objects.filter(repository=source):
                actions.do_set_permission(fork, grant.user, grant.permission)
    except ACTION_ERRORS as exc:
        log.info("fork_repo %r -> %r refused: %s", repoid, fork_name, exc)
        raise JSONRPCError("failed to fork repository `%s` as `%s`" % (source.name, fork_name))
    return {"msg": "Created fork of `%s` as `%s`" % (source.name, fork_name), "success": True}


@api_method()
def delete_repo(call, repoid: Id, forks: Str = ""):
    repo = get_repo_with_level(call, repoid, "admin")
    children = list(repo.forks.all())
    forks_msg = ""
    if forks == "detach":
        forks_msg = " Detached %s forks" % len(children)
    elif forks == "delete":
        forks_msg = " Deleted %s forks" % len(children)
    elif children:
        raise JSONRPCError("Cannot delete `%s` it still contains attached forks" % (repo.name,))
    try:
        if forks == "delete":
            for child in children:
                name = child.name
                actions.do_delete_repository(child)
                action_log.record(call, action_log.DELETED_REPO, repository_name=name)
        name = repo.name
        actions.do_delete_repository(repo)
    except ACTION_ERRORS as exc:
        log.warning("delete_repo %r failed: %s", repoid, exc)
        raise JSONRPCError("failed to delete repository `%s`" % (repo.name,))
    action_log.record(call, action_log.DELETED_REPO, repository_name=name)
    return {"msg": "Deleted repository `%s`%s" % (repo.name, forks_msg), "success": True}


@api_method(admin=True)
def grant_user_permission(call, repoid: Id, userid: Id, perm: Str):
    repo = get_repo_or_error(repoid)
    user = get_user_or_error(userid)
    level = get_perm_or_error(perm)
    actions.do_set_permission(repo, user, level)
    action_log.record(
        call, action_log.CHANGED_REPO_PERMISSIONS, repository=repo, detail=f"user {user.username}: {perm}"
    )
    return {
        "msg": "Granted perm: `%s` for user: `%s` in repo: `%s`" % (perm, user.username, repo.name),
        "success": True,
    }


@api_method(admin=True)
def revoke_user_permission(call, repoid: Id, userid: Id):
    repo = get_repo_or_error(repoid)
    user = get_user_or_error(userid)
    actions.do_remove_permission(repo, user)
    action_log.record(
        call, action_log.REVOKED_REPO_PERMISSIONS, repository=repo, detail=f"user {user.username}"
    )
    return {"msg": "Revoked perm for user: `%s` in repo: `%s`" % (user.username, repo.name), "success": True}

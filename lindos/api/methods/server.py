"""Server-wide methods: test, pull, rescan_repos, invalidate_cache, get_ip
(alias show_ip), get_server_info."""

from __future__ import annotations

import logging
import platform
import subprocess
import sys
from importlib import metadata

from lindos.api import action_log
from lindos.api.errors import JSONRPCError
from lindos.api.jsonrpc import Any_, Bool, Id, Str, api_method
from lindos.api.methods.common import get_repo_or_error, get_repo_with_level, get_user_or_error

log = logging.getLogger("lindos.api")

PULL_TIMEOUT = 600
PULL_SCHEMES = ("http://", "https://")


@api_method(admin=True)
def test(call, args: Any_):
    return args


@api_method(admin=True)
def pull(call, repoid: Id, clone_uri: Str = None):
    """Fetch from `clone_uri` into the repository (Lindos keeps no stored
    remote: without `clone_uri` there is nothing to pull from).  Moved refs
    are journalled as a push by the caller (so webhooks fire)."""
    repo = get_repo_or_error(repoid)
    failure = JSONRPCError("Unable to pull changes from `%s`" % repo.name)
    if not clone_uri or not clone_uri.startswith(PULL_SCHEMES):
        raise failure
    try:
        changes = _pull(repo, clone_uri)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.warning("pull of %s failed: %s", repo.name, exc)
        raise failure
    if changes is None:
        raise failure
    from lindos.repos.journal import record_push

    record_push(repo, call.user, changes)
    action_log.record(
        call, action_log.PULLED_FROM_REMOTE, repository=repo, detail=action_log.build_remote_detail(clone_uri)
    )
    return {"msg": "Pulled from `%s`" % repo.name, "repository": repo.name}


def _pull(repo, url: str):
    from lindos.repos.journal import RefChange
    from lindos.vcs.process import git_command, git_env

    if repo.kind == "git":
        before = _git_refs(repo.path)
        proc = subprocess.run(
            git_command(
                repo.path,
                "-c",
                "protocol.allow=never",
                "-c",
                "protocol.http.allow=always",
                "-c",
                "protocol.https.allow=always",
                "fetch",
                "--prune",
                "--quiet",
                "--",
                url,
                "+refs/heads/*:refs/heads/*",
                "+refs/tags/*:refs/tags/*",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=git_env(),
            timeout=PULL_TIMEOUT,
        )
        if proc.returncode != 0:
            log.warning("git fetch into %s: %s", repo.name, proc.stderr.decode("utf-8", "replace")[:500])
            return None
        after = _git_refs(repo.path)
        zero = "0" * 40
        return [
            RefChange(ref, before.get(ref, zero), after.get(ref, zero))
            for ref in sorted(set(before) | set(after))
            if before.get(ref) != after.get(ref)
        ]
    proc = subprocess.run(
        ["hg", "--config", "ui.interactive=false", "-R", repo.path, "pull", "--", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=PULL_TIMEOUT,
        env={"HGPLAIN": "1", "PATH": "/usr/bin:/bin"},
    )
    return [] if proc.returncode == 0 else None


def _git_refs(path: str) -> dict[str, str]:
    from lindos.vcs.process import run_git

    out = run_git(path, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags")
    refs = {}
    for line in out.decode("utf-8", "replace").splitlines():
        sha, _, ref = line.partition(" ")
        refs[ref] = sha
    return refs


@api_method(admin=True)
def rescan_repos(call, remove_obsolete: Bool = False):
    """Register repositories found on disk (owned by the caller); with
    `remove_obsolete`, drop rows whose folder is gone."""
    from lindos.repos.actions import do_delete_repository, do_register_repository
    from lindos.repos.models import Repository
    from lindos.repos.scan import find_repositories

    try:
        found = list(find_repositories())
        known = set(Repository.objects.values_list("name", flat=True))
        added = []
        for item in found:
            if item.name not in known and not item.problem:
                do_register_repository(name=item.name, kind=item.kind, owner=call.user)
                added.append(item.name)
        removed = []
        if remove_obsolete:
            on_disk = {f.name for f in found}
            for repo in Repository.objects.exclude(name__in=on_disk):
                name = repo.name
                do_delete_repository(repo)  # its folder is gone: only the row goes
                removed.append(name)
                action_log.record(call, action_log.DELETED_REPO, repository_name=name)
    except Exception:
        log.exception("rescan_repos failed")
        raise JSONRPCError("Error occurred during rescan repositories action")
    return {"added": added, "removed": removed}


@api_method()
def invalidate_cache(call, repoid: Id):
    """Lindos's caches are keyed by changeset ids and never stale, so there
    is nothing to drop; the permission rule is Kallithea's (write)."""
    repo = get_repo_with_level(call, repoid, "write")
    return {"msg": "Cache for repository `%s` was invalidated" % (repoid,), "repository": repo.name}


@api_method(admin=True)
def get_ip(call, userid: Id = None):
    """The caller's address as Lindos sees it (behind a trusted proxy, the
    one it forwarded) and the user's own allowed networks (the default
    list is not repeated, as in Kallithea), each with its first and last
    address."""
    from lindos.ipaccess.models import AllowedNetwork

    if userid is None:
        userid = call.user.pk
    user = get_user_or_error(userid)
    entries = AllowedNetwork.objects.filter(user=user)
    return {
        "server_ip_addr": call.ip_addr,
        "user_ips": [{"ip_addr": e.network, "ip_range": e.ip_range} for e in entries],
    }


@api_method(admin=True, name="show_ip")
def show_ip(call, userid: Id = None):
    return get_ip(call, userid)


@api_method(admin=True)
def get_server_info(call):
    modules = sorted((d.metadata["Name"], d.version) for d in metadata.distributions() if d.metadata["Name"])
    try:
        version = metadata.version("lindos")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "modules": modules,
        "py_version": sys.version,
        "platform": platform.platform(),
        "kallithea_version": version,
        "lindos_version": version,
    }

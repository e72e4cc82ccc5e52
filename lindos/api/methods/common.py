"""Lookups every family shares, failing with Kallithea's sentences."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from lindos.api.errors import JSONRPCError
from lindos.repos.models import Repository
from lindos.repos.permissions import has_at_least, permission_for


def _as_pk(value) -> int | None:
    """Kallithea's ``guess_instance``: a number, or digits, is a primary key."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 2**63 else -1  # -1: matches no row on any database
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def get_user_or_error(userid):
    User = get_user_model()
    pk = _as_pk(userid)
    if pk is not None:
        user = User.objects.filter(pk=pk).first()
    elif isinstance(userid, str) and "\x00" not in userid:
        user = User.objects.filter(username__iexact=userid).first()
    else:
        user = None
    if user is None:
        raise JSONRPCError("user `%s` does not exist" % (userid,))
    return user


def find_repo(repoid) -> Repository | None:
    pk = _as_pk(repoid)
    qs = Repository.objects.select_related("owner", "fork_of")
    if pk is not None:
        return qs.filter(pk=pk).first()
    if isinstance(repoid, str) and "\x00" not in repoid:
        return qs.filter(name=repoid).first()
    return None


def get_repo_or_error(repoid) -> Repository:
    repo = find_repo(repoid)
    if repo is None:
        raise JSONRPCError("repository `%s` does not exist" % (repoid,))
    return repo


def get_repo_with_level(call, repoid, need: str) -> Repository:
    """The repository if the caller has at least `need` on it; otherwise
    the same error as for a repository that does not exist (Kallithea's
    rule: names of repositories you may not see do not leak)."""
    repo = get_repo_or_error(repoid)
    if not has_at_least(permission_for(call.user, repo), need):
        raise JSONRPCError("repository `%s` does not exist" % (repoid,))
    return repo


PERMISSIONS = {
    "repository.none": "none",
    "repository.read": "read",
    "repository.write": "write",
    "repository.admin": "admin",
}


def get_perm_or_error(perm) -> str:
    level = PERMISSIONS.get(perm) if isinstance(perm, str) else None
    if level is None:
        raise JSONRPCError("permission `%s` does not exist" % (perm,))
    return level

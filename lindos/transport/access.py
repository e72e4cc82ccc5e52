"""Who may do what over a VCS transport: one decision for git and hg.

``decide`` authenticates the request (HTTP Basic: password or API key,
through ``auth.user_for_credentials``) and checks the permission it needs.
It answers either an ``Allowed`` or a ``Refusal``; each transport renders a
refusal in the way its client shows it (git prints the body as
``remote: ...``, hg prints the reason phrase after ``abort: HTTP Error``).

Policy:

* too many failed logins (``lindos.accounts.throttle``): 429, checked
  before any password is hashed;
* bad credentials: 401, so the client asks again;
* an account used from outside its allowed networks (``lindos.ipaccess``):
  403 saying so, before anything about the repository is told;
* the LDAP directory that would check them does not answer: 503;
* no credentials and not enough permission (even for a name that does not
  exist): 401, so the client sends credentials and names don't leak;
* credentials but no read permission, or no such repository: 404;
* read but no write permission for a push: 403 with a one-line reason;
* a repository of the other kind, or with no folder on disk: 404.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser

from lindos.externalauth.errors import LoginUnavailable
from lindos.ipaccess.access import refusal as ip_refusal
from lindos.repos.models import Repository
from lindos.repos.permissions import has_at_least, permission_for
from lindos.repos.storage import UnsafePath
from lindos.transport.auth import LoginThrottled, parse_basic, user_for_credentials

KIND_NAMES = {"git": "git", "hg": "Mercurial"}


class Allowed(NamedTuple):
    repo: Repository
    user: object  # a User, or None for an anonymous reader
    path: str


class Refusal(NamedTuple):
    status: int
    message: str
    throttled: object = None  # the throttle's Refusal (429, Retry-After), if that is why

    @property
    def challenge(self) -> bool:
        return self.status == 401


def find_repository(name: str, kind: str) -> Repository | None:
    """``name`` exactly, else (git) ``name`` without a ``.git`` suffix."""
    if "\x00" in name:
        return None
    repo = Repository.objects.select_related("owner").filter(name=name).first()
    if repo is None and kind == "git" and name.endswith(".git"):
        repo = Repository.objects.select_related("owner").filter(name=name[:-4]).first()
    return repo


def decide(
    authorization: str | None,
    name: str,
    *,
    kind: str,
    write: bool,
    address: str | None,
    front_end_user=None,
) -> Allowed | Refusal:
    """May the sender of ``authorization`` read (or, with ``write``, push to)
    the ``kind`` repository ``name``? (See module doc.)  ``front_end_user``
    is the account a trusted front-end named for the request
    (``lindos.externalauth.container``): it stands for credentials, as
    Kallithea's container login did."""
    credentials = parse_basic(authorization)
    user = front_end_user
    if user is None and credentials is not None:
        try:
            user = user_for_credentials(credentials, address=address, channel=kind)
        except LoginThrottled as exc:
            return Refusal(429, exc.refusal.message, exc.refusal)
        except LoginUnavailable as exc:
            return Refusal(503, str(exc))
        if user is None:
            return Refusal(401, "Invalid username, password or API key")
    if user is not None:
        refused = ip_refusal(user, address)
        if refused is not None:
            return Refusal(403, refused)
    repo = find_repository(name, kind)
    permission = permission_for(user or AnonymousUser(), repo) if repo else "none"
    if not has_at_least(permission, "read"):
        if user is None:
            return Refusal(401, "Authentication required")
        return Refusal(404, f"Repository '{name}' not found")
    if write and not has_at_least(permission, "write"):
        if user is None:
            return Refusal(401, "Pushing needs an account with write permission")
        return Refusal(
            403,
            f"Permission denied: {user.username} may not push to "
            f"'{repo.name}' (your access is {permission}).",
        )
    if repo.kind != kind:
        other = KIND_NAMES.get(repo.kind, repo.kind)
        return Refusal(404, f"'{repo.name}' is a {other} repository, not a {KIND_NAMES[kind]} one")
    path = repository_path(repo)
    if path is None:
        return Refusal(404, f"Repository '{name}' not found")
    return Allowed(repo, user, path)


def repository_path(repo: Repository) -> str | None:
    """The repository's folder, or None if its name is unsafe or it is missing."""
    try:
        path = repo.path
    except UnsafePath:
        return None
    return path if os.path.isdir(path) else None

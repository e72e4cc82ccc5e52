"""Who is connecting and what they may do: checked on every SSH connection.

sshd has proved the client holds the key of authorized_keys line
``USER_ID KEY_ID``; the database decides the rest, so a key deleted or a
user deactivated a moment ago is refused even if the file still lists it.
The repository decision follows the HTTP transport's
(``lindos.transport.access``): the same name lookup and folder check
(imported from there), ``permission_for`` and the same answers (a
repository the user may not read is "not found", exactly like one that
does not exist). A login throttle in force for the account or address
(``lindos.accounts.throttle``, channel ``ssh``) refuses the connection too,
and so does an address outside the account's allowed networks
(``lindos.ipaccess``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from lindos.ipaccess.access import refusal as ip_refusal
from lindos.repos.permissions import has_at_least, permission_for
from lindos.ssh.commands import Refused, SshRequest, printable
from lindos.ssh.models import SshKey
from lindos.transport.access import find_repository, repository_path

#: last_seen is written at most this often per key (one write, not one per fetch).
LAST_SEEN_PRECISION = timedelta(minutes=1)


class Grant(NamedTuple):
    repo: object
    user: object
    path: str
    permission: str  # "read", "write" or "admin"

    @property
    def may_push(self) -> bool:
        return has_at_least(self.permission, "write")


def authenticate_key(user_id: int, key_id: int, address: str | None = None):
    """The active user owning key ``key_id``; notes that the key was used."""
    from lindos.accounts import throttle

    key = SshKey.objects.select_related("user").filter(pk=key_id, user_id=user_id).first()
    if key is None:
        raise Refused("This SSH key is no longer registered in Lindos.")
    if not key.user.is_active:
        raise Refused(f"The account {key.user.username} is disabled.")
    refusal = throttle.check(key.user.username, address, "ssh")
    if refusal is not None:
        raise Refused(refusal.message)
    refused = ip_refusal(key.user, address)
    if refused is not None:
        raise Refused(refused)
    now = timezone.now()
    (
        SshKey.objects.filter(pk=key.pk)
        .filter(Q(last_seen__isnull=True) | Q(last_seen__lt=now - LAST_SEEN_PRECISION))
        .update(last_seen=now)
    )
    return key.user


def authorize(user, request: SshRequest) -> Grant:
    """What ``user`` may do with the repository ``request`` names, or Refused."""
    name = request.repo_name
    repo = find_repository(name, request.vcs)
    permission = permission_for(user, repo) if repo else "none"
    not_found = Refused(f"Repository '{printable(name)}' not found.")
    if not has_at_least(permission, "read"):
        raise not_found
    if request.service == "git-receive-pack" and not has_at_least(permission, "write"):
        raise Refused(
            f"Permission denied: {user.username} may not push to '{repo.name}' (your access is {permission})."
        )
    if repo.kind != request.vcs:
        kind = {"git": "git", "hg": "Mercurial"}[repo.kind]
        raise Refused(f"'{repo.name}' is a {kind} repository: use {repo.kind} to reach it.")
    path = repository_path(repo)
    if path is None:
        raise not_found
    return Grant(repo, user, path, permission)

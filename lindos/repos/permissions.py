"""The one permission check: pages, the git/hg transport and the mail
pipeline all ask here what a user may do with a repository.

Policy (Kallithea's), first rule that applies wins:

1. an active admin (``is_superuser``) may do everything (``admin``);
2. the owner of the repository has ``admin``;
3. an explicit grant for the user (``RepositoryPermission``) is what they
   get, even if it is below the default: it is how one person is shut out
   of a public repository;
4. otherwise the repository's default permission, which applies to
   anonymous visitors and every logged-in user alike; a private
   repository's default is always ``none``.

Inactive accounts count as anonymous visitors (they cannot log in anyway),
and ``filter_readers`` leaves them out entirely.

A repository a user may not read does not exist for them: lookups raise
``Http404``, never 403, so private names don't leak.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lindos.repos.models import PERMISSION_RANK, Repository, RepositoryPermission


def effective_default(repo: Repository) -> str:
    """What everyone may do: the stored default, or ``none`` when private."""
    return "none" if repo.private else repo.default_permission


def permission_for(user, repo: Repository) -> str:
    """``'none'``, ``'read'``, ``'write'`` or ``'admin'`` (see module doc)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return effective_default(repo)
    if user.is_superuser:
        return "admin"
    if repo.owner_id == user.pk:
        return "admin"
    explicit = (
        RepositoryPermission.objects.filter(repository=repo, user=user)
        .values_list("permission", flat=True)
        .first()
    )
    if explicit is not None:
        return explicit
    return effective_default(repo)


def has_at_least(permission: str, need: str) -> bool:
    return PERMISSION_RANK[permission] >= PERMISSION_RANK[need]


def can_read(user, repo: Repository) -> bool:
    return has_at_least(permission_for(user, repo), "read")


def can_write(user, repo: Repository) -> bool:
    return has_at_least(permission_for(user, repo), "write")


def can_admin(user, repo: Repository) -> bool:
    return has_at_least(permission_for(user, repo), "admin")


def get_repository_or_404(request_or_user, name: str, need: str = "read") -> Repository:
    """The repository called ``name`` if the user may at least ``need`` it.

    Raises ``Http404`` when it does not exist or the user may not read it
    (the same answer, so names don't leak), ``PermissionDenied`` when they
    may read it but need more. The returned object carries the user's level
    as ``repo.permission`` (templates use it to show the Settings tab).
    Accepts a request (``request.user`` is used) or a user.
    """
    user = getattr(request_or_user, "user", request_or_user)
    if "\x00" in name:  # from a URL; PostgreSQL refuses NUL in text (a 500)
        raise Http404("No such repository")
    repo = Repository.objects.select_related("owner", "fork_of").filter(name=name).first()
    if repo is None:
        raise Http404("No such repository")
    permission = permission_for(user, repo)
    if not has_at_least(permission, "read"):
        raise Http404("No such repository")
    if not has_at_least(permission, need):
        raise PermissionDenied(f"You need {need} permission on this repository.")
    repo.permission = permission
    return repo


def filter_readers(repository_id: int, user_ids: Iterable[int]) -> set[int]:
    """The ids among ``user_ids`` of active users who may read the repository.

    The notification pipeline calls this before sending any mail about a
    repository; it must agree exactly with ``permission_for``.
    """
    from django.contrib.auth import get_user_model

    wanted = set(user_ids)
    repo = Repository.objects.filter(pk=repository_id).first()
    if repo is None or not wanted:
        return set()
    users = get_user_model().objects.filter(pk__in=wanted, is_active=True)
    explicit = dict(
        RepositoryPermission.objects.filter(repository=repo, user_id__in=wanted).values_list(
            "user_id", "permission"
        )
    )
    default = effective_default(repo)
    readers = set()
    for user_id, is_superuser in users.values_list("pk", "is_superuser"):
        if is_superuser or user_id == repo.owner_id:
            readers.add(user_id)
        elif has_at_least(explicit.get(user_id, default), "read"):
            readers.add(user_id)
    return readers


def readable_repositories(user):
    """A queryset of the repositories ``user`` may read (for listings)."""
    from django.db.models import Q

    qs = Repository.objects.all()
    if user is not None and user.is_authenticated and user.is_active:
        if user.is_superuser:
            return qs
        granted = RepositoryPermission.objects.filter(user=user)
        readable_grant = granted.exclude(permission="none").values("repository_id")
        denied = granted.filter(permission="none").values("repository_id")
        return qs.filter(
            Q(owner=user)
            | Q(pk__in=readable_grant)
            | (Q(private=False) & ~Q(default_permission="none") & ~Q(pk__in=denied))
        )
    return qs.filter(private=False).exclude(default_permission="none")

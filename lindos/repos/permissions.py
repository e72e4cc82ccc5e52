"""The one permission check: pages, the git/hg transport (HTTP and SSH),
the API and the mail pipeline all ask here what a user may do with a
repository or a repository group.

Policy (Kallithea 0.7's ``AuthUser``), for a repository:

1. an active admin (``is_superuser``) may do everything (``admin``);
2. the owner of the repository has ``admin``;
3. otherwise the strongest of: the repository's default permission (what
   everyone gets; always ``none`` while it is private), the user's own
   grant, and the grants to each *active* user group they belong to.
   A grant can only add: an explicit ``none`` gives nothing beyond the
   default, as in Kallithea (to shut people out, make the repository
   private or its default ``none``).

Anonymous visitors, and inactive accounts (who cannot log in anyway), get
the default, or ``none`` for everything while anonymous access is off
(Admin > Permissions). ``filter_readers`` leaves inactive accounts out.

Repository groups follow the same rules with the group's owner and default
permission; a group grants nothing on the repositories inside it by itself
(see ``RepoGroup``).  So do user groups (Kallithea's ``usergroup.*``): read
shows the group in the pickers and the API and lets one grant it
permissions on what one administers; write adds nothing to read, as in
Kallithea 0.7; admin manages it (settings, members, its permissions).
Whether the user group itself is active does not matter for who may manage
it, only for what its members get from it.

A repository or group a user may not read does not exist for them: lookups
raise ``Http404``, never 403, so private names don't leak.

Answers are remembered for one request (``permission_cache``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from lindos.accounts.models import UserGroupPermission, UserGroupUserGroupPermission
from lindos.repos.models import (
    PERMISSION_RANK,
    RepoGroup,
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    Repository,
    RepositoryPermission,
    RepositoryUserGroupPermission,
)
from lindos.repos.permission_cache import cached


def has_at_least(permission: str, need: str) -> bool:
    return PERMISSION_RANK[permission] >= PERMISSION_RANK[need]


def levels_at_least(need: str) -> list[str]:
    """The levels that give at least ``need`` (``read``: read, write, admin)."""
    return [level for level, rank in PERMISSION_RANK.items() if rank >= PERMISSION_RANK[need]]


@dataclass(frozen=True)
class Resolution:
    """A permission and where it comes from, in words for the admin page."""

    permission: str
    source: str


def resolve(
    *, admin: bool, owner: bool, default: str, own: str | None = None, groups: Iterable[tuple[str, str]] = ()
) -> Resolution:
    """The policy itself, without the database (see module doc).

    ``groups`` are ``(group name, permission)`` of the user's active groups.
    On a tie the user's own grant is named before a group's, and a group's
    before the default.
    """
    if admin:
        return Resolution("admin", "site admin")
    if owner:
        return Resolution("admin", "owner")
    best = Resolution(default, "default")
    for name, level in sorted(groups):
        rank, best_rank = PERMISSION_RANK[level], PERMISSION_RANK[best.permission]
        if rank > best_rank or (rank == best_rank and best.source == "default"):
            best = Resolution(level, f"user group {name}")
    if own is not None and PERMISSION_RANK[own] >= PERMISSION_RANK[best.permission]:
        best = Resolution(own, "own grant")
    return best


def _anonymous_access() -> bool:
    from lindos.appsettings.current import current_app_settings

    return current_app_settings().anonymous_access


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def effective_default(repo: Repository) -> str:
    """What everyone may do: the stored default, or ``none`` when private."""
    return "none" if repo.private else repo.default_permission


def user_group_ids(user) -> frozenset[int]:
    """The ids of the active user groups ``user`` belongs to."""
    if not _signed_in(user):
        return frozenset()
    from lindos.accounts.models import UserGroup

    return cached(
        ("user_groups", user.pk),
        lambda: frozenset(UserGroup.objects.filter(members=user, active=True).values_list("pk", flat=True)),
    )


@dataclass(frozen=True)
class _Grants:
    """Where one kind of object (repository, repository group, user group)
    keeps its grants: the models of per-user and per-user-group rows, their
    foreign key to the object, and the object's default permission."""

    kind: str
    to_user: type
    to_user_group: type
    field: str
    default: Callable[[object], str]

    def own(self, user, obj) -> str | None:
        return (
            self.to_user.objects.filter(**{self.field: obj}, user=user)
            .values_list("permission", flat=True)
            .first()
        )

    def of_user_groups(self, obj, group_ids) -> Iterable[tuple[str, str]]:
        if not group_ids:
            return []
        return self.to_user_group.objects.filter(
            **{self.field: obj}, user_group_id__in=group_ids
        ).values_list("user_group__name", "permission")

    def readable(self, user, public: Q, need: str = "read"):
        """A ``Q`` of the objects ``user`` (signed in, not an admin) may at
        least ``need``; ``public``: those whose default gives that."""
        enough = levels_at_least(need)
        readable = Q(owner=user) | public
        readable |= Q(
            pk__in=self.to_user.objects.filter(user=user, permission__in=enough).values(f"{self.field}_id")
        )
        group_ids = user_group_ids(user)
        if group_ids:
            readable |= Q(
                pk__in=self.to_user_group.objects.filter(
                    user_group_id__in=group_ids, permission__in=enough
                ).values(f"{self.field}_id")
            )
        return readable


REPOSITORY_GRANTS = _Grants(
    "repository", RepositoryPermission, RepositoryUserGroupPermission, "repository", effective_default
)
REPO_GROUP_GRANTS = _Grants(
    "repository group",
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    "group",
    lambda group: group.default_permission,
)


def _explain(user, obj, grants: _Grants) -> Resolution:
    """What ``user`` may do with ``obj`` (a repository or a group), and why."""
    if not _signed_in(user):
        if not _anonymous_access():
            return Resolution("none", "anonymous access is off")
        return Resolution(grants.default(obj), "default")
    return cached((grants.kind, user.pk, obj.pk), lambda: _explain_signed_in(user, obj, grants))


def _explain_signed_in(user, obj, grants: _Grants) -> Resolution:
    if user.is_superuser or obj.owner_id == user.pk:
        return resolve(admin=user.is_superuser, owner=True, default="none")
    return resolve(
        admin=False,
        owner=False,
        default=grants.default(obj),
        own=grants.own(user, obj),
        groups=grants.of_user_groups(obj, user_group_ids(user)),
    )


def _get_or_404(request_or_user, queryset, name, need: str, grants: _Grants, key: str = "name"):
    """The object whose ``key`` is ``name`` if the user may at least ``need``
    it, with the user's level as ``.permission``: ``Http404`` when it does
    not exist or the user may not read it (the same answer, so names don't
    leak), ``PermissionDenied`` when they may read it but need more."""
    user = getattr(request_or_user, "user", request_or_user)
    if isinstance(name, str) and "\x00" in name:  # from a URL; PostgreSQL refuses NUL in text (a 500)
        raise Http404(f"No such {grants.kind}")
    obj = queryset.filter(**{key: name}).first()
    if obj is None:
        raise Http404(f"No such {grants.kind}")
    permission = _explain(user, obj, grants).permission
    if not has_at_least(permission, "read"):
        raise Http404(f"No such {grants.kind}")
    if not has_at_least(permission, need):
        raise PermissionDenied(f"You need {need} permission on this {grants.kind}.")
    obj.permission = permission
    return obj


def _readable(user, queryset, public: Q, grants: _Grants, need: str = "read"):
    if not _signed_in(user):
        return queryset.filter(public) if _anonymous_access() else queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(grants.readable(user, public, need))


def explain(user, repo: Repository) -> Resolution:
    """What ``user`` may do with ``repo``, and why."""
    return _explain(user, repo, REPOSITORY_GRANTS)


def permission_for(user, repo: Repository) -> str:
    """``'none'``, ``'read'``, ``'write'`` or ``'admin'`` (see module doc)."""
    return explain(user, repo).permission


def can_read(user, repo: Repository) -> bool:
    return has_at_least(permission_for(user, repo), "read")


def can_write(user, repo: Repository) -> bool:
    return has_at_least(permission_for(user, repo), "write")


def can_admin(user, repo: Repository) -> bool:
    return has_at_least(permission_for(user, repo), "admin")


def get_repository_or_404(request_or_user, name: str, need: str = "read") -> Repository:
    """The repository called ``name`` if the user may at least ``need`` it
    (``Http404``: not there or not readable; ``PermissionDenied``: readable
    but not enough).  ``repo.permission`` is the user's level (templates
    use it to show the Settings tab).  Accepts a request or a user."""
    return _get_or_404(
        request_or_user,
        Repository.objects.select_related("owner", "fork_of"),
        name,
        need,
        REPOSITORY_GRANTS,
    )


def filter_readers(repository_id: int, user_ids: Iterable[int]) -> set[int]:
    """The ids among ``user_ids`` of active users who may read the repository.

    The notification pipeline calls this before sending any mail about a
    repository; it must agree exactly with ``permission_for``.
    """
    from django.contrib.auth import get_user_model

    from lindos.accounts.models import UserGroup

    wanted = set(user_ids)
    repo = Repository.objects.filter(pk=repository_id).first()
    if repo is None or not wanted:
        return set()
    users = get_user_model().objects.filter(pk__in=wanted, is_active=True)
    own = dict(
        RepositoryPermission.objects.filter(repository=repo, user_id__in=wanted).values_list(
            "user_id", "permission"
        )
    )
    group_levels = dict(
        RepositoryUserGroupPermission.objects.filter(repository=repo, user_group__active=True).values_list(
            "user_group_id", "permission"
        )
    )
    from_groups: dict[int, list[tuple[str, str]]] = {}
    if group_levels:
        memberships = UserGroup.members.through.objects.filter(
            usergroup_id__in=group_levels, user_id__in=wanted
        ).values_list("user_id", "usergroup_id")
        for user_id, group_id in memberships:
            from_groups.setdefault(user_id, []).append((str(group_id), group_levels[group_id]))
    default = effective_default(repo)
    readers = set()
    for user_id, is_superuser in users.values_list("pk", "is_superuser"):
        level = resolve(
            admin=is_superuser,
            owner=user_id == repo.owner_id,
            default=default,
            own=own.get(user_id),
            groups=from_groups.get(user_id, ()),
        ).permission
        if has_at_least(level, "read"):
            readers.add(user_id)
    return readers


def readable_repositories(user):
    """A queryset of the repositories ``user`` may read (for listings)."""
    public = Q(private=False) & ~Q(default_permission="none")
    return _readable(user, Repository.objects.all(), public, REPOSITORY_GRANTS)


def repository_permissions(user, repositories=None) -> dict[int, tuple[Repository, Resolution]]:
    """Every repository's resolution for ``user`` at once (the admin's
    "permissions of USER" page and the API's ``get_user``): one query per
    kind of grant rather than per repository. ``repositories``: a queryset
    to limit the answer to (default: all)."""
    repositories = Repository.objects.all() if repositories is None else repositories
    repos = list(repositories.only("id", "name", "owner_id", "private", "default_permission", "kind"))
    if not _signed_in(user):
        return {r.pk: (r, explain(user, r)) for r in repos}
    own = dict(RepositoryPermission.objects.filter(user=user).values_list("repository_id", "permission"))
    by_repo: dict[int, list[tuple[str, str]]] = {}
    group_ids = user_group_ids(user)
    if group_ids:
        rows = RepositoryUserGroupPermission.objects.filter(user_group_id__in=group_ids).values_list(
            "repository_id", "user_group__name", "permission"
        )
        for repo_id, group_name, level in rows:
            by_repo.setdefault(repo_id, []).append((group_name, level))
    return {
        r.pk: (
            r,
            resolve(
                admin=user.is_superuser,
                owner=r.owner_id == user.pk,
                default=effective_default(r),
                own=own.get(r.pk),
                groups=by_repo.get(r.pk, ()),
            ),
        )
        for r in repos
    }


# Repository groups ---------------------------------------------------------


def explain_group(user, group: RepoGroup) -> Resolution:
    """What ``user`` may do with the repository group, and why."""
    return _explain(user, group, REPO_GROUP_GRANTS)


def group_permission_for(user, group: RepoGroup) -> str:
    return explain_group(user, group).permission


def get_repo_group_or_404(request_or_user, name: str, need: str = "read") -> RepoGroup:
    """The repository group ``name`` if the user may at least ``need`` it
    (``Http404`` and ``PermissionDenied`` as ``get_repository_or_404``)."""
    return _get_or_404(
        request_or_user, RepoGroup.objects.select_related("owner"), name, need, REPO_GROUP_GRANTS
    )


def readable_repo_groups(user):
    """A queryset of the repository groups ``user`` may read."""
    public = ~Q(default_permission="none")
    return _readable(user, RepoGroup.objects.all(), public, REPO_GROUP_GRANTS)


# User groups ----------------------------------------------------------------


USER_GROUP_GRANTS = _Grants(
    "user group",
    UserGroupPermission,
    UserGroupUserGroupPermission,
    "target_user_group",
    lambda group: group.default_permission,
)


def explain_user_group(user, group) -> Resolution:
    """What ``user`` may do with the user group, and why. Anonymous visitors
    get nothing: no page or API call shows user groups without a login."""
    if not _signed_in(user):
        return Resolution("none", "not logged in")
    return _explain(user, group, USER_GROUP_GRANTS)


def user_group_permission_for(user, group) -> str:
    return explain_user_group(user, group).permission


def get_user_group_or_404(request_or_user, group_id, need: str = "read"):
    """The user group with id (or name: ``key="name"``) ``group_id`` if the
    user may at least ``need`` it (``Http404``: not there or not readable;
    ``PermissionDenied``: readable but not enough)."""
    from lindos.accounts.models import UserGroup

    user = getattr(request_or_user, "user", request_or_user)
    # A URL's id past a 64-bit integer overflows the database driver (a 500).
    if not _signed_in(user) or not 0 < int(group_id) < 2**63:
        raise Http404("No such user group")
    return _get_or_404(
        user, UserGroup.objects.select_related("owner"), group_id, need, USER_GROUP_GRANTS, "pk"
    )


def user_groups_at_least(user, need: str = "read"):
    """A queryset of the user groups ``user`` may at least ``need``: ``read``
    for the pickers and the API's list, ``admin`` for Admin > User groups."""
    from lindos.accounts.models import UserGroup

    if not _signed_in(user):
        return UserGroup.objects.none()
    return _readable(
        user,
        UserGroup.objects.all(),
        Q(default_permission__in=levels_at_least(need)),
        USER_GROUP_GRANTS,
        need,
    )


# Site-wide rights ------------------------------------------------------------

_GLOBAL_DEFAULTS = {
    "create_repository": "create_repositories",
    "create_repo_group": "create_repo_groups",
    "create_user_group": "create_user_groups",
    "fork": "fork_repositories",
}


def has_global_permission(user, name: str) -> bool:
    """May ``user`` do ``name`` (a ``GlobalPermission``) site-wide? Admins
    always; others if Admin > Permissions gives it to everyone, or a grant
    gives it to them or to one of their active user groups."""
    from lindos.accounts.models import GlobalPermissionGrant
    from lindos.appsettings.current import current_app_settings

    if not _signed_in(user):
        return False
    if user.is_superuser or getattr(current_app_settings(), _GLOBAL_DEFAULTS[name]):
        return True

    def granted() -> bool:
        return GlobalPermissionGrant.objects.filter(
            Q(user=user) | Q(user_group_id__in=user_group_ids(user)), permission=name
        ).exists()

    return cached(("global", user.pk, name), granted)

"""Following a repository or a user (Kallithea's ``toggle_following``).

Policy:

* only a repository the user may read can be followed; asking to follow one
  they may not read answers exactly as for a repository that does not
  exist, so the toggle cannot probe private names;
* following a repository one may no longer read is kept (access may come
  back) but shows nothing: every journal and list filters by what the
  viewer may read now;
* any active user can be followed, except oneself; following a user shows
  their actions on repositories the follower may read, never others;
* the owner of a new repository follows it (Kallithea did the same).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from lindos.activity.log import record_action
from lindos.activity.models import UserFollowing
from lindos.repos.models import Repository
from lindos.repos.permissions import can_read


class NotFollowable(Exception):
    """No repository or user by that id that this user may follow."""


def _repository(user, repository_id) -> Repository:
    try:
        repo = Repository.objects.filter(pk=int(repository_id)).first()
    except (TypeError, ValueError, OverflowError):
        repo = None
    if repo is None or not can_read(user, repo):
        raise NotFollowable("no such repository")
    return repo


def _user(user, user_id):
    try:
        target = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    except (TypeError, ValueError, OverflowError):
        target = None
    if target is None or target.pk == user.pk:
        raise NotFollowable("no such user")
    return target


def do_toggle_following_repository(user, repository_id, *, address: str = "") -> bool:
    """Follow the repository, or stop following it; True when now following."""
    repo = _repository(user, repository_id)
    with transaction.atomic():
        deleted, _ = UserFollowing.objects.filter(user=user, follows_repository=repo).delete()
        if deleted:
            record_action(user, "stopped_following_repo", repository=repo, address=address)
            return False
        try:
            with transaction.atomic():
                UserFollowing.objects.create(user=user, follows_repository=repo)
        except IntegrityError:  # a second click that raced the first
            return True
        record_action(user, "started_following_repo", repository=repo, address=address)
        return True


def do_toggle_following_user(user, user_id, *, address: str = "") -> bool:
    """Follow the user, or stop following them; True when now following."""
    target = _user(user, user_id)
    with transaction.atomic():
        deleted, _ = UserFollowing.objects.filter(user=user, follows_user=target).delete()
        if deleted:
            record_action(user, "stopped_following_user", detail=target.username, address=address)
            return False
        try:
            with transaction.atomic():
                UserFollowing.objects.create(user=user, follows_user=target)
        except IntegrityError:
            return True
        record_action(user, "started_following_user", detail=target.username, address=address)
        return True


def is_following_repository(user, repo) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return UserFollowing.objects.filter(user=user, follows_repository=repo).exists()


def is_following_user(user, target) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return UserFollowing.objects.filter(user=user, follows_user=target).exists()


def followed_by(user) -> dict:
    """What ``user`` follows, for their journal page: ``repositories`` they
    may still read, and active ``users``."""
    from lindos.repos.permissions import readable_repositories

    rows = UserFollowing.objects.filter(user=user)
    repo_ids = rows.exclude(follows_repository=None).values("follows_repository_id")
    user_ids = rows.exclude(follows_user=None).values("follows_user_id")
    return {
        "repositories": list(readable_repositories(user).filter(pk__in=repo_ids).order_by("name")),
        "users": list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")),
    }


def repository_followers(repo):
    """Followings of ``repo`` by active users, oldest first (the followers
    page; the caller has checked that the viewer may read ``repo``)."""
    return (
        UserFollowing.objects.filter(follows_repository=repo, user__is_active=True)
        .select_related("user")
        .order_by("follows_from", "id")
    )


def owner_follows_new_repository(sender, instance, created, raw=False, **kwargs):
    """``post_save`` receiver for ``Repository``."""
    if not created or raw or instance.owner_id is None:
        return
    UserFollowing.objects.get_or_create(user_id=instance.owner_id, follows_repository=instance)

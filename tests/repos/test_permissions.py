import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lindos.repos.actions import do_set_permission
from lindos.repos.listing import visible_repositories
from lindos.repos.permissions import (
    can_admin,
    can_read,
    can_write,
    filter_readers,
    get_repository_or_404,
    permission_for,
)

# (repository private?, default permission, who, explicit grant, expected)
TABLE = [
    (False, "read", "anonymous", None, "read"),
    (False, "none", "anonymous", None, "none"),
    (False, "write", "anonymous", None, "write"),
    (True, "read", "anonymous", None, "none"),
    (False, "read", "user", None, "read"),
    (False, "read", "user", "write", "write"),
    (False, "read", "user", "none", "read"),  # a grant only adds: the default still counts (Kallithea)
    (False, "write", "user", "read", "write"),
    (True, "read", "user", None, "none"),
    (True, "none", "user", "read", "read"),
    (True, "none", "user", "admin", "admin"),
    (True, "none", "owner", None, "admin"),
    (False, "none", "owner", None, "admin"),
    (True, "none", "admin", None, "admin"),
    (True, "none", "admin", "none", "admin"),  # admins see everything
    (False, "read", "inactive", None, "read"),  # an inactive account counts as anonymous
    (True, "none", "inactive", "write", "none"),
    (True, "none", "inactive_admin", None, "none"),
]


@pytest.mark.parametrize("private, default, who, grant, expected", TABLE)
def test_permission_resolution(make_repo, make_user, private, default, who, grant, expected):
    owner = make_user()
    repo = make_repo(owner=owner, private=private)
    repo.default_permission = default
    repo.save()
    user = {
        "anonymous": lambda: AnonymousUser(),
        "user": lambda: make_user(),
        "owner": lambda: owner,
        "admin": lambda: make_user(admin=True),
        "inactive": lambda: make_user(active=False),
        "inactive_admin": lambda: make_user(admin=True, active=False),
    }[who]()
    if grant:
        do_set_permission(repo, user, grant)
    assert permission_for(user, repo) == expected
    assert can_read(user, repo) == (expected != "none")
    assert can_write(user, repo) == (expected in ("write", "admin"))
    assert can_admin(user, repo) == (expected == "admin")
    # filter_readers agrees exactly with permission_for (inactive: never)
    expected_readers = (
        {user.pk} if (user.is_authenticated and user.is_active and expected != "none") else set()
    )
    if user.is_authenticated:
        assert filter_readers(repo.pk, [user.pk]) == expected_readers
    # and so does the home page listing
    assert (repo in visible_repositories(user)) == (expected != "none")


def test_new_public_repo_takes_site_default(make_repo):
    from lindos.appsettings.current import save_app_settings

    save_app_settings(default_repo_permission="none")
    try:
        assert make_repo().default_permission == "none"
    finally:
        save_app_settings(default_repo_permission="read")
    assert make_repo().default_permission == "read"
    assert make_repo(private=True).default_permission == "none"


def test_private_repo_is_404_for_strangers_not_403(make_repo, make_user):
    repo = make_repo(private=True)
    with pytest.raises(Http404):
        get_repository_or_404(AnonymousUser(), repo.name)
    with pytest.raises(Http404):
        get_repository_or_404(make_user(), repo.name)
    with pytest.raises(Http404):
        get_repository_or_404(make_user(), "no-such-repo")


def test_get_repository_needs_more_than_read_is_403(make_repo, make_user):
    repo = make_repo()
    reader = make_user()
    assert get_repository_or_404(reader, repo.name).permission == "read"
    with pytest.raises(PermissionDenied):
        get_repository_or_404(reader, repo.name, need="admin")
    assert get_repository_or_404(repo.owner, repo.name, need="admin").permission == "admin"


def test_filter_readers_mixed_crowd(make_repo, make_user):
    owner = make_user()
    repo = make_repo(owner=owner, private=True)
    granted, stranger, admin = make_user(), make_user(), make_user(admin=True)
    denied, inactive = make_user(), make_user(active=False)
    do_set_permission(repo, granted, "read")
    do_set_permission(repo, denied, "none")
    do_set_permission(repo, inactive, "write")
    ids = [owner.pk, granted.pk, stranger.pk, admin.pk, denied.pk, inactive.pk, 999999]
    assert filter_readers(repo.pk, ids) == {owner.pk, granted.pk, admin.pk}
    assert filter_readers(repo.pk, []) == set()
    assert filter_readers(987654, ids) == set()
    repo.private = False
    repo.default_permission = "read"
    repo.save()
    # "none" takes nothing away from the default
    assert filter_readers(repo.pk, ids) == {owner.pk, granted.pk, stranger.pk, admin.pk, denied.pk}

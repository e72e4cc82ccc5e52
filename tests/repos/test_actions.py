"""The repository actions called directly, as the API and other callers
do: the rules they enforce whatever form or page is in front of them."""

import pytest
from django.core.exceptions import ValidationError

from lindos.repos.actions import do_fork_repository, do_set_permission, do_update_repository
from lindos.repos.models import Repository


@pytest.fixture
def private_source(make_repo, make_user):
    owner = make_user("olga")
    source = make_repo("secret", owner=owner, private=True)
    reader = make_user("rita")
    do_set_permission(source, reader, "read")
    return source, reader


def test_reader_cannot_fork_a_private_repository_as_public(private_source):
    """Read access must not become a public copy."""
    source, reader = private_source
    with pytest.raises(ValidationError, match="must be private"):
        do_fork_repository(source, name="rita/secret", owner=reader, private=False)
    assert not Repository.objects.filter(name="rita/secret").exists()


def test_fork_of_a_private_repository_is_private_by_default(private_source):
    source, reader = private_source
    fork = do_fork_repository(source, name="rita/secret", owner=reader)
    assert fork.private and fork.default_permission == "none"


def test_writer_is_not_enough_to_publish_a_copy(private_source, make_user):
    source, _reader = private_source
    writer = make_user("walt")
    do_set_permission(source, writer, "write")
    with pytest.raises(ValidationError):
        do_fork_repository(source, name="walt/secret", owner=writer, private=False)


@pytest.mark.parametrize("who", ["owner", "granted admin", "site admin"])
def test_admins_of_the_source_may_fork_it_as_public(private_source, make_user, who):
    source, _reader = private_source
    if who == "owner":
        user = source.owner
    elif who == "granted admin":
        user = make_user("adam")
        do_set_permission(source, user, "admin")
    else:
        user = make_user("root", admin=True)
    fork = do_fork_repository(source, name=f"{user.username}/open", owner=user, private=False)
    assert not fork.private


def test_an_admin_forking_for_someone_else_decides(private_source, make_user):
    source, reader = private_source
    root = make_user("root", admin=True)
    fork = do_fork_repository(source, name="rita/open", owner=reader, private=False, actor=root)
    assert not fork.private and fork.owner == reader
    # ...but the owner alone may not do it
    with pytest.raises(ValidationError):
        do_fork_repository(source, name="rita/open2", owner=reader, private=False, actor=reader)


def test_private_fork_cannot_be_made_public_by_its_owner(private_source):
    """Forking as private, then flipping the switch, would leak the same."""
    source, reader = private_source
    fork = do_fork_repository(source, name="rita/secret", owner=reader)
    with pytest.raises(ValidationError, match="must be private"):
        do_update_repository(fork, actor=reader, private=False)
    with pytest.raises(ValidationError):
        do_update_repository(fork, private=False)  # no actor: no publishing
    fork.refresh_from_db()
    assert fork.private
    do_update_repository(fork, actor=reader, description="still fine")  # other edits work
    do_update_repository(fork, actor=source.owner, private=False)  # the source's admin may
    fork.refresh_from_db()
    assert not fork.private


def test_public_source_forks_are_free(make_repo, make_user):
    source = make_repo("open")
    user = make_user("uma")
    fork = do_fork_repository(source, name="uma/open", owner=user, private=True)
    do_update_repository(fork, actor=user, private=False)
    fork.refresh_from_db()
    assert not fork.private


def test_a_fork_starts_with_its_source_s_statistics_and_downloads_switches(private_source):
    source, reader = private_source
    do_update_repository(source, enable_statistics=False)
    fork = do_fork_repository(source, name="rita/secret", owner=reader)
    assert (fork.enable_statistics, fork.enable_downloads) == (False, True)
    other = do_fork_repository(source, name="rita/other", owner=reader, enable_downloads=False)
    assert (other.enable_statistics, other.enable_downloads) == (False, False)

import django
import pytest

django.setup()

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def admin(make_user):
    return make_user("boss", admin=True)


@pytest.fixture
def make_gist(repo_root, alice):
    """A gist made through the same action as the pages and the API."""
    from lindos.gists.actions import do_create_gist
    from lindos.gists.models import PUBLIC

    def make(files=None, *, owner=None, gist_type=PUBLIC, description="", expires_at=None):
        files = files or {"hello.py": b"print('hello')\n"}
        return do_create_gist(
            owner=owner or alice,
            files=files,
            description=description,
            gist_type=gist_type,
            expires_at=expires_at,
        )

    return make


def logged_in(client, user):
    client.force_login(user)
    return client


from tests.transport.conftest import git, server_url  # noqa: E402,F401

import django
import pytest

django.setup()

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401
from tests.transport.conftest import git, server_url  # noqa: E402,F401


@pytest.fixture
def hg(tmp_path):
    from tests.hgclient import hg_client

    return hg_client(tmp_path / "hghome", "Bob Builder <bob@example.com>")


@pytest.fixture
def allow(db):
    """``allow(user_or_None, "10.0.0.0/8")``: an entry, through the same action as the admin page."""
    from lindos.ipaccess.actions import do_add_network

    return do_add_network

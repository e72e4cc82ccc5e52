import django
import pytest

from tests.gitclient import git_client

# pytest-django sets Django up only once the first test runs; these test
# modules import models at the top, so do it now (it is idempotent).
django.setup()

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401


@pytest.fixture
def server_url(transactional_db, repo_root):
    """Lindos served by waitress (the server ``lindos serve`` uses) in a thread.

    The test database is SQLite in memory; its one connection is shared
    with the server thread, as Django's own live server does.
    """
    from waitress.server import create_server

    from tests.threaded_server import threaded_server

    # One thread: the shared SQLite connection must not be used concurrently.
    with threaded_server(
        lambda app: create_server(
            app, host="127.0.0.1", port=0, threads=1, inbuf_overflow=1 << 20, outbuf_overflow=1 << 20
        )
    ) as server:
        yield f"http://127.0.0.1:{server.effective_port}"


@pytest.fixture
def git(tmp_path):
    """Run the real git client with an isolated HOME and no prompts."""
    return git_client(tmp_path / "home", "Tess Ter", "tess@example.com")

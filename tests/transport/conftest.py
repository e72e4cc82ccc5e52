import threading

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
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections
    from waitress.server import create_server

    shared = {c.alias: c for c in connections.all()
              if c.vendor == "sqlite" and c.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    handler = WSGIHandler()

    def app(environ, start_response):
        for alias, conn in shared.items():
            connections[alias] = conn
        return handler(environ, start_response)

    # One thread: the shared SQLite connection must not be used concurrently.
    server = create_server(app, host="127.0.0.1", port=0, threads=1,
                           inbuf_overflow=1 << 20, outbuf_overflow=1 << 20)
    stop = threading.Event()

    def serve():
        # server.run() loops until closed from outside, which races with
        # its select(); a stop flag lets the loop close its own sockets.
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    stop.set()
    thread.join(timeout=10)
    for conn in shared.values():
        conn.dec_thread_sharing()


@pytest.fixture
def git(tmp_path):
    """Run the real git client with an isolated HOME and no prompts."""
    return git_client(tmp_path / "home", "Tess Ter", "tess@example.com")

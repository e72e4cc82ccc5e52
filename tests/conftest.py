"""Fixtures shared by every test folder: private PostgreSQL, MariaDB and
Redis servers (see tests/services.py)."""

import pytest

from tests.services import database_url, fresh_redis, mariadb_server, postgres_server, redis_server  # noqa: F401  (pytest finds fixtures by name)


@pytest.fixture(autouse=True)
def _fresh_rendered_memo():
    """Rendered pages kept in memory are keyed by content ids, and tests
    reuse equal histories: each test starts without them, as a fresh
    server process would (the shared cache is cleared where tests need it)."""
    from lindos.repos.browse import memo

    memo.rendered.clear()
    yield

"""Fixtures shared by every test folder: private PostgreSQL, MariaDB and
Redis servers (see tests/services.py)."""

from tests.services import database_url, fresh_redis, mariadb_server, postgres_server, redis_server  # noqa: F401  (pytest finds fixtures by name)

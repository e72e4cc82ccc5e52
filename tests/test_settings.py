"""Django settings built from the INI file: the shared cache."""

import dataclasses

import pytest
from django.core.cache import caches
from django.test import override_settings

from lindos.settings import cache_settings
from tests.browse.conftest import _fresh_cache, built_roots, git_repo  # noqa: F401  (fixtures)
from tests.repos.fixtures import make_user  # noqa: F401  (a fixture)


def test_default_cache_is_files_under_cache_dir(settings):
    config = dataclasses.replace(settings.LINDOS, cache_dir="/srv/lindos/data", cache_url="")
    default = cache_settings(config)["default"]
    assert default["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert default["LOCATION"] == "/srv/lindos/data/cache"


@pytest.mark.services
def test_cache_url_puts_rendered_pages_in_redis(settings, fresh_redis, client, git_repo):
    import redis

    config = dataclasses.replace(settings.LINDOS, cache_url=fresh_redis.url)
    with override_settings(CACHES=cache_settings(config)):
        caches["default"].clear()
        assert client.get(git_repo.url("files/tip/src/app.py")).status_code == 200
        keys = redis.Redis.from_url(fresh_redis.url).keys("lindos:*")
        assert any(b"lindos:hl:" in key for key in keys), keys
        assert any(b"lindos:last:" in key for key in keys), keys
    caches["default"].close()

"""Process limits for a server holding many connections."""

import resource
import subprocess
import sys

from lindos.webserver.limits import limit_malloc_arenas, raise_open_files_limit


def test_the_soft_open_files_limit_is_raised_to_the_hard_one():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))
        assert raise_open_files_limit() == hard
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (hard, hard)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_malloc_arenas_are_limited_unless_the_operator_chose():
    code = "from lindos.webserver.limits import limit_malloc_arenas as f; print(f())"
    env_free = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    ).stdout.strip()
    chosen = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "MALLOC_ARENA_MAX": "4"},
    ).stdout.strip()
    assert (env_free, chosen) == ("True", "False")
    assert isinstance(limit_malloc_arenas(), bool)

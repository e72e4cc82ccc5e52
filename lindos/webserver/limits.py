"""Process limits a server holding thousands of connections needs."""

from __future__ import annotations

import logging
import resource

log = logging.getLogger(__name__)


def raise_open_files_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit and
    return the new soft limit.

    Every connection is a file descriptor; distributions often start
    services with a soft limit of 1,024 and a hard limit far above it, and
    an unprivileged process may raise its own soft limit up to the hard one.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError) as exc:  # some containers refuse; keep what we have
        log.warning("could not raise the open files limit from %d to %d: %s", soft, wanted, exc)
        return soft
    return wanted


#: glibc's mallopt() parameter for the number of malloc arenas.
_M_ARENA_MAX = -8


def limit_malloc_arenas(count: int = 2) -> bool:
    """Let glibc's malloc use at most ``count`` arenas in this process (and
    the processes it forks); True when it took effect.

    glibc gives each thread that allocates concurrently an arena of its own
    (up to eight per core), and memory freed in one arena is not reused by
    another: eight request threads streaming clones in 64 KiB chunks grew a
    server from 50 MB to 160 MB, which stayed resident after the clones.
    With two arenas the same ten parallel clones peaked at 130-145 MB and
    fell back to about 100 MB (measured in bench/memory.py's set-up).  The
    environment variable ``MALLOC_ARENA_MAX`` set by an operator wins.
    """
    import ctypes
    import ctypes.util
    import os

    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        return ctypes.CDLL(name).mallopt(_M_ARENA_MAX, count) == 1
    except (OSError, AttributeError):  # not glibc
        return False

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

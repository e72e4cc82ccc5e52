"""Several server processes sharing one listening socket.

The parent binds the port, loads Django, then forks ``count`` children
that each run a complete server on the inherited socket (the kernel hands
each new connection to one of the processes waiting in ``accept``).  Python
runs one thread's code at a time per process, so this is what lets one
machine's cores all render pages.  The parent only supervises: a child that
dies is started again under the same index (index 0 is the one running the
background worker), SIGTERM or SIGINT stop them all.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable

log = logging.getLogger("lindos.serve")

#: Seconds the children get to finish after SIGTERM before SIGKILL.
STOP_GRACE = 15
#: A child that dies sooner than this after its start counts as a crash;
#: this many crashes in a row stop the server rather than loop for ever.
QUICK_DEATH_SECONDS = 5
MAX_QUICK_DEATHS = 5


def usable_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the
    host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}
#: Linux prctl() option: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel send SIGTERM to this child if the supervisor dies
    (even by SIGKILL), so no server process is left behind."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl(
            _PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0
        )
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:  # it died before prctl took effect
        raise SystemExit(0)


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop(signum)


def stop_on_sigterm(signum, frame):
    """SIGTERM handler of a serving process: waitress's loop ends on
    SystemExit, then finishes the requests under way."""
    raise SystemExit(0)


class Supervisor:
    """Fork ``count`` children running ``run_child(index)``; restart any
    that dies; stop them all on SIGTERM/SIGINT.  ``run`` returns the exit
    status for the parent."""

    def __init__(self, count: int, run_child: Callable[[int], None]):
        self.count = count
        self.run_child = run_child
        self.children: dict[int, tuple[int, float]] = {}  # pid -> (index, started)

    def _spawn(self, index: int) -> None:
        # A stop signal between fork() and recording the child would leave
        # a child nobody stops: hold them until the child is recorded.
        parent = os.getpid()
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid != 0:
                self.children[pid] = (index, time.monotonic())
                return
        finally:
            if os.getpid() == parent:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        if pid == 0:  # the child
            status = 0
            try:
                signal.signal(signal.SIGTERM, stop_on_sigterm)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                _die_with_parent(parent)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
                self.run_child(index)
            except (SystemExit, KeyboardInterrupt):
                pass
            except BaseException:
                log.exception("server process %d failed", index)
                status = 1
            finally:
                logging.shutdown()
                os._exit(status)

    def run(self) -> int:
        previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        quick_deaths = 0
        status = 0
        try:
            for index in range(self.count):
                self._spawn(index)
            while True:
                pid, wait_status = os.waitpid(-1, 0)
                if pid not in self.children:
                    continue
                index, started = self.children.pop(pid)
                code = os.waitstatus_to_exitcode(wait_status)
                quick = time.monotonic() - started < QUICK_DEATH_SECONDS
                quick_deaths = quick_deaths + 1 if quick else 0
                log.warning(
                    "server process %d (pid %d) ended with status %s; %s",
                    index,
                    pid,
                    code,
                    "stopping" if quick_deaths >= MAX_QUICK_DEATHS else "starting it again",
                )
                if quick_deaths >= MAX_QUICK_DEATHS:
                    status = 1
                    break
                if quick:
                    time.sleep(1)
                self._spawn(index)
        except _Stop:
            pass
        finally:
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)
            self._stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status

    def _stop_children(self) -> None:
        for pid in self.children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_GRACE
        while self.children and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.05)
            else:
                self.children.pop(pid, None)
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.children.pop(pid)

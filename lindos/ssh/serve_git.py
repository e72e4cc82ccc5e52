"""git over SSH: git's own programs on the client's stdin and stdout.

* ``git-upload-pack`` (clone, fetch) replaces this process (``exec``): after
  the access check nothing of Lindos stays between git and the client, so
  a clone costs what it costs with git alone, plus start-up.
* ``git-receive-pack`` (push) runs as a child writing straight to our
  stdout; its stdin passes through ``CommandSniffer`` (the HTTP
  transport's) so the ref updates can be recorded once it exits, with
  ``record_git_push``, exactly as a push over HTTP is.

Both run in git's isolated environment (``git_env``) with the client's
``GIT_PROTOCOL`` (protocol v2; sshd passes it with ``AcceptEnv
GIT_PROTOCOL``), filtered as the HTTP header is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from lindos.ssh.access import Grant
from lindos.transport.git_service import protocol_env
from lindos.transport.pktline import CommandSniffer
from lindos.vcs.process import GIT_BINARY

CHUNK_SIZE = 64 * 1024


def exec_upload_pack(grant: Grant):
    """Become ``git upload-pack`` for the granted repository (never returns)."""
    from django.db import connections

    connections.close_all()
    env = protocol_env(os.environ.get("GIT_PROTOCOL"))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(GIT_BINARY, [GIT_BINARY, "upload-pack", "--strict", "--", grant.path], env)


def _stdin_chunks():
    while chunk := os.read(0, CHUNK_SIZE):
        yield chunk


def _feed(chunks, pipe) -> None:
    try:
        for chunk in chunks:
            pipe.write(chunk)
            pipe.flush()
    except (BrokenPipeError, ConnectionResetError, ValueError):
        pass  # receive-pack finished without needing the rest
    finally:
        try:
            pipe.close()
        except OSError:
            pass


def serve_receive_pack(grant: Grant) -> int:
    """Run ``git receive-pack``, then record what it moved; its exit status."""
    from lindos.transport.git_http import record_git_push

    env = protocol_env(os.environ.get("GIT_PROTOCOL"))
    sys.stdout.flush()
    proc = subprocess.Popen(
        [GIT_BINARY, "receive-pack", "--", grant.path], stdin=subprocess.PIPE, env=env
    )  # stdout and stderr: ours, i.e. the client's
    sniffer = CommandSniffer(_stdin_chunks())
    # A daemon thread: once receive-pack has answered, the client may keep
    # its end open; nothing more is read then.
    threading.Thread(target=_feed, args=(sniffer, proc.stdin), daemon=True, name="git-stdin").start()
    returncode = proc.wait()
    record_git_push(grant.repo, grant.user, grant.path, sniffer.commands)
    return returncode

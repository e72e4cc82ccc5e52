"""Running ``git`` as a subprocess, isolated from the host and the caller.

Some work is faster or simpler in ``git`` itself than through pygit2 (blame,
archive, path-limited history, diffs). Those commands run with:

* no system or global config (``GIT_CONFIG_NOSYSTEM``, ``GIT_CONFIG_GLOBAL``
  pointing at ``/dev/null``), so an admin's ``~/.gitconfig`` cannot change
  the output we parse;
* every inherited ``GIT_*`` variable dropped: inside a hook, ``GIT_DIR`` or
  ``GIT_INDEX_FILE`` would otherwise point the command at another
  repository;
* ``LC_ALL=C`` so messages and quoting do not depend on the locale;
* literal pathspecs (``GIT_LITERAL_PATHSPECS``), so a file named ``*.c``
  or ``:(glob)x`` means that one file, not a pattern;
* no terminal prompts and no pager.

Output is bytes, always; callers decode at their boundary.
"""

from __future__ import annotations

import bz2
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator

from .errors import VCSError

GIT_BINARY = os.environ.get("LINDOS_GIT", "git")

#: Read size when streaming a subprocess's stdout.
CHUNK_SIZE = 64 * 1024


def git_env() -> dict[str, str]:
    """The environment every ``git`` subprocess runs with (see module doc)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "GIT_LITERAL_PATHSPECS": "1",
            "LC_ALL": "C",
            "LANGUAGE": "C",
        }
    )
    return env


def git_command(git_dir: str, *args: str) -> list[str]:
    """Argument vector for ``git`` acting on the repository at ``git_dir``.

    ``core.quotePath=false`` keeps non-ASCII paths as raw bytes in output
    instead of C-quoted octal escapes.
    """
    return [GIT_BINARY, "--git-dir", git_dir, "-c", "core.quotePath=false", *args]


def run_git(git_dir: str, *args: str, input: bytes | None = None, ok_codes: tuple[int, ...] = (0,)) -> bytes:
    """Run git to completion and return stdout; raise ``VCSError`` on an
    exit status outside ``ok_codes``."""
    proc = subprocess.run(
        git_command(git_dir, *args),
        input=input,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=git_env(),
    )
    if proc.returncode not in ok_codes:
        raise VCSError(
            f"git {args[0]} failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace').strip()}"
        )
    return proc.stdout


def stream_command(
    argv: list[str],
    env: dict[str, str] | None = None,
) -> Iterator[bytes]:
    """Yield a command's stdout in chunks as it is produced.

    If the consumer stops early (a client drops a download) the generator is
    closed and the process is killed, so no ``git`` is left behind writing
    into a full pipe. A non-zero exit raises ``VCSError`` after the last
    chunk.
    """
    # stderr goes to a file, not a pipe: a pipe nobody reads while we
    # stream stdout could fill up and stall the process.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, env=env)
        try:
            while chunk := proc.stdout.read(CHUNK_SIZE):
                yield chunk
            if proc.wait() != 0:
                errors.seek(0)
                message = errors.read(4096).decode("utf-8", "replace")
                raise VCSError(f"{os.path.basename(argv[0])} failed: {message.strip()}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()


def stream_git(git_dir: str, *args: str) -> Iterator[bytes]:
    """``stream_command`` for a git command in the isolated environment."""
    return stream_command(git_command(git_dir, *args), env=git_env())


def bzip2_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Compress a stream with bzip2 incrementally, never holding it whole."""
    compressor = bz2.BZ2Compressor(9)
    for chunk in chunks:
        out = compressor.compress(chunk)
        if out:
            yield out
    yield compressor.flush()


def file_chunks(fileobj, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield a binary file's content in chunks, from its current position."""
    while chunk := fileobj.read(chunk_size):
        yield chunk

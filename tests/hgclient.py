"""The real ``hg`` client, as a test's user runs it."""

import os
import subprocess

from lindos.vcs.testing import hg_binary


def hg_client(home, user: str = "Tess Ter <tess@example.com>"):
    """A function running ``hg ARGS`` with an isolated HOME, no user or
    system configuration, no prompts, and ``user`` as committer. It returns
    the CompletedProcess; a failure raises AssertionError with hg's stderr
    unless ``check=False``. ``text=False`` keeps output as bytes."""
    os.makedirs(home, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HG")}
    env.update(
        {
            "HOME": str(home),
            "HGRCPATH": "",
            "HGPLAIN": "1",
            "HGUSER": user,
            "HGENCODING": "utf-8",
            "LC_ALL": "C",
        }
    )

    def run(*args, cwd=None, check=True, text=True, extra_env=None):
        proc = subprocess.run(
            [hg_binary(), "--config", "ui.interactive=false", *args],
            cwd=cwd,
            env={**env, **(extra_env or {})},
            capture_output=True,
            encoding="utf-8" if text else None,
            errors="surrogateescape" if text else None,
            timeout=180,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"hg {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
        return proc

    run.home = home
    return run

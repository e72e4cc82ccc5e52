"""The real ``git`` client, as a test's user runs it."""

import os
import subprocess


def git_client(home, name: str, email: str):
    """A function running ``git ARGS`` with an isolated HOME, no prompts, no
    system config, and `name <email>` as author and committer.  It returns
    the CompletedProcess; a failure raises AssertionError with git's stderr
    unless ``check=False``."""
    os.makedirs(home, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "HOME": str(home),
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "LC_ALL": "C",
        }
    )

    def run(*args, cwd=None, check=True, extra_env=None):
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env={**env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        return proc

    run.home = home
    return run

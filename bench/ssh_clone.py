"""Clone over SSH through Lindos, against git alone over the same sshd.

    python bench/ssh_clone.py [--commits 2000] [--runs 7] [--source BARE_REPO]

Builds the benchmark repository with ``bench/make_repo.py`` (or copies
``--source``), makes a throw-away Lindos (``config-create`` with
``ssh_enabled = true``, ``db-upgrade``, a user, ``repo-scan``) and starts a
real ``sshd`` on a loopback port (``tests/sshd.py``) reading the
authorized_keys file Lindos writes. Two keys:

* the user's key, added through Lindos: its line forces
  ``lindos ssh-serve``, which checks key, user and permission and then
  becomes ``git upload-pack``;
* a second key on a line written by hand (Lindos keeps lines it did not
  write) forcing ``git-upload-pack`` on the same folder: git alone.

Measured, alternating the two so load changes hit both alike:

* ``git clone --bare`` over SSH (the target: Lindos within 1.1x of git);
* ``git ls-remote`` over SSH (mostly connection and start-up);
* ``lindos ssh-serve`` without sshd, against ``git upload-pack`` answering
  the same request (a flush packet after the ref advertisement: "nothing
  wanted"): the
  start-up overhead Lindos adds to every connection.

Exits 1 if the clone misses the target. Everything lives in a temporary
folder, removed at the end (sshd is stopped).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from tests.sshd import Sshd, keygen  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LINDOS_", "SSH_"))}
ENV.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
LINDOS = os.path.join(os.path.dirname(sys.executable), "lindos")
TARGET = 1.1


def lindos(*args: str) -> None:
    subprocess.run([LINDOS, *args], env=ENV, check=True, stdout=subprocess.DEVNULL)


def setup(home: str, commits: int, source: str | None) -> tuple[str, str]:
    """The INI path and the repository folder."""
    config = os.path.join(home, "lindos.ini")
    keys = os.path.join(home, "ssh", "authorized_keys")
    subprocess.run(
        [
            LINDOS,
            "config-create",
            config,
            "ssh_enabled=true",
            f"ssh_authorized_keys={keys}",
            f"kallithea_cli_path={LINDOS}",
        ],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    repo = os.path.join(home, "repos", "bench")
    os.makedirs(os.path.dirname(repo), exist_ok=True)
    if source:
        shutil.copytree(source, repo)
    else:
        subprocess.run(
            [sys.executable, os.path.join(HERE, "make_repo.py"), repo, "--commits", str(commits)],
            env=ENV,
            check=True,
        )
    subprocess.run(["git", "--git-dir", repo, "repack", "-adq"], env=ENV, check=True)
    lindos("db-upgrade", "-c", config)
    lindos(
        "create-user",
        "-c",
        config,
        "--username",
        "bench",
        "--email",
        "bench@example.com",
        "--password",
        "bench-Password-1",
    )
    lindos("repo-scan", "-c", config, "--owner", "bench", "--private")
    return config, repo


def add_keys(home: str, config: str, repo: str) -> tuple[str, str, str]:
    """(Lindos key, git-alone key, authorized_keys path)."""
    lindos_key, git_key = os.path.join(home, "lindos_key"), os.path.join(home, "git_key")
    public = keygen(lindos_key)
    git_public = keygen(git_key)
    os.environ["LINDOS_CONFIG"] = config
    os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.settings"
    import django

    django.setup()
    from django.conf import settings

    from lindos.accounts.models import User
    from lindos.ssh.actions import do_add_ssh_key, sync_authorized_keys

    path = settings.LINDOS.ssh_authorized_keys
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w") as fh:  # the hand-written line Lindos keeps
        fh.write(f"command=\"git-upload-pack '{repo}'\",no-pty {git_public}\n")
    do_add_ssh_key(User.objects.get(username="bench"), public, "bench")
    problem = sync_authorized_keys()
    if problem:
        sys.exit(problem)
    return lindos_key, git_key, path


def timed(argv: list[str], env: dict, **kw) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, **kw)
    return (time.perf_counter() - started) * 1000


def compare(runs: int, lindos_run, git_run) -> tuple[float, float]:
    """Median ms of each, alternating (after one warm-up of each)."""
    lindos_run(), git_run()
    a, b = [], []
    for _ in range(runs):
        a.append(lindos_run())
        b.append(git_run())
    return statistics.median(a), statistics.median(b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--source", help="an existing bare benchmark repository to copy")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="lindos-ssh-bench-")
    try:
        config, repo = setup(home, args.commits, args.source)
        lindos_key, git_key, authorized_keys = add_keys(home, config, repo)
        with Sshd(os.path.join(home, "sshd"), authorized_keys) as sshd:

            def via(key, *git_args):
                env = dict(ENV, GIT_SSH_COMMAND=sshd.ssh_command(key))
                target = os.path.join(home, "clone")

                def run():
                    shutil.rmtree(target, ignore_errors=True)
                    return timed(
                        ["git", *git_args, sshd.url("bench"), *([target] if git_args[0] == "clone" else [])],
                        env,
                    )

                return run

            clone = compare(
                args.runs, via(lindos_key, "clone", "-q", "--bare"), via(git_key, "clone", "-q", "--bare")
            )
            ls_remote = compare(args.runs * 3, via(lindos_key, "ls-remote"), via(git_key, "ls-remote"))

        serve_env = dict(
            ENV, SSH_ORIGINAL_COMMAND="git-upload-pack '/bench'", SSH_CONNECTION="127.0.0.1 1 127.0.0.1 22"
        )
        from lindos.ssh.models import SshKey

        key = SshKey.objects.get()
        start_up = compare(
            args.runs * 3,
            lambda: timed(
                [LINDOS, "ssh-serve", "-c", config, str(key.user_id), str(key.pk)], serve_env, input=b"0000"
            ),
            lambda: timed(["git", "upload-pack", repo], ENV, input=b"0000"),
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)

    ratio = clone[0] / clone[1]
    print("| measure | through Lindos ms | git alone ms | ratio |")
    print("|---|---:|---:|---:|")
    for name, (a, b) in (
        ("git clone --bare over SSH", clone),
        ("git ls-remote over SSH", ls_remote),
        ("ssh-serve vs git upload-pack, no sshd (start-up)", start_up),
    ):
        print(f"| {name} | {a:.0f} | {b:.0f} | {a / b:.2f} |")
    print(f"\nssh-serve start-up overhead: {start_up[0] - start_up[1]:.0f} ms per connection")
    met = ratio <= TARGET
    print(
        f"clone through Lindos / git alone = {ratio:.3f} (target <= {TARGET}): {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

"""``lindos repo-create`` and ``lindos repo-scan`` run as an operator runs them."""

import os
import pty
import sqlite3
import subprocess
import sys

import pytest


def lindos(*args, cwd=None, stdout=subprocess.PIPE):
    env = {k: v for k, v in os.environ.items() if k not in ("LINDOS_CONFIG", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "-m", "lindos", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
    )


def lindos_on_a_terminal(*args, timeout: float = 120) -> tuple[int, str]:
    """Run ``lindos ARGS`` with its standard output on a pseudo-terminal (so
    it draws progress bars); ``(exit status, everything it printed)``."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lindos", *args],
        stdout=slave,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "LINDOS_CONFIG"},
    )
    os.close(slave)
    output = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        output += data
    proc.wait(timeout=timeout)
    os.close(master)
    return proc.returncode, output.decode()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A fresh configuration, migrated, with an admin and a user; repositories in ./repos."""
    home = tmp_path_factory.mktemp("site")
    config = home / "lindos.ini"
    assert lindos("config-create", str(config)).returncode == 0
    for args in (
        ["db-upgrade"],
        [
            "create-user",
            "--username",
            "root",
            "--email",
            "root@example.com",
            "--password",
            "root-pw1",
            "--admin",
        ],
        ["create-user", "--username", "carol", "--email", "carol@example.com", "--password", "carol-pw1"],
    ):
        result = lindos(*args, "-c", str(config))
        assert result.returncode == 0, result.stderr
    return config


def rows(config):
    db = sqlite3.connect(config.parent / "data" / "lindos.db")
    return {
        row[0]: row[1:]
        for row in db.execute(
            "select r.name, r.kind, u.username, r.private, r.description, r.default_permission "
            "from repos_repository r join accounts_user u on u.id = r.owner_id"
        )
    }


def test_repo_create_git_and_hg(site):
    result = lindos(
        "repo-create",
        "-c",
        str(site),
        "team/web",
        "--type",
        "git",
        "--owner",
        "carol",
        "--private",
        "--description",
        "The web site",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Created private git repository team/web owned by carol")
    assert rows(site)["team/web"] == ("git", "carol", 1, "The web site", "none")
    assert (site.parent / "repos" / "team" / "web" / "HEAD").is_file()
    result = lindos("repo-create", "-c", str(site), "hgrepo", "--type", "hg", "--owner", "carol")
    assert result.returncode == 0, result.stderr
    assert rows(site)["hgrepo"][:2] == ("hg", "carol")
    assert (site.parent / "repos" / "hgrepo" / ".hg").is_dir()


@pytest.mark.parametrize(
    "args, message",
    [
        (["bad/../name", "--owner", "carol"], "cannot create 'bad/../name': '..' is not allowed"),
        (["_admin", "--owner", "carol"], "may not start with '_'"),
        (["x/files", "--owner", "carol"], "is a word Lindos uses in its URLs"),
        (["fine", "--owner", "nobody"], "there is no active user 'nobody'"),
    ],
)
def test_repo_create_refuses(site, args, message):
    result = lindos("repo-create", "-c", str(site), *args)
    assert result.returncode == 1
    assert result.stderr.startswith("lindos: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_repo_create_refuses_existing(site):
    assert lindos("repo-create", "-c", str(site), "twice", "--owner", "carol").returncode == 0
    result = lindos("repo-create", "-c", str(site), "twice", "--owner", "carol")
    assert result.returncode == 1 and "already exists" in result.stderr


def make_disk_repos(root, outside):
    subprocess.run(["git", "init", "-q", "--bare", str(root / "found" / "a.git")], check=True)
    subprocess.run(["git", "init", "-q", "--bare", str(root / "found" / "deep" / "b")], check=True)
    subprocess.run(["git", "init", "-q", str(root / "found" / "worktree")], check=True)
    from lindos.vcs import init_repository

    init_repository(str(root / "found" / "hgone"), "hg")
    subprocess.run(["git", "init", "-q", "--bare", str(root / "found" / "bad name")], check=True)
    subprocess.run(["git", "init", "-q", "--bare", str(outside / "elsewhere")], check=True)
    (root / "found" / "link").symlink_to(outside / "elsewhere")
    (root / "found" / "empty-group").mkdir()
    from lindos.vcs.testing import make_git_repo

    make_git_repo(root / "found" / "hist.git", [{"message": "one"}, {"message": "two"}])


def test_repo_scan_plain_output(site, tmp_path):
    root = site.parent / "repos"
    make_disk_repos(root, tmp_path)
    result = lindos("repo-scan", "-c", str(site))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "added found/a.git (git)" in lines
    assert "added found/deep/b (git)" in lines
    assert "added found/hgone (hg)" in lines
    assert "added found/worktree (git)" in lines
    assert any(line.startswith("skipped found/bad name: ") for line in lines)
    assert "skipped found/link: a symlink pointing outside the repository root" in lines
    assert "\r" not in result.stdout  # no progress bar when not on a terminal
    found = rows(site)
    assert found["found/a.git"] == ("git", "root", 0, "", "read")
    assert found["found/hgone"][:2] == ("hg", "root")
    assert "found/link" not in found and "found/empty-group" not in found
    # git repositories with history get their commit-graph, as after a push
    info = root / "found" / "hist.git" / "objects" / "info"
    assert (info / "commit-graph").exists() or (info / "commit-graphs").is_dir()
    # a second scan adds nothing
    again = lindos("repo-scan", "-c", str(site))
    assert not [line for line in again.stdout.splitlines() if line.startswith("added ")]
    assert " 0 added" in again.stdout


def test_repo_scan_progress_bar_on_a_terminal(site):
    subprocess.run(["git", "init", "-q", "--bare", str(site.parent / "repos" / "ttyscan")], check=True)
    returncode, text = lindos_on_a_terminal("repo-scan", "-c", str(site), timeout=60)
    assert returncode == 0
    assert "\r[" in text and "#" in text and "ttyscan" in text
    assert "ttyscan" in rows(site)

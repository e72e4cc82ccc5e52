"""How long ``lindos import-kallithea`` takes on a big Kallithea database.

    python bench/kallithea_import.py [--users 10000] [--repos 2000] [--comments 50000] [--keep DIR]

It starts from the SQLite database Kallithea 0.7.0 made for the tests
(``tests/kallithea_import/fixtures/sqlite``: its schema, permissions and
settings), adds users (one real bcrypt hash shared by all: hashing is not
what is measured), repositories (each a folder with a ``HEAD`` file, which
is what the importer looks for), per-user permissions, pull requests with
reviewers, comments (general and inline, a tenth on pull requests), review
statuses and journal entries, then runs the command as an operator would on
a new Lindos site (``lindos config-create``, SQLite) and prints the time.
Target: under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "tests", "kallithea_import", "fixtures", "sqlite", "kallithea.sqlite")
# bcrypt of "bench-pw" at cost 10, as Kallithea stores it.
HASH = "$2b$10$bjiHM9FGUC5qftpCR0mij.SLqo5ef5jFoPd9DMvBdBTGCMDH6W3W."
NOW = "2021-03-04 05:06:07.000000"


def build_kallithea(db_path: str, base: str, users: int, repos: int, comments: int) -> dict:
    shutil.copy(FIXTURE, db_path)
    db = sqlite3.connect(db_path)
    for table in (
        "changeset_statuses",
        "changeset_comments",
        "pull_request_reviewers",
        "pull_requests",
        "user_logs",
        "user_followings",
        "repo_to_perm",
        "users_group_repo_to_perm",
        "repositories",
    ):
        db.execute(f"DELETE FROM {table}")
    db.execute("UPDATE ui SET ui_value = ? WHERE ui_section = 'paths' AND ui_key = '/'", (base,))
    first = db.execute("SELECT max(user_id) FROM users").fetchone()[0] + 1
    db.executemany(
        "INSERT INTO users (user_id, username, password, active, admin, firstname, lastname, email, "
        "api_key, created_on, extern_type, extern_name) VALUES (?,?,?,1,0,?,?,?,?,?,'internal','internal')",
        [
            (first + i, f"user{i}", HASH, f"First{i}", f"Last{i}", f"user{i}@example.com", f"{i:040x}", NOW)
            for i in range(users)
        ],
    )
    user_ids = list(range(first, first + users))
    rng = random.Random(1)
    perm = {name: pid for pid, name in db.execute("SELECT permission_id, permission_name FROM permissions")}
    repo_rows, perm_rows = [], []
    for r in range(repos):
        name = f"group{r % 50}/repo{r}"
        kind = "git" if r % 3 else "hg"
        repo_rows.append(
            (
                r + 1,
                name,
                "repo_state_created",
                kind,
                rng.choice(user_ids),
                r % 7 == 0,
                "a repository",
                NOW,
                NOW,
                "rev:tip",
            )
        )
        path = os.path.join(base, name)
        if kind == "git":
            os.makedirs(path)
            with open(os.path.join(path, "HEAD"), "w") as fh:
                fh.write("ref: refs/heads/master\n")
        else:
            os.makedirs(os.path.join(path, ".hg"))
        for u in rng.sample(user_ids, 3):
            perm_rows.append((u, perm["repository.write"], r + 1))
    db.executemany(
        "INSERT INTO repositories (repo_id, repo_name, repo_state, repo_type, user_id, private, statistics, "
        "downloads, description, created_on, updated_on, landing_revision) VALUES (?,?,?,?,?,?,1,1,?,?,?,?)",
        repo_rows,
    )
    db.executemany(
        "INSERT INTO repo_to_perm (user_id, permission_id, repository_id) VALUES (?,?,?)", perm_rows
    )
    prs = comments // 50
    rev = "ab" * 20
    db.executemany(
        "INSERT INTO pull_requests (pull_request_id, title, description, status, created_on, updated_on, user_id, "
        "revisions, org_repo_id, org_ref, other_repo_id, other_ref) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                p + 1,
                f"Pull request {p}",
                "Please merge.",
                "new" if p % 4 else "closed",
                NOW,
                NOW,
                rng.choice(user_ids),
                rev,
                p % repos + 1,
                f"branch:feature{p}:{rev}",
                p % repos + 1,
                f"branch:master:{rev}",
            )
            for p in range(prs)
        ],
    )
    db.executemany(
        "INSERT INTO pull_request_reviewers (pull_request_id, user_id) VALUES (?,?)",
        [(p + 1, u) for p in range(prs) for u in rng.sample(user_ids, 2)],
    )
    comment_rows, status_rows = [], []
    for c in range(comments):
        on_pr = c % 10 == 0
        pr = c // 10 % prs + 1 if on_pr else None
        repo = (pr - 1) % repos + 1 if on_pr else c % repos + 1
        inline = c % 3 == 0
        comment_rows.append(
            (
                c + 1,
                repo,
                None if on_pr else rev,
                pr,
                f"n{c % 200 + 1}" if inline else None,
                "src/file.py" if inline else None,
                rng.choice(user_ids),
                f"Comment number {c}: looks **fine**.",
                NOW,
                NOW,
            )
        )
        if c % 5 == 0 and not inline:
            # Kallithea allows one current status per repository and revision.
            status_rows.append((repo, comment_rows[-1][6], f"{c:040x}", "approved", c + 1, NOW, 0, pr))
    db.executemany(
        "INSERT INTO changeset_comments (comment_id, repo_id, revision, pull_request_id, line_no, f_path, user_id, "
        "text, created_on, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        comment_rows,
    )
    db.executemany(
        "INSERT INTO changeset_statuses (repo_id, user_id, revision, status, changeset_comment_id, modified_at, "
        "version, pull_request_id) VALUES (?,?,?,?,?,?,?,?)",
        status_rows,
    )
    db.executemany(
        "INSERT INTO user_logs (user_id, username, repository_id, repository_name, user_ip, action, action_date) "
        "VALUES (?,?,?,?,?,?,?)",
        [
            (rng.choice(user_ids), "x", r % repos + 1, "x", "127.0.0.1", f"push:{rev}", NOW)
            for r in range(repos * 5)
        ],
    )
    db.commit()
    db.close()
    return {"statuses": len(status_rows), "pull requests": prs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10000)
    parser.add_argument("--repos", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=50000)
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="lindos-bench-import-")
    os.makedirs(work, exist_ok=True)
    try:
        lindos = [sys.executable, "-m", "lindos"]
        env = {k: v for k, v in os.environ.items() if k not in ("LINDOS_CONFIG", "DJANGO_SETTINGS_MODULE")}
        ini = os.path.join(work, "lindos.ini")
        subprocess.run([*lindos, "config-create", ini], check=True, capture_output=True, env=env)
        base = os.path.join(work, "repos")
        os.makedirs(base, exist_ok=True)
        started = time.monotonic()
        extra = build_kallithea(
            os.path.join(work, "kallithea.db"), base, args.users, args.repos, args.comments
        )
        with open(os.path.join(work, "kallithea.ini"), "w") as fh:
            fh.write(f"[app:main]\nsqlalchemy.url = sqlite:///{work}/kallithea.db\n")
        print(f"built the Kallithea database in {time.monotonic() - started:.1f} s")
        subprocess.run([*lindos, "db-upgrade", "-c", ini], check=True, capture_output=True, env=env)
        started = time.monotonic()
        result = subprocess.run(
            [*lindos, "import-kallithea", "-c", ini, "--from", os.path.join(work, "kallithea.ini")],
            capture_output=True,
            text=True,
            env=env,
        )
        elapsed = time.monotonic() - started
        if result.returncode != 0:
            print(result.stderr)
            sys.exit(1)
        print("\n".join(result.stdout.splitlines()[:14]))
        print(
            f"\nimported {args.users} users, {args.repos} repositories, {extra['pull requests']} pull requests, "
            f"{args.comments} comments, {extra['statuses']} statuses in {elapsed:.1f} s "
            f"(target: under 120 s) on {os.cpu_count()} cores"
        )
        sys.exit(0 if elapsed < 120 else 1)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

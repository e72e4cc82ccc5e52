"""Full-text search speed: a search over many repositories' tips, and the
background work of indexing a 200-commit push; on SQLite and PostgreSQL.

    python bench/search.py [--repos 2000] [--megabytes 1000] [--db sqlite,postgresql] [--runs 15]

For each database it makes a throw-away Lindos (``tests.background.harness``:
own INI, ``lindos db-upgrade``; PostgreSQL is a private server from
``tests.services``), then in a child process set up on that instance:

1. fills the search tables with a synthetic corpus, fast and
   deterministically: ``--repos`` repositories (one in ten private), 50
   files each of generated code-like text adding up to ``--megabytes``,
   plus paths and 50 commits per repository; a few rare markers are planted
   in public and private files.  The rows go in through the ORM; the
   database's full-text indexes (made by the migrations) index them as in
   production.
2. times ``run_search`` (the whole page: the capped query with the
   permission filter inside it, ordering, snippets of the page's ten
   results) for several searches and users: the first run and the median
   of ``--runs``; target 200 ms.
3. builds a real git repository (2,000 files), indexes it, then gives it a
   200-commit push (400 files changed) and times the indexing of that push
   (``do_index_repository``, what the background worker runs); target 5 s.

Prints one table per database; the folder and servers are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FILES_PER_REPO = 50
COMMITS_PER_REPO = 50
SYLLABLES = "ka lo mi ne ru sa ti vo be da fu gi ho ju ke ly mo ny pe qu ra se to ul ve wa xi yo ze".split()


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def line_pool(rng: random.Random, words: list[str], size: int = 50000) -> list[str]:
    shapes = [
        "def {a}_{b}({c}, {d}):",
        "    return {a}.{b}({c}) + {n}",
        "    {a} = {b}_{c}[{n}]",
        "    if {a} is not None and {b} > {n}:",
        "class {A}{B}({C}):",
        "    # {a} {b} {c} {d} {e}",
        "import {a}.{b}",
        "    for {a} in {b}.{c}():",
        '        log.info("{a} {b} %s", {c})',
        "",
    ]
    lines = []
    for _ in range(size):
        w = rng.sample(words, 5)
        lines.append(
            rng.choice(shapes).format(
                a=w[0],
                b=w[1],
                c=w[2],
                d=w[3],
                e=w[4],
                A=w[0].title(),
                B=w[1].title(),
                C=w[2].title(),
                n=rng.randint(0, 999),
            )
        )
    return lines


def fill_corpus(repos: int, megabytes: float) -> dict:
    """Phase 1, inside the instance's process."""
    from django.db import connection, transaction

    from lindos.accounts.registration import do_create_user
    from lindos.repos.actions import do_set_permission
    from lindos.repos.models import Repository
    from lindos.search.models import SearchBlob, SearchCommit, SearchFile, SearchPath, SearchState

    rng = random.Random(7)
    words = vocabulary(rng)
    pool = line_pool(rng, words)
    owner = do_create_user(username="owner", email="owner@example.com", password="secret-pw", is_admin=True)
    member = do_create_user(username="member", email="member@example.com", password="secret-pw")
    file_bytes = int(megabytes * 1024 * 1024 / (repos * FILES_PER_REPO))
    started = time.monotonic()
    total = 0
    planted = {"public": [], "private": []}
    for r in range(repos):
        private = r % 10 == 3
        with transaction.atomic():
            repo = Repository.objects.create(
                name=f"group{r % 40}/repo{r:04d}",
                kind="git",
                owner=owner,
                private=private,
                default_permission="none" if private else "read",
            )
            if private and r % 100 == 3:  # the member reads 20 of the 200 private repositories
                do_set_permission(repo, member, "read")
            paths = SearchPath.objects.bulk_create(
                [
                    SearchPath(repository=repo, path=f"src/{words[(r * 7 + f) % len(words)]}/module{f}.py")
                    for f in range(FILES_PER_REPO)
                ]
            )
            blobs = []
            for f in range(FILES_PER_REPO):
                lines, size = [], 0
                while size < file_bytes:
                    line = pool[rng.randrange(len(pool))]
                    lines.append(line)
                    size += len(line) + 1
                if r % 400 == 17 and f == 3:
                    lines.insert(5, "    zqxmarker = 'the rare marker'")
                    planted["private" if private else "public"].append(repo.name)
                if f == 7 and r % 7 == 0:
                    lines.insert(9, "    value = medium_needle_term(42)")
                text = "\n".join(lines) + "\n"
                total += len(text)
                blobs.append(SearchBlob(repository=repo, blob_hex=f"{r:08x}{f:032x}", content=text))
            blobs = SearchBlob.objects.bulk_create(blobs)
            SearchFile.objects.bulk_create(
                [
                    SearchFile(repository=repo, branch="master", path=p, blob=b, blob_hex=b.blob_hex)
                    for p, b in zip(paths, blobs)
                ]
            )
            SearchCommit.objects.bulk_create(
                [
                    SearchCommit(
                        repository=repo,
                        changeset_id=f"{r:08x}{c:032x}",
                        author=f"Dev {words[(r + c) % len(words)]} <dev{c % 30}@example.com>",
                        message=" ".join(rng.sample(words, 8))
                        + (" fixes the frobnicator" if c == 0 and r % 50 == 0 else ""),
                        date="2026-01-01T00:00:00Z",
                    )
                    for c in range(COMMITS_PER_REPO)
                ]
            )
            SearchState.objects.create(repository=repo, branches={"master": f"{r:040x}"})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"bytes": total, "seconds": time.monotonic() - started, "planted": planted, "word": words[100]}


def time_searches(runs: int, corpus: dict) -> list[dict]:
    """Phase 2: each search's first run and median over ``runs``."""
    from django.contrib.auth.models import AnonymousUser

    from lindos.accounts.models import User
    from lindos.repos.models import Repository
    from lindos.search.results import run_search

    admin = User.objects.get(username="owner")
    member = User.objects.get(username="member")
    anonymous = AnonymousUser()
    one_repo = Repository.objects.get(name="group0/repo0000")
    cases = [
        ("content, rare marker", admin, "zqxmarker", "content", None),
        ("content, rare marker", anonymous, "zqxmarker", "content", None),
        ("content, rare marker", member, "zqxmarker", "content", None),
        ("content, ~300 files", admin, "medium_needle_term", "content", None),
        ("content, ~300 files", anonymous, "medium_needle_term", "content", None),
        ("content, two terms", anonymous, "medium_needle_term 42", "content", None),
        ("content, everywhere (capped)", admin, "return", "content", None),
        ("content, everywhere (capped)", anonymous, "return", "content", None),
        ("content, everywhere (capped)", member, "return", "content", None),
        ("content, no match", anonymous, "nothing_matches_this", "content", None),
        ("content, one repository", anonymous, "return", "content", one_repo),
        ("path, rare", anonymous, corpus["word"], "path", None),
        ("path, everywhere (capped)", anonymous, "module1", "path", None),
        ("commit, rare", anonymous, "frobnicator", "commit", None),
        ("commit, common word (capped)", anonymous, "example", "commit", None),
    ]
    rows = []
    for label, user, text, kind, repo in cases:
        times = []
        for _ in range(runs + 1):
            started = time.monotonic()
            outcome = run_search(user, text, kind, repo, 1)
            times.append((time.monotonic() - started) * 1000)
        from lindos.search import backends
        from lindos.search.terms import build_query

        query_times = []
        for _ in range(runs):
            started = time.monotonic()
            backends.matching_ids(build_query(text, kind), user, repo)
            query_times.append((time.monotonic() - started) * 1000)
        who = "admin" if user is admin else "member" if user is member else "anonymous"
        rows.append(
            {
                "search": label + (" (repo page)" if repo else ""),
                "user": who,
                "query": text,
                "found": ("more than " if outcome.capped else "") + str(outcome.count),
                "first_ms": times[0],
                "median_ms": statistics.median(times[1:]),
                "max_ms": max(times[1:]),
                "query_ms": statistics.median(query_times),
            }
        )
    return rows


def time_push_indexing() -> dict:
    """Phase 3: a 200-commit push on a 2,000-file repository."""
    from django.conf import settings

    from lindos.accounts.models import User
    from lindos.repos.models import Repository
    from lindos.search.indexer import do_index_repository
    from lindos.vcs.testing import make_git_repo

    rng = random.Random(11)
    words = vocabulary(rng, 3000)
    pool = line_pool(rng, words, 5000)

    def text(n):
        return "\n".join(rng.choice(pool) for _ in range(n)) + "\n"

    base = [{"files": {f"pkg{i % 40}/file{i}.py": text(120) for i in range(2000)}, "message": "Import"}]
    pushed = [
        {
            "files": {f"pkg{(c * 2 + k) % 40}/file{(c * 2 + k) * 5 % 2000}.py": text(120) for k in range(2)},
            "message": f"Change {c}: " + " ".join(rng.sample(words, 6)),
        }
        for c in range(200)
    ]
    root = settings.LINDOS.base_path
    path = os.path.join(root, "pushed")
    make_git_repo(path, base)
    owner = User.objects.get(username="owner")
    repo = Repository.objects.create(name="pushed", kind="git", owner=owner)
    started = time.monotonic()
    first = do_index_repository(repo.pk)
    initial = time.monotonic() - started
    make_git_repo(path + ".new", base + pushed)
    shutil.rmtree(path)
    os.rename(path + ".new", path)
    started = time.monotonic()
    report = do_index_repository(repo.pk)
    seconds = time.monotonic() - started
    return {
        "initial_seconds": initial,
        "initial_files": first.files_added,
        "seconds": seconds,
        "commits": report.commits,
        "files": report.files_added,
        "contents_read": report.contents_read,
    }


def database_size() -> int:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        name = settings.DATABASES["default"]["NAME"]
        return sum(os.path.getsize(name + s) for s in ("", "-wal") if os.path.exists(name + s))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def child(args) -> None:
    from lindos.cli import setup_django

    setup_django(args.child)
    corpus = fill_corpus(args.repos, args.megabytes)
    result = {"corpus": corpus, "db_bytes": database_size()}
    result["searches"] = time_searches(args.runs, corpus)
    result["push"] = time_push_indexing()
    print("RESULT " + json.dumps(result))


def run_on(kind: str, args, folder: str) -> dict:
    from tests.background.harness import LindosHome
    from tests.services import PostgresServer

    server = None
    if kind == "sqlite":
        url = f"sqlite:///{folder}/{kind}/data/lindos.db?timeout=60"
    else:
        server = PostgresServer()
        server.start()
        url = server.create_database()
    try:
        home = LindosHome(os.path.join(folder, kind), url)
        home.run("db-upgrade")
        cmd = [sys.executable, os.path.abspath(__file__), "--child", home.ini, "--repos", str(args.repos)]
        cmd += ["--megabytes", str(args.megabytes), "--runs", str(args.runs)]
        proc = subprocess.run(cmd, env=home.env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{kind}: child failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
        line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
        return json.loads(line[len("RESULT ") :])
    finally:
        if server is not None:
            server.cleanup()


def report(kind: str, result: dict, target_ms: float = 200.0) -> bool:
    corpus = result["corpus"]
    print(
        f"\n## {kind}: {corpus['bytes'] / 1e6:.0f} MB of text in {result['searches'] and ''}"
        f"corpus built in {corpus['seconds']:.0f} s; database {result['db_bytes'] / 1e6:.0f} MB"
    )
    print(
        "\n| search | user | found | first ms | median ms | max ms | of which query ms | met |\n"
        "|---|---|---:|---:|---:|---:|---:|:-:|"
    )
    ok = True
    for row in result["searches"]:
        met = row["median_ms"] < target_ms
        ok &= met
        print(
            f"| {row['search']} `{row['query']}` | {row['user']} | {row['found']} | {row['first_ms']:.1f} | "
            f"{row['median_ms']:.1f} | {row['max_ms']:.1f} | {row['query_ms']:.1f} | {'yes' if met else 'NO'} |"
        )
    push = result["push"]
    met = push["seconds"] < 5
    ok &= met
    print(
        f"\nPush of {push['commits']} commits changing {push['files']} files "
        f"({push['contents_read']} contents read): indexed in {push['seconds']:.2f} s "
        f"({'met' if met else 'NOT met'}: target 5 s); the repository's first index "
        f"({push['initial_files']} files): {push['initial_seconds']:.2f} s."
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=2000)
    parser.add_argument("--megabytes", type=float, default=1000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it")
    parser.add_argument("--child", metavar="INI", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    folder = args.keep or tempfile.mkdtemp(prefix="lindos-bench-search-")
    ok = True
    try:
        for kind in args.db.split(","):
            started = time.monotonic()
            result = run_on(kind, args, folder)
            ok &= report(kind, result)
            print(f"({kind}: {time.monotonic() - started:.0f} s in all)")
            sys.stdout.flush()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

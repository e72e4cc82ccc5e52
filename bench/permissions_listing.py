"""The repository list page for a user in many user groups over many
repositories in nested repository groups, on a real ``lindos serve``
(SQLite unless ``--db-url``).

Builds: ``--groups`` repository groups (10 top-level groups, each a chain of
nested subgroups), ``--repos`` repositories spread over them (every other one
private), 40 user groups of which the bench user is in ``--user-groups``,
each user group granted read or write on 60 repositories, and 50 grants of
the user's own. Repositories are rows only: the list page reads no folder.

Then logs in over HTTP and requests ``/`` once cold and ``--runs`` times
warm over one keep-alive connection; prints the median and p90 and how many
repositories the page listed. Target: warm median under 60 ms.

Usage: python bench/permissions_listing.py [--repos 2000] [--groups 200]
       [--user-groups 20] [--runs 30]

Figures are in bench/README.md ("Permissions: the repository list").
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.background.harness import Browser, LindosHome  # noqa: E402

POPULATE = """
import random
from django.db import transaction
from lindos.accounts.models import User, UserGroup
from lindos.repos.models import (RepoGroup, Repository, RepositoryPermission,
    RepositoryUserGroupPermission)
random.seed(7)
bench = User.objects.get(username="bench")
owner = User.objects.get(username="owner")
with transaction.atomic():
    names = []
    per_top = {groups} // 10
    for top in range(10):
        path = f"top{{top}}"
        names.append(path)
        for depth in range(1, per_top):
            path = f"{{path}}/g{{depth}}"
            names.append(path)
    RepoGroup.objects.bulk_create([RepoGroup(name=n, owner=owner) for n in names])
    repos = Repository.objects.bulk_create([
        Repository(name=f"{{names[i % len(names)]}}/repo{{i}}", kind="git", owner=owner,
                   private=(i % 2 == 1), default_permission="none" if i % 2 else "read")
        for i in range({repos})
    ])
    groups = [UserGroup.objects.create(name=f"team{{i}}", owner=owner) for i in range(40)]
    for group in groups[:{user_groups}]:
        group.members.add(bench)
    for i, group in enumerate(groups):
        group.members.add(owner)
        chosen = random.sample(repos, 60)
        RepositoryUserGroupPermission.objects.bulk_create([
            RepositoryUserGroupPermission(repository=r, user_group=group, permission=random.choice(["read", "write"]))
            for r in chosen
        ])
    RepositoryPermission.objects.bulk_create([
        RepositoryPermission(repository=r, user=bench, permission="read") for r in random.sample(repos, 50)
    ])
print(RepoGroup.objects.count(), Repository.objects.count(), UserGroup.objects.filter(members=bench).count())
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repos", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--user-groups", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db-url", default="")
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="lindos-bench-perms-")
    home = LindosHome(
        os.path.join(workdir, "home"), options.db_url or f"sqlite:///{workdir}/lindos.db?timeout=60"
    )
    try:
        home.run("db-upgrade")
        for name in ("bench", "owner"):
            home.run(
                "create-user",
                "--username",
                name,
                "--email",
                f"{name}@example.com",
                "--password",
                "bench-pass-1",
            )
        counts = home.python(
            POPULATE.format(repos=options.repos, groups=options.groups, user_groups=options.user_groups)
        )
        print(f"groups, repositories, user groups of the user: {counts.strip()}")
        home.serve()
        browser = Browser(home.base_url)
        browser.post_form("/_admin/login", {"username": "bench", "password": "bench-pass-1"})
        session = next(c for c in browser.jar if c.name == "lindos")  # SESSION_COOKIE_NAME
        connection = http.client.HTTPConnection(home.base_url.split("//")[1], timeout=60)
        headers = {"Cookie": f"lindos={session.value}"}

        def get(path="/") -> tuple[float, str]:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read().decode()
            assert response.status == 200, response.status
            return (time.perf_counter() - started) * 1000, body

        cold, body = get()
        listed = len(re.findall(r"<tr>\s*<td><a href=\"/top[^\"]*/repo", body))
        warm = sorted(get()[0] for _ in range(options.runs))
        median = statistics.median(warm)
        p90 = warm[int(len(warm) * 0.9) - 1]
        print(f"repositories listed: {listed}")
        print(f"first (cold): {cold:.1f} ms; warm median {median:.1f} ms, p90 {p90:.1f} ms (target 60 ms)")
        last = re.search(r"Page 1 of (\d+) \((\d+) repositories\)", body)
        print(f"readable repositories in all: {last.group(2)}, pages: {last.group(1)}")
        get(f"/?page={last.group(1)}")
        warm_last = sorted(get(f"/?page={last.group(1)}")[0] for _ in range(options.runs))
        print(f"last page: warm median {statistics.median(warm_last):.1f} ms")
        get("/_admin/my_account")
        baseline = statistics.median(sorted(get("/_admin/my_account")[0] for _ in range(options.runs)))
        print(f"baseline (the user's account page, no repository query): warm median {baseline:.1f} ms")
        print("met" if median < 60 else "NOT met")
    finally:
        home.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

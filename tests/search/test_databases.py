"""Search on real PostgreSQL (pg_trgm and tsvector indexes) and MariaDB
(the plain scan), run by a Lindos process on a private server
(tests/services.py): the same answers as on SQLite, the same privacy,
and on PostgreSQL the queries are ones its indexes answer."""

import json
import textwrap

import pytest

from tests.background.harness import LindosHome

pytestmark = pytest.mark.services

SCRIPT = textwrap.dedent(
    r"""
    import json, os, shutil
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from lindos.accounts.registration import do_create_user
    from lindos.repos.actions import do_delete_repository, do_set_permission
    from lindos.repos.models import Repository
    from lindos.search.indexer import do_index_repository
    from lindos.search.models import SearchBlob, SearchCommit, SearchFile, SearchPath
    from lindos.search.results import run_search
    from lindos.vcs.testing import make_git_repo, make_hg_repo

    base = settings.LINDOS.base_path
    owner = do_create_user(username="owner", email="o@example.com", password="secret-pw")
    stranger = do_create_user(username="stranger", email="s@example.com", password="secret-pw")
    reader = do_create_user(username="reader", email="r@example.com", password="secret-pw")
    PUBLIC = [{"message": "Public wombat start", "files": {"README": "wombat and 100% sure_thing\n",
              "src/Public_Module.py": "x = 'Wombat'\n"}}]
    MORE = [{"message": "Numbat arrives", "files": {"numbat.txt": "numbat\n"}}]
    SECRET = [{"message": "Secret quokka plans", "author": "Sam Secret <sam@example.com>",
               "files": {"classified_plans.txt": "quokka wombat\n"}}]
    make_git_repo(os.path.join(base, "public"), PUBLIC)
    make_hg_repo(os.path.join(base, "secret"), SECRET)
    public = Repository.objects.create(name="public", kind="git", owner=owner)
    secret = Repository.objects.create(name="secret", kind="hg", owner=owner, private=True,
                                       default_permission="none")
    do_set_permission(secret, reader, "read")
    for row in (public, secret):
        do_index_repository(row.pk)

    # A push: the same history plus a commit (same ids: dates are fixed).
    make_git_repo(os.path.join(base, "public.new"), PUBLIC + MORE)
    shutil.rmtree(public.path)
    os.rename(os.path.join(base, "public.new"), public.path)
    push = do_index_repository(public.pk)

    def found(user, text, kind="content", repository=None):
        outcome = run_search(user, text, kind, repository)
        if outcome.page is None:
            return outcome.summary
        return [outcome.count] + [
            [r.repository, getattr(r, "path", None) or r.changeset_id] for r in outcome.page
        ]

    out = {"push": [push.contents_read, push.files_added, push.commits]}
    anonymous = AnonymousUser()
    for who, user in (("anonymous", anonymous), ("stranger", stranger), ("reader", reader), ("owner", owner)):
        out[who] = {
            "content": found(user, "WOMBAT"),
            "secret-content": found(user, "quokka"),
            "path": found(user, "public_mod", "path"),
            "secret-path": found(user, "classified", "path"),
            "commit": found(user, "quokka plans", "commit"),
            "author": found(user, "Sam", "commit"),
        }
    out["odd"] = {
        q: found(anonymous, q, kind)
        for q in ('foo" OR "bar', "((((", "quokka OR wombat", "%", "_", "'; --", "wombat\x00quokka")
        for kind in ("content",)
    }
    out["odd-commit"] = [found(anonymous, q, "commit") for q in ('"', "a & b | !c", "quokka:*", "<->")]
    out["literal"] = [found(anonymous, "100%"), found(anonymous, "sure_thing"), found(anonymous, "sure%thing")]
    out["pushed"] = [found(anonymous, "numbat"), found(anonymous, "numbat arrives", "commit")]
    out["repo-only"] = found(owner, "wombat", "content", secret)
    out["vendor"] = connection.vendor
    # The other plan: readable repositories filtered outside the match.
    from lindos.search import backends
    backends.FEW_REPOSITORIES = 0
    out["many-plan"] = [found(anonymous, "WOMBAT"), found(reader, "quokka"), found(stranger, "quokka")]
    backends.FEW_REPOSITORIES = 50
    if connection.vendor == "postgresql":
        from lindos.search import backends
        from lindos.search.terms import build_query
        plans = {}
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            for kind, text in (("content", "wombat"), ("path", "public"), ("commit", "quokka")):
                query = build_query(text, kind)
                table, columns = backends._TABLES[kind]
                sql, params = backends._postgresql(query, table, columns)
                cursor.execute("EXPLAIN " + sql, params)
                plans[kind] = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
        out["plans"] = plans
    do_delete_repository(secret)
    out["left"] = sum(m.objects.filter(repository_id=secret.pk).count()
                      for m in (SearchBlob, SearchPath, SearchFile, SearchCommit))
    print(json.dumps(out))
    """
)


@pytest.fixture(params=["postgresql", "mariadb"])
def home(request, tmp_path):
    server = request.getfixturevalue(f"{'postgres' if request.param == 'postgresql' else 'mariadb'}_server")
    home = LindosHome(tmp_path / "home", server.create_database())
    home.run("db-upgrade")
    return home


def test_search_on_a_real_database(home):
    out = json.loads(home.python(SCRIPT, timeout=300).strip().splitlines()[-1])
    public_ids = ["public", "README"], ["public", "src/Public_Module.py"]
    assert out["push"] == [1, 1, 1]
    for who in ("anonymous", "stranger"):
        assert out[who] == {
            "content": [2, *public_ids],
            "secret-content": [0],
            "path": [1, ["public", "src/Public_Module.py"]],
            "secret-path": [0],
            "commit": [0],
            "author": [0],
        }, who
    for who in ("reader", "owner"):
        assert out[who]["content"][0] == 3 and out[who]["secret-content"][:2] == [
            1,
            ["secret", "classified_plans.txt"],
        ]
        assert out[who]["secret-path"][0] == 1 and out[who]["commit"][0] == 1 and out[who]["author"][0] == 1
    assert out["odd"] == {
        'foo" OR "bar': [0],
        "((((": [0],
        "quokka OR wombat": [0],
        "%": "Search for at least 3 characters.",
        "_": "Search for at least 3 characters.",
        "'; --": "Search for at least 3 characters.",
        "wombat\x00quokka": [0],
    }
    assert out["odd-commit"] == [
        "Search for at least one word.",
        [0],
        [0],
        "Search for at least one word.",
    ]
    assert out["literal"] == [[1, ["public", "README"]], [1, ["public", "README"]], [0]]
    assert out["pushed"][0] == [1, ["public", "numbat.txt"]] and out["pushed"][1][0] == 1
    assert out["repo-only"] == [1, ["secret", "classified_plans.txt"]]
    assert out["left"] == 0
    assert out["many-plan"] == [out["anonymous"]["content"], out["reader"]["secret-content"], [0]]
    if out["vendor"] == "postgresql":
        assert "search_blob_trgm" in out["plans"]["content"], out["plans"]
        assert "search_path_trgm" in out["plans"]["path"], out["plans"]
        assert "search_commit_tsv" in out["plans"]["commit"], out["plans"]

"""Server methods over HTTP: test, pull, rescan_repos, get_ip, get_server_info
(invalidate_cache is with the repository methods)."""

import subprocess

import pytest

from lindos.repos.models import JournalEntry, Repository


def test_server_methods(api, admin, alice, make_repo, repo_root):
    assert api.error(alice.api_key, "test", args=1) == "no permission to call `test`: it needs admin rights"
    ip = api.ok(admin.api_key, "get_ip")
    assert ip == {"server_ip_addr": "127.0.0.1", "user_ips": []}
    assert api.ok(admin.api_key, "show_ip", userid="alice") == ip
    info = api.ok(admin.api_key, "get_server_info")
    assert set(info) >= {"modules", "py_version", "platform", "kallithea_version"}
    assert api.error(alice.api_key, "get_server_info").startswith("no permission")
    # A repository put on disk by hand is found; a row whose folder is gone is removed.
    subprocess.run(["git", "init", "-q", "--bare", str(repo_root / "ondisk")], check=True)
    gone = make_repo("gone", owner=alice)
    import shutil

    shutil.rmtree(gone.path)
    assert api.ok(admin.api_key, "rescan_repos", remove_obsolete=True) == {
        "added": ["ondisk"],
        "removed": ["gone"],
    }
    assert Repository.objects.get(name="ondisk").owner == admin


@pytest.fixture
def dumb_http_remote(tmp_path, git):
    """A git repository with one commit served over git's dumb HTTP
    protocol by a plain HTTP server of its own."""
    import functools
    import http.server
    import threading

    work = tmp_path / "remote-work"
    git("init", "-q", "-b", "main", str(work))
    (work / "x").write_text("1\n")
    git("add", "x", cwd=work)
    git("commit", "-q", "-m", "x", cwd=work)
    served = tmp_path / "served"
    served.mkdir()
    git("clone", "-q", "--bare", str(work), str(served / "remote.git"))
    git("update-server-info", cwd=served / "remote.git")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/remote.git"
    server.shutdown()
    server.server_close()


def test_pull_from_a_url(api, dumb_http_remote, admin, alice, make_repo):
    make_repo("mirror", owner=admin)
    assert api.error(admin.api_key, "pull", repoid="mirror") == "Unable to pull changes from `mirror`"
    assert (
        api.error(admin.api_key, "pull", repoid="mirror", clone_uri="file:///etc")
        == "Unable to pull changes from `mirror`"
    )
    assert api.error(alice.api_key, "pull", repoid="mirror").startswith("no permission")
    assert api.ok(admin.api_key, "pull", repoid="mirror", clone_uri=dumb_http_remote) == {
        "msg": "Pulled from `mirror`",
        "repository": "mirror",
    }
    entry = JournalEntry.objects.filter(repository__name="mirror", action="push").get()
    assert entry.ref_changes[0]["ref"] == "refs/heads/main"
    assert len(api.ok(admin.api_key, "get_changesets", repoid="mirror")) == 1

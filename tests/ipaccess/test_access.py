"""The rule, and every way in that asks it (git, hg, the API, ``?api_key=``
pages); the web session and login form are in ``test_middleware``, SSH in
``test_access_ssh``."""

import json
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindos.ipaccess.access import allowed_networks, is_allowed, refusal
from lindos.ipaccess.actions import do_delete_network


def test_default_list_plus_own_and_empty_means_everywhere(make_user, allow):
    alice, bob = make_user("alice"), make_user("bob")
    assert is_allowed(alice, "203.0.113.9")
    allow(alice, "10.0.0.0/8")
    assert not is_allowed(alice, "127.0.0.1") and is_allowed(alice, "10.4.5.6")
    assert is_allowed(bob, "127.0.0.1")  # alice's list is hers alone
    allow(None, "192.0.2.0/24")  # the default list: everyone
    assert not is_allowed(bob, "127.0.0.1") and is_allowed(bob, "192.0.2.200")
    assert is_allowed(alice, "192.0.2.200") and is_allowed(alice, "10.4.5.6")
    assert sorted(allowed_networks(alice.pk)) == ["10.0.0.0/8", "192.0.2.0/24"]


def test_admins_are_bound_and_anonymous_visitors_are_not(make_user, allow):
    root = make_user("root", admin=True)
    allow(None, "10.0.0.0/8")
    assert not is_allowed(root, "127.0.0.1")
    assert is_allowed(AnonymousUser(), "127.0.0.1") and is_allowed(None, "127.0.0.1")


def test_ipv6(make_user, allow):
    alice = make_user("alice")
    allow(alice, "2001:db8::/32")
    assert is_allowed(alice, "2001:db8:ffff::1")
    assert not is_allowed(alice, "::1") and not is_allowed(alice, "127.0.0.1")
    allow(alice, "::1")
    assert is_allowed(alice, "::1")


def test_the_answer_is_kept_for_the_request(make_user, allow, rf):
    alice = make_user("alice")
    allow(alice, "10.0.0.0/8")
    request = rf.get("/")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert refusal(alice, "127.0.0.1", request) is not None
            assert refusal(alice, "10.0.0.1", request) is None
    assert len(queries) == 2  # one per address, not one per check


def test_refusal_names_account_and_address(make_user, allow):
    alice = make_user("alice")
    allow(alice, "10.0.0.0/8")
    assert refusal(alice, "127.0.0.1") == (
        "Access for alice from 127.0.0.1 is not allowed: the address is not in the account's allowed networks."
    )
    assert "from an unknown address" in refusal(alice, None)
    assert "\n" not in refusal(alice, "1\n2")


# The ways in, with the real clients against Lindos served by waitress.


def url_for(server_url, name, user=None, secret=None):
    host = server_url.split("//", 1)[1]
    auth = f"{quote(user)}:{quote(secret)}@" if user else ""
    return f"http://{auth}{host}/{name}"


@pytest.fixture
def alice(make_user):
    return make_user("alice", password="alice-pw")


def test_git_over_http(alice, make_repo, allow, git, tmp_path, server_url):
    make_repo("project", owner=alice, private=True)
    entry = allow(alice, "10.0.0.0/8")
    for n, secret in enumerate(("alice-pw", alice.api_key)):
        proc = git(
            "clone", url_for(server_url, "project", "alice", secret), str(tmp_path / f"x{n}"), check=False
        )
        assert proc.returncode != 0
        assert "remote: Access for alice from 127.0.0.1 is not allowed" in proc.stderr
        assert "403" in proc.stderr
        assert not (tmp_path / f"x{n}").exists()
    allow(alice, "127.0.0.0/8")
    git("clone", "-q", url_for(server_url, "project", "alice", "alice-pw"), str(tmp_path / "ok"))
    do_delete_network(alice, entry.pk)
    git("ls-remote", url_for(server_url, "project", "alice", alice.api_key))


def test_git_push_refused_too(alice, make_repo, allow, git, tmp_path, server_url):
    make_repo("project", owner=alice)
    work = tmp_path / "w"
    git("init", "-q", "-b", "main", str(work))
    (work / "f").write_text("x\n")
    git("add", "f", cwd=work)
    git("commit", "-q", "-m", "c", cwd=work)
    allow(None, "10.0.0.0/8")  # the default list binds alice too
    proc = git("push", url_for(server_url, "project", "alice", "alice-pw"), "main", cwd=work, check=False)
    assert proc.returncode != 0 and "is not allowed" in proc.stderr
    allow(None, "127.0.0.1")
    git("push", "-q", url_for(server_url, "project", "alice", "alice-pw"), "main", cwd=work)


def test_hg_over_http(alice, make_repo, allow, hg, tmp_path, server_url):
    make_repo("hgproject", owner=alice, kind="hg", private=True)
    allow(alice, "10.0.0.0/8")
    proc = hg(
        "clone", url_for(server_url, "hgproject", "alice", "alice-pw"), str(tmp_path / "x"), check=False
    )
    assert proc.returncode == 255
    assert proc.stderr.startswith("abort: HTTP Error 403: Access for alice from 127.0.0.1 is not allowed")
    assert not (tmp_path / "x").exists()
    allow(alice, "127.0.0.0/8")
    hg("clone", url_for(server_url, "hgproject", "alice", "alice-pw"), str(tmp_path / "ok"))
    assert (tmp_path / "ok" / ".hg").is_dir()


def api_call(server_url, key, method, **args):
    body = json.dumps({"id": 1, "api_key": key, "method": method, "args": args}).encode()
    request = urllib.request.Request(
        server_url + "/_admin/api", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_json_rpc_api(make_user, allow, server_url):
    root = make_user("root", admin=True)
    allow(root, "10.0.0.0/8")
    answer = api_call(server_url, root.api_key, "get_ip")
    assert answer["result"] is None
    assert answer["error"].startswith("Access for root from 127.0.0.1 is not allowed")
    allow(root, "127.0.0.0/8")
    answer = api_call(server_url, root.api_key, "get_ip")
    assert answer["error"] is None
    assert answer["result"] == {
        "server_ip_addr": "127.0.0.1",
        "user_ips": [
            {"ip_addr": "10.0.0.0/8", "ip_range": ["10.0.0.0", "10.255.255.255"]},
            {"ip_addr": "127.0.0.0/8", "ip_range": ["127.0.0.0", "127.255.255.255"]},
        ],
    }


def test_api_get_ip_and_get_user_show_the_real_lists(make_user, allow, server_url):
    root, bob = make_user("root", admin=True), make_user("bob")
    allow(bob, "2001:db8::/32")
    allow(bob, "192.0.2.7")
    allow(None, "127.0.0.0/8")  # the default list is not repeated per user, as in Kallithea
    answer = api_call(server_url, root.api_key, "get_ip", userid="bob")["result"]
    assert answer["user_ips"] == [
        {"ip_addr": "2001:db8::/32", "ip_range": ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"]},
        {"ip_addr": "192.0.2.7/32", "ip_range": ["192.0.2.7", "192.0.2.7"]},
    ]
    assert api_call(server_url, root.api_key, "get_user", userid="bob")["result"]["ip_addresses"] == [
        "2001:db8::/32",
        "192.0.2.7/32",
    ]
    users = api_call(server_url, root.api_key, "get_users")["result"]
    assert {u["username"]: u["ip_addresses"] for u in users} == {
        "root": [],
        "bob": ["2001:db8::/32", "192.0.2.7/32"],
    }
    # Not an admin: get_ip is refused, as in Kallithea.
    assert api_call(server_url, bob.api_key, "get_ip")["error"] is not None


def test_api_key_on_pages_and_feeds(alice, make_repo, allow, client):
    make_repo("project", owner=alice, private=True)
    allow(alice, "10.0.0.0/8")
    for url in (
        f"/_admin/journal/atom?api_key={alice.api_key}",
        f"/project/feed/atom?api_key={alice.api_key}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Access for alice from 127.0.0.1 is not allowed" in response.content
        assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code == 200, url
    response = client.get("/project/feed/atom", HTTP_AUTHORIZATION=f"Bearer {alice.api_key}")
    assert response.status_code == 403


@pytest.fixture
def waitress_with(transactional_db, repo_root):
    """Lindos behind waitress with the given ``[server:main]`` proxy options
    (as ``lindos serve`` passes them), in a thread."""
    import contextlib

    from waitress.server import create_server

    from lindos.webserver.waitress_server import with_peer
    from tests.threaded_server import threaded_server

    @contextlib.contextmanager
    def start(**proxy):
        def make_server(app):
            server = create_server(app, host="127.0.0.1", port=0, threads=1, **proxy)
            server.channel_class = with_peer(server.channel_class)
            return server

        with threaded_server(make_server) as server:
            yield f"http://127.0.0.1:{server.effective_port}"

    return start


def test_x_forwarded_for_counts_only_from_the_trusted_proxy(
    alice, make_repo, allow, git, tmp_path, waitress_with
):
    make_repo("project", owner=alice, private=True)
    allow(alice, "10.0.0.0/8")
    forged = "http.extraHeader=X-Forwarded-For: 10.1.2.3"
    with waitress_with() as url:  # no trusted proxy: the header is only a header
        proc = git("-c", forged, "ls-remote", url_for(url, "project", "alice", "alice-pw"), check=False)
        assert proc.returncode != 0 and "Access for alice from 127.0.0.1 is not allowed" in proc.stderr
        request = urllib.request.Request(
            url + "/_admin/api",
            data=json.dumps({"id": 1, "api_key": alice.api_key, "method": "get_ip", "args": {}}).encode(),
            headers={"X-Forwarded-For": "10.1.2.3", "X-Real-IP": "10.1.2.3", "Forwarded": "for=10.1.2.3"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert "from 127.0.0.1 is not allowed" in json.loads(response.read())["error"]
    with waitress_with(trusted_proxy="192.0.2.1", trusted_proxy_headers="x-forwarded-for") as url:
        proc = git("-c", forged, "ls-remote", url_for(url, "project", "alice", "alice-pw"), check=False)
        assert proc.returncode != 0, "a connection not from the trusted proxy is not believed"
    with waitress_with(trusted_proxy="127.0.0.1", trusted_proxy_headers="x-forwarded-for") as url:
        # Behind the trusted proxy, the address it forwards is the client's, both ways.
        git("-c", forged, "ls-remote", url_for(url, "project", "alice", "alice-pw"))
        outside = "http.extraHeader=X-Forwarded-For: 203.0.113.9"
        proc = git("-c", outside, "ls-remote", url_for(url, "project", "alice", "alice-pw"), check=False)
        assert proc.returncode != 0 and "Access for alice from 203.0.113.9 is not allowed" in proc.stderr

"""get_gist, get_gists, create_gist, delete_gist through the real endpoint
of a live server: Kallithea's arguments, answers and permission rules."""

import datetime
import time
import urllib.request

import pytest

from lindos.gists.models import Gist


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_create_get_list_and_delete(api, alice, server_url, repo_root):
    made = api.ok(
        alice.api_key,
        "create_gist",
        files={"a.py": {"content": "x = 1\n", "lexer": None}, "b.txt": {"content": "two"}},
        description="from the API",
    )
    assert made["msg"] == "created new gist"
    gist = made["gist"]
    assert set(gist) == {"gist_id", "type", "access_id", "description", "url", "expires", "created_on"}
    assert gist["type"] == "public" and gist["access_id"] == str(gist["gist_id"]) and gist["expires"] == -1
    assert gist["description"] == "from the API"
    assert gist["url"].endswith(f"/_admin/gists/{gist['access_id']}")
    # the page and the raw file are there
    assert fetch(f"{server_url}/_admin/gists/{gist['access_id']}/tip/raw/a.py") == (200, b"x = 1\n")
    assert api.ok(alice.api_key, "get_gist", gistid=gist["gist_id"]) == gist
    assert api.ok(alice.api_key, "get_gist", gistid=gist["access_id"]) == gist
    assert api.ok(alice.api_key, "get_gists") == [gist]
    folder = repo_root / ".rc_gist_store" / gist["access_id"]
    assert folder.is_dir()
    assert api.ok(alice.api_key, "delete_gist", gistid=gist["access_id"]) == {
        "msg": f"deleted gist ID:{gist['access_id']}",
        "gist": None,
    }
    assert not folder.exists() and not Gist.objects.exists()
    assert (
        api.error(alice.api_key, "get_gist", gistid=gist["access_id"])
        == f"gist `{gist['access_id']}` does not exist"
    )


def test_private_gist_with_lifetime(api, alice):
    before = time.time()
    gist = api.ok(
        alice.api_key, "create_gist", files={"s": {"content": "secret"}}, gist_type="private", lifetime=60
    )["gist"]
    assert gist["type"] == "private" and len(gist["access_id"]) == 20 and not gist["access_id"].isdigit()
    assert before + 3600 - 5 < gist["expires"] < time.time() + 3600 + 5


def test_someone_else_s_gist_does_not_exist_for_them(api, alice, bob, admin):
    gist = api.ok(alice.api_key, "create_gist", files={"s": {"content": "x"}}, gist_type="private")["gist"]
    for gistid in (gist["gist_id"], gist["access_id"], str(gist["gist_id"])):
        assert api.error(bob.api_key, "get_gist", gistid=gistid) == f"gist `{gistid}` does not exist"
        assert api.error(bob.api_key, "delete_gist", gistid=gistid) == f"gist `{gistid}` does not exist"
    assert api.error(bob.api_key, "get_gists", userid=alice.pk) == "userid is not the same as your user"
    assert api.ok(bob.api_key, "get_gists") == []
    # an admin sees and deletes anyone's
    assert api.ok(admin.api_key, "get_gist", gistid=gist["access_id"])["access_id"] == gist["access_id"]
    assert [g["access_id"] for g in api.ok(admin.api_key, "get_gists", userid="alice")] == [gist["access_id"]]
    assert api.ok(admin.api_key, "delete_gist", gistid=gist["gist_id"])["gist"] is None


def test_only_an_admin_names_another_owner(api, alice, bob, admin):
    assert api.error(bob.api_key, "create_gist", files={"a": {"content": "x"}}, owner="alice") == (
        "Only Kallithea admin can specify `owner` param"
    )
    assert not Gist.objects.exists()
    # naming yourself is fine
    assert api.ok(bob.api_key, "create_gist", files={"a": {"content": "x"}}, owner="bob")["gist"]
    made = api.ok(admin.api_key, "create_gist", files={"a": {"content": "x"}}, owner="alice")["gist"]
    assert Gist.objects.get(pk=made["gist_id"]).owner == alice
    assert api.error(admin.api_key, "create_gist", files={"a": {"content": "x"}}, owner="nobody") == (
        "user `nobody` does not exist"
    )


def test_expired_gists_are_not_listed_but_their_owner_can_still_delete_them(api, alice):
    gist = api.ok(alice.api_key, "create_gist", files={"a": {"content": "x"}}, lifetime=5)["gist"]
    Gist.objects.filter(pk=gist["gist_id"]).update(
        expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert api.ok(alice.api_key, "get_gists") == []
    assert api.ok(alice.api_key, "delete_gist", gistid=gist["gist_id"])["gist"] is None


@pytest.mark.parametrize(
    "args, error",
    [
        ({"files": {}}, "failed to create gist: A gist needs at least one file"),
        ({"files": {"../etc/passwd": {"content": "x"}}}, "names a folder"),
        ({"files": {"/abs": {"content": "x"}}}, "names a folder"),
        ({"files": {"a\x00b": {"content": "x"}}}, "contains control characters"),
        ({"files": {"X-Header: 1\r\nSet-Cookie: a=b": {"content": "x"}}}, "contains control characters"),
        ({"files": {".hgtags": {"content": "x"}}}, "reserved for the version control tools"),
        ({"files": {"..": {"content": "x"}}}, "'..' is not a file name"),
        ({"files": {"a": {"content": ""}}}, "a is empty"),
        ({"files": {"a": {"content": 5}}}, "The content of a must be text"),
        ({"files": {"a": "text"}}, "file `a` needs a `content`"),
        ({"files": {"a": {"content": "\ud800"}}}, "is not valid text"),
        ({"files": {"a": {"content": "x" * (513 * 1024)}}}, "larger than 512 KiB"),
        ({"files": {f"f{i}": {"content": "x"} for i in range(51)}}, "at most 50 files"),
        (
            {"files": {"a": {"content": "x"}}, "gist_type": "secret"},
            "`gist_type` must be `public` or `private`",
        ),
        ({"files": {"a": {"content": "x"}}, "lifetime": 0}, "lifetime must be a number of minutes"),
        ({"files": {"a": {"content": "x"}}, "lifetime": -5}, "lifetime must be a number of minutes"),
        ({"files": {"a": {"content": "x"}}, "lifetime": 10**15}, "at most"),
        ({"files": {"a": {"content": "x"}}, "description": "a\x00b"}, "NUL"),
        ({"files": ["a"]}, "Invalid type for `files` arg in JSON DATA: expected object"),
    ],
)
def test_bad_gists_are_refused_with_a_reason(api, alice, repo_root, args, error):
    got = api.error(alice.api_key, "create_gist", **args)
    assert error in got
    assert got.startswith("failed to create gist") or got.startswith("Invalid type")
    assert not Gist.objects.exists()
    assert (
        not any((repo_root / ".rc_gist_store").glob("*")) if (repo_root / ".rc_gist_store").exists() else True
    )


def test_arguments_are_checked_as_kallithea_does(api, alice):
    assert api.error(alice.api_key, "get_gist") == "Missing non optional `gistid` arg in JSON DATA"
    assert api.error(alice.api_key, "create_gist") == "Missing non optional `files` arg in JSON DATA"
    assert api.error(alice.api_key, "get_gist", gistid="x", extra=1) == "Unknown `extra` arg in JSON DATA"
    assert api.error(alice.api_key, "get_gist", gistid="nope") == "gist `nope` does not exist"
    assert api.error(alice.api_key, "get_gist", gistid=10**30) == f"gist `{10**30}` does not exist"


def test_gist_alias_url_gives_the_link(api, alice, settings):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, gist_alias_url="https://gist.example.com/{gistid}")
    gist = api.ok(alice.api_key, "create_gist", files={"a": {"content": "x"}})["gist"]
    assert gist["url"] == f"https://gist.example.com/{gist['access_id']}"

"""The wire format over HTTP against a live server: Kallithea's envelope,
its words for malformed requests, and never a 500."""

import json

import pytest

from lindos.api.jsonrpc import REGISTRY
from lindos.api.methods import load_all
from tests.api.conftest import post_raw

KALLITHEA_METHODS = """test pull rescan_repos invalidate_cache get_ip get_server_info get_user
get_users create_user update_user delete_user get_user_group get_user_groups create_user_group
update_user_group delete_user_group add_user_to_user_group remove_user_from_user_group get_repo
get_repos get_repo_nodes create_repo update_repo fork_repo delete_repo grant_user_permission
revoke_user_permission grant_user_group_permission revoke_user_group_permission get_repo_group
get_repo_groups create_repo_group update_repo_group delete_repo_group
grant_user_permission_to_repo_group revoke_user_permission_from_repo_group
grant_user_group_permission_to_repo_group revoke_user_group_permission_from_repo_group get_gist
get_gists create_gist delete_gist get_changesets get_changeset get_pullrequest
comment_pullrequest edit_reviewers""".split()


def test_all_47_kallithea_methods_exist():
    load_all()
    assert len(KALLITHEA_METHODS) == 47
    assert set(KALLITHEA_METHODS) <= set(REGISTRY)
    assert set(REGISTRY) - set(KALLITHEA_METHODS) == {"show_ip"}


def test_envelope_is_kallithea_s(api, admin):
    answer = api.call(admin.api_key, "test", args={"a": [1, "ü"]})
    assert answer == {"id": api.next_id, "result": {"a": [1, "ü"]}, "error": None}


@pytest.mark.parametrize(
    "body, error",
    [
        (b"{not json", "JSON parse error ERR:"),
        (b"[]", "Incorrect JSON query missing 'api_key'"),
        (b'{"id": 1}', "Incorrect JSON query missing 'api_key'"),
        (b'{"api_key": "x"}', "Incorrect JSON query missing 'id'"),
        (b'{"api_key": "x", "id": 1, "args": {}}', "Incorrect JSON query missing 'method'"),
        (b'{"api_key": "x", "id": 1, "method": "get_user"}', "Incorrect JSON query missing 'args'"),
        (b'{"api_key": "trololo", "id": 1, "method": "get_user", "args": {}}', "Invalid API key"),
        (b'{"api_key": 5, "id": 1, "method": "get_user", "args": {}}', "Invalid API key"),
        (b'"\xff\xfe"', "JSON parse error ERR:"),
        (b"[" * 100000, "JSON parse error ERR:"),
    ],
)
def test_malformed_requests_get_kallithea_s_words(server_url, db, body, error):
    status, headers, answer = post_raw(server_url, body)
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert answer["result"] is None
    assert answer["error"].startswith(error)
    assert len(answer["error"]) < 400  # the echoed body is cut


def test_wrong_key_names_no_user(api, alice):
    wrong = "0" * 40
    assert api.error(wrong, "get_user") == "Invalid API key"


def test_an_inactive_user_s_key_is_refused(api, make_user):
    ghost = make_user("ghost", active=False)
    assert api.error(ghost.api_key, "get_user") == "Invalid API key"


@pytest.mark.parametrize(
    "method, error",
    [
        ("_private", "Method not allowed"),
        ("no_such_thing", "No such method: no_such_thing"),
        ("__init__", "Method not allowed"),
    ],
)
def test_method_names(api, alice, method, error):
    assert api.error(alice.api_key, method) == error


def test_method_that_is_not_a_string(server_url, alice):
    _s, _h, answer = post_raw(
        server_url,
        json.dumps({"id": 7, "api_key": alice.api_key, "method": ["get_user"], "args": {}}).encode(),
    )
    assert answer == {"id": 7, "result": None, "error": "No such method: ['get_user']"}


def test_missing_and_unknown_arguments(api, admin):
    assert api.error(admin.api_key, "get_repo") == "Missing non optional `repoid` arg in JSON DATA"
    assert (
        api.error(admin.api_key, "get_user", userid="boss", colour="red", Host="x")
        == "Unknown `Host`, `colour` arg in JSON DATA"
    )


@pytest.mark.parametrize("args_json", ["null", "1", "[]", '"x"'])
def test_args_that_are_not_an_object_count_as_empty(server_url, admin, args_json):
    body = (
        '{"id": 3, "api_key": "%s", "method": "get_repo", "args": %s}' % (admin.api_key, args_json)
    ).encode()
    _s, _h, answer = post_raw(server_url, body)
    assert answer["error"] == "Missing non optional `repoid` arg in JSON DATA"


@pytest.mark.parametrize(
    "args, error",
    [
        ({"repoid": ["a"]}, "Invalid type for `repoid` arg in JSON DATA: expected string or integer"),
        ({"repoid": True}, "Invalid type for `repoid` arg in JSON DATA: expected string or integer"),
        ({"repoid": {"$gt": ""}}, "Invalid type for `repoid` arg in JSON DATA: expected string or integer"),
        (
            {"repoid": "r", "with_revision_names": "maybe"},
            "Invalid type for `with_revision_names` arg in JSON DATA: expected boolean",
        ),
    ],
)
def test_wrong_types(api, admin, args, error):
    assert api.error(admin.api_key, "get_repo", **args) == error


def test_string_booleans_from_command_line_clients_are_read(api, admin, make_repo):
    make_repo("r", owner=admin)
    result = api.ok(admin.api_key, "get_repo", repoid="r", with_revision_names="true")
    assert result["branches"] == {}


def test_huge_and_odd_values_never_500(api, admin):
    assert api.error(admin.api_key, "get_repo", repoid="x" * 100000).startswith("repository `x")
    assert api.error(admin.api_key, "get_repo", repoid="a\x00b") == "repository `a\x00b` does not exist"
    assert api.error(admin.api_key, "get_user", userid=10**30) == "user `%d` does not exist" % 10**30
    assert api.error(admin.api_key, "get_repo", repoid=-1) == "repository `-1` does not exist"


def test_key_in_query_or_header_is_not_the_api_s_credential(server_url, admin):
    body = b'{"id": 1, "api_key": "", "method": "get_user", "args": {}}'
    _s, _h, answer = post_raw(server_url, body, headers={"Authorization": f"Bearer {admin.api_key}"})
    assert answer["error"] == "Invalid API key"


def test_get_is_answered_in_json_too(server_url, db):
    import urllib.request

    with urllib.request.urlopen(server_url + "/_admin/api", timeout=10) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {
            "id": None,
            "result": None,
            "error": "No Content-Length in request",
        }


def test_a_body_over_max_form_body_size_is_413_before_it_is_read(server_url, admin):
    import urllib.error

    body = json.dumps(
        {"id": 1, "api_key": admin.api_key, "method": "test", "args": {"args": "x" * (3 * 1024 * 1024)}}
    ).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_raw(server_url, body)
    assert refused.value.code == 413


def test_internal_errors_are_kallithea_s_sentence(api, admin, monkeypatch, caplog):
    from lindos.api.methods import server

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(server.metadata, "distributions", broken)
    assert api.error(admin.api_key, "get_server_info") == "Internal server error"
    assert admin.api_key not in caplog.text


def test_null_for_an_optional_argument_is_its_default(api, alice, make_repo):
    assert api.ok(
        alice.api_key, "create_repo", repo_name="n", private=None, description=None, repo_type=None
    ) == {"msg": "Created new repository `n`", "success": True}
    assert api.ok(alice.api_key, "get_repo", repoid="n")["private"] is False
    assert (
        api.error(alice.api_key, "get_repo", repoid=None)
        == "Invalid type for `repoid` arg in JSON DATA: expected string or integer"
    )


def test_an_address_sending_many_wrong_keys_is_told_to_wait(api, alice):
    """Wrong keys count toward the login throttle (a bare key names no
    account: the limits of its address apply, 10 for "this account from
    this address"); beyond the limit every wrong key is answered with the
    throttle's message, and a right key still works."""
    answers = [api.error(f"{i:040x}", "get_user") for i in range(30)]
    assert answers[:10] == ["Invalid API key"] * 10
    assert all(a.startswith("Too many failed logins") for a in answers[11:]), answers[11:]
    assert api.ok(alice.api_key, "get_user")["username"] == "alice"

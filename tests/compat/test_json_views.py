"""The JSON Kallithea's scripts read: Kallithea's shapes, and a private
repository's data only for those who may read it (a 404 otherwise, the
same as for a name that does not exist)."""

import json

import pytest


def data(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_repo_switcher_lists_what_the_visitor_may_read(client, site):
    answer = data(client.get("/_repos"))
    assert answer["more"] is False
    groups, repositories = answer["results"]
    assert groups["text"] == "Groups"
    assert [c["id"] for c in groups["children"]] == ["team"]
    assert groups["children"][0]["type"] == "group"
    assert repositories["children"] == [
        {
            "id": "team/app",
            "text": "team/app",
            "type": "repo",
            "obj": {"repo_name": "team/app", "repo_type": "git", "description": "", "private": False},
        }
    ]
    client.force_login(site.olga)
    names = [c["id"] for c in data(client.get("/_repos"))["results"][1]["children"]]
    assert names == ["team/app", "team/secret"]


def test_users_and_groups(client, site):
    assert client.get("/_users_and_groups?query=ul").status_code == 302  # log in first, as Kallithea
    client.force_login(site.ulla)
    answer = data(client.get("/_users_and_groups?query=ULL"))
    assert answer == {
        "results": [
            {
                "type": "user",
                "id": site.ulla.pk,
                "nname": "ulla",
                "fname": "",
                "lname": "",
                "gravatar_lnk": "",
                "gravatar_size": 14,
            }
        ]
    }
    assert [r["nname"] for r in data(client.get("/_users_and_groups?key=olga"))["results"]] == ["olga"]
    assert data(client.get("/_users_and_groups?key=olg"))["results"] == []  # key: the exact name
    assert data(client.get("/_users_and_groups"))["results"] == []


def test_user_groups_only_for_those_who_may_read_them(client, site):
    """As the permission pickers: a user group whose permissions give
    someone nothing does not exist for them; read (every user's by default,
    as in Kallithea) shows it."""
    site.user_group.default_permission = "none"
    site.user_group.save()
    client.force_login(site.ulla)
    assert data(client.get("/_users_and_groups?types=users,groups&query=dev"))["results"] == []
    assert data(client.get("/_users_and_groups?types=groups&key=devs"))["results"] == []
    client.force_login(site.olga)  # the owner
    answer = data(client.get("/_users_and_groups?types=groups&query=dev"))
    assert answer["results"] == [{"type": "group", "id": site.user_group.pk, "grname": "devs"}]
    site.user_group.default_permission = "read"
    site.user_group.save()
    client.force_login(site.ulla)
    answer = data(client.get("/_users_and_groups?types=groups&key=devs"))
    assert answer["results"] == [{"type": "group", "id": site.user_group.pk, "grname": "devs"}]


@pytest.mark.parametrize("query", ["%00", "a%00b", "x" * 5000, "%25", "_", "<script>"])
def test_odd_queries(client, site, query):
    client.force_login(site.ulla)
    response = client.get(f"/_users_and_groups?types=users,groups&query={query}&key=")
    assert response.status_code == 200
    data(response)


def test_refs_data(client, site):
    answer = data(client.get("/team/app/refs-data"))
    first, second = site.commits
    assert answer == {
        "more": False,
        "results": [
            {
                "text": "Branch",
                "children": [
                    {"id": second, "text": "feature", "type": "branch"},
                    {"id": first, "text": "master", "type": "branch"},
                ],
            },
            {"text": "Tag", "children": [{"id": first, "text": "v1", "type": "tag"}]},
        ],
    }


def test_changeset_info(client, site):
    first = site.commits[0]
    answer = data(client.get(f"/changeset_info/team/app/{first}"))
    assert answer["raw_id"] == first
    assert answer["short_id"] == first[:12]
    assert answer["message"].strip() == "First <b>commit</b>"
    assert answer["author"] == "Test User <test@example.com>"
    assert answer["date"].startswith("2023-11-14T22:1")
    assert data(client.get("/changeset_info/team/app/v1"))["raw_id"] == first
    assert client.get("/changeset_info/team/app/nosuchrev").status_code == 404
    assert client.get("/changeset_info/team/app/%00").status_code == 404


def test_repo_size(client, site):
    client.force_login(site.ulla)
    size = data(client.get("/team/app/repo_size"))
    assert size.endswith(("B", "KiB", "MiB")) and size[0].isdigit()
    assert data(client.post("/team/app/repo_size")) == size  # Kallithea's page asked by POST


def test_repo_check_creating(client, site):
    client.force_login(site.ulla)
    assert data(client.get("/team/app/repo_check_creating")) == {"result": True}
    assert data(client.get("/team/secret/repo_check_creating")) == {"result": False}
    assert data(client.get("/team/nothing/repo_check_creating")) == {"result": False}
    client.force_login(site.olga)
    assert data(client.get("/team/secret/repo_check_creating")) == {"result": True}


@pytest.mark.parametrize(
    "url",
    [
        "/team/{name}/refs-data",
        "/team/{name}/repo_size",
        "/changeset_info/team/{name}/{rev}",
        "/changeset_info/team/{name}/master",
    ],
)
def test_private_repository_is_a_404_like_a_missing_one(client, site, url):
    rev = site.commits[0]
    client.force_login(site.ulla)
    hidden = client.get(url.format(name="secret", rev=rev))
    missing = client.get(url.format(name="nothing", rev=rev))
    assert hidden.status_code == missing.status_code == 404
    assert b"secret" not in hidden.content
    assert hidden["Content-Type"] == missing["Content-Type"]
    client.force_login(site.olga)
    assert client.get(url.format(name="secret", rev=rev)).status_code in (200, 404)  # empty repo: no rev


def test_anonymous_sees_public_refs_not_private(client, site):
    assert client.get("/team/app/refs-data").status_code == 200
    assert client.get("/team/secret/refs-data").status_code == 404
    assert client.get("/team/app/repo_size").status_code == 302  # Kallithea: login required


def test_private_repository_owner_reads_its_refs(client, site):
    client.force_login(site.olga)
    assert data(client.get("/team/secret/refs-data")) == {"more": False, "results": []}


@pytest.mark.parametrize(
    "name", ["team/app/repo_size", "x/refs-data", "repo_creating", "a/repo_check_creating"]
)
def test_route_words_are_not_repository_names(name):
    from lindos.repos.storage import name_problems

    assert name_problems(name)

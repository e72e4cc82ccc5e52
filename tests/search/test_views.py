"""The search pages: Kallithea's URLs and parameters, and bad input
answered with a page, never an error or a leak."""

import pytest

from lindos.search.indexer import do_index_repository

pytestmark = pytest.mark.django_db

PUBLIC = [{"message": "Public wombat commit", "files": {"README": "<b>wombat</b> lives here\n"}}]
SECRET = [{"message": "Secret quokka commit", "files": {"secret.txt": "quokka and wombat\n"}}]


@pytest.fixture
def repos(make_indexed_repo, make_user):
    owner = make_user("owner")
    public = make_indexed_repo("group/public", PUBLIC, owner=owner)
    secret = make_indexed_repo("secret", SECRET, owner=owner, private=True)
    for row in (public, secret):
        do_index_repository(row.pk)
    return public, secret


def text(response):
    return response.content.decode()


def test_search_page_without_a_query_shows_the_form(client, repos):
    response = client.get("/_admin/search")
    assert response.status_code == 200
    body = text(response)
    assert 'name="q"' in body and '<option value="content" selected>File contents</option>' in body
    assert "results" not in body


def test_content_search_shows_escaped_marked_snippets(client, repos):
    body = text(client.get("/_admin/search", {"q": "wombat", "type": "content"}))
    assert "1 result (" in body
    assert "&lt;b&gt;<mark>wombat</mark>&lt;/b&gt; lives here" in body
    assert f'href="/group/public/files/{repos[0].ids[0]}/README"' in body
    assert "quokka" not in body and "/secret" not in body and "secret.txt" not in body


def test_each_type_and_the_repository_page(client, repos):
    public, secret = repos
    assert "Public <mark>wombat</mark> commit" in text(client.get("/_admin/search?q=wombat&type=commit"))
    assert "<mark>READ</mark>ME" in text(client.get("/_admin/search?q=READ&type=path"))
    response = client.get("/group/public/search", {"q": "wombat"})
    assert response.status_code == 200 and "1 result (" in text(response)
    assert 'action="/group/public/search"' in text(response)
    # An unknown type is a content search, as in Kallithea.
    assert "1 result (" in text(client.get("/_admin/search?q=lives&type=repository"))


def test_a_private_repository_search_page_is_not_found_for_others(client, repos, make_user):
    public, secret = repos
    assert client.get("/secret/search", {"q": "quokka"}).status_code == 404
    assert client.get("/nosuchrepo/search").status_code == 404
    client.force_login(make_user("stranger"))
    assert client.get("/secret/search", {"q": "quokka"}).status_code == 404
    assert "0 results" in text(client.get("/_admin/search", {"q": "quokka"}))
    client.force_login(secret.owner)
    assert "1 result (" in text(client.get("/secret/search", {"q": "quokka"}))
    assert "2 results (" in text(client.get("/_admin/search", {"q": "wombat"}))


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10240},
        {"q": '"unbalanced ((( quote'},
        {"q": "wombat", "page": "-1"},
        {"q": "wombat", "page": "1e9"},
        {"q": "wombat", "page": "x" * 5000},
        {"q": "wombat", "type": "<script>"},
        {"q": "\x00\x01wombat"},
        {"q": "<script>alert(1)</script>"},
        {"q": "wombat", "type": ["commit", "path"]},
        {"q": "é" * 2000, "type": "commit"},
    ],
)
def test_bad_input_answers_a_page(client, repos, params):
    response = client.get("/_admin/search", params)
    assert response.status_code == 200
    body = text(response)
    assert "<script>alert" not in body and '<script>"' not in body
    assert "quokka" not in body


def test_a_long_query_says_why(client, repos):
    body = text(client.get("/_admin/search", {"q": "wombat " * 1500}))
    assert "The search text is too long: at most 500 characters." in body


def test_odd_bytes_in_the_url(client, repos):
    assert client.get("/_admin/search?q=%FF%FEwombat").status_code == 200
    assert client.get("/_admin/search?q=%E2%80%AEwombat&type=%00").status_code == 200


def test_only_get(client, repos):
    assert client.post("/_admin/search", {"q": "wombat"}).status_code == 405
    assert client.head("/_admin/search?q=wombat").status_code == 200


def test_pager_keeps_the_query_and_type(client, make_indexed_repo):
    row = make_indexed_repo("many", [{"files": {f"f{i:02d}.txt": f"bandicoot {i}\n" for i in range(15)}}])
    do_index_repository(row.pk)
    body = text(client.get("/_admin/search", {"q": "bandicoot & co", "type": "content"}))
    assert "0 results" in body  # "& co": "co" narrows to nothing
    body = text(client.get("/_admin/search", {"q": "bandicoot", "type": "content"}))
    assert 'href="/_admin/search?q=bandicoot&amp;type=content&amp;page=2"' in body
    assert "Page 1 of 2" in body

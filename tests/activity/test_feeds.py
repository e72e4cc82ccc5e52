"""``lindos.activity.feeds`` and the repository feeds (``/REPO/feed/rss``,
``/REPO/feed/atom``), parsed with a real XML parser."""

import shutil
import xml.etree.ElementTree as ET

import pytest

from lindos.activity.feeds import shorter, xml_text
from tests.activity.conftest import HOSTILE_MESSAGE

ATOM = "{http://www.w3.org/2005/Atom}"


def history(n=3, message=None):
    commits = [
        {"message": f"Change {i}", "author": "Zoë Writer <zoe@example.com>", "files": {"f.txt": f"v{i}\n"}}
        for i in range(n)
    ]
    if message is not None:
        commits.append(
            {"message": message, "author": "Evil <evil@example.com>", "files": {"evil.txt": "x\n"}}
        )
    return commits


def parse_rss(body: bytes):
    root = ET.fromstring(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.find(required) is not None and channel.find(required).text
    items = channel.findall("item")
    for item in items:
        assert item.find("title").text and item.find("link").text and item.find("guid").text
        assert item.find("pubDate").text
    return channel, items


def parse_atom(body: bytes):
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated"):
        assert root.find(ATOM + required) is not None
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("title", "id", "updated"):
            assert entry.find(ATOM + required).text
        assert entry.find(f"{ATOM}link").get("href")
    return root, entries


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_rss_lists_the_newest_changesets_first(client, history_repo, kind):
    repo = history_repo(kind, "group/proj", history(3))
    response = client.get("/group/proj/feed/rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel, items = parse_rss(response.content)
    assert channel.find("title").text == "Lindos group/proj feed"
    assert channel.find("link").text == "http://lindos.example.com/group/proj"
    assert [i.find("title").text for i in items] == ["Change 2", "Change 1", "Change 0"]
    assert items[0].find("link").text == f"http://lindos.example.com/group/proj/changeset/{repo.ids[2]}"
    description = items[0].find("description").text
    assert "Zoë Writer committed on" in description
    assert "f.txt (1 lines added, 1 lines removed)" in description


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_atom_feed_is_valid_atom(client, history_repo, kind):
    history_repo(kind, "proj", history(2))
    response = client.get("/proj/feed/atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    _root, entries = parse_atom(response.content)
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Change 1", "Change 0"]
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Zoë Writer"


@pytest.mark.parametrize("kind", ["git", "hg"])
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_hostile_commit_message_is_escaped_and_cleaned(client, history_repo, kind, fmt):
    history_repo(kind, "proj", history(1, message=HOSTILE_MESSAGE))
    response = client.get(f"/proj/feed/{fmt}")
    assert response.status_code == 200
    body = response.content
    # Raw markup never reaches the document: only its escaped form.
    assert b"<script>" not in body and b"]]>" not in body
    assert b"\x01" not in body and b"\x07" not in body and b"\x1b" not in body
    if fmt == "rss":
        _channel, items = parse_rss(body)
        title, description = items[0].find("title").text, items[0].find("description").text
    else:
        _root, entries = parse_atom(body)
        title, description = entries[0].find(f"{ATOM}title").text, entries[0].find(f"{ATOM}summary").text
    assert title.startswith("Fix ]]> and <script>alert(1)</script> & bell[0m done")
    # The description is HTML: the message is text in it, escaped once more.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in description
    assert "]]&gt;" in description
    assert "<b>" not in description and "&lt;b&gt;bold&lt;/b&gt;" in description


def test_empty_repository_has_an_empty_feed(client, make_repo):
    make_repo("empty")
    channel, items = parse_rss(client.get("/empty/feed/rss").content)
    assert items == []


def test_items_per_page_and_diff_come_from_the_configuration(client, history_repo, settings):
    import dataclasses

    history_repo("git", "proj", history(5))
    settings.LINDOS = dataclasses.replace(settings.LINDOS, rss_items_per_page=2, rss_include_diff=True)
    _channel, items = parse_rss(client.get("/proj/feed/rss").content)
    assert len(items) == 2
    assert "+v4" in items[0].find("description").text


def test_a_big_changeset_is_cut_off(client, history_repo, settings):
    import dataclasses

    commits = [{"message": "Big", "files": {"big.txt": "line\n" * 5000}}]
    history_repo("git", "proj", commits)
    settings.LINDOS = dataclasses.replace(settings.LINDOS, rss_cut_off_limit=1024, rss_include_diff=True)
    _channel, items = parse_rss(client.get("/proj/feed/rss").content)
    description = items[0].find("description").text
    assert "Changeset was too big and was cut off..." in description
    assert description.count("+line") < 300


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_private_repository_feed_is_404_without_access(client, history_repo, make_user, fmt):
    owner = make_user("owner")
    history_repo("git", "secret", history(1), owner=owner, private=True)
    assert client.get(f"/secret/feed/{fmt}").status_code == 404
    stranger = make_user("stranger")
    assert client.get(f"/secret/feed/{fmt}", {"api_key": stranger.api_key}).status_code == 404
    client.force_login(stranger)
    assert client.get(f"/secret/feed/{fmt}").status_code == 404


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_private_repository_feed_with_the_owners_api_key(client, history_repo, make_user, kind):
    owner = make_user("owner")
    history_repo(kind, "secret", history(2), owner=owner, private=True)
    response = client.get("/secret/feed/rss", {"api_key": owner.api_key})
    assert response.status_code == 200
    _channel, items = parse_rss(response.content)
    assert len(items) == 2
    bearer = client.get("/secret/feed/atom", HTTP_AUTHORIZATION=f"Bearer {owner.api_key}")
    assert bearer.status_code == 200
    # The key authenticates one request: no session is left behind.
    assert client.get("/secret/feed/rss").status_code == 404


def test_a_wrong_api_key_is_refused_then_throttled(client, history_repo, make_user):
    owner = make_user("owner")
    history_repo("git", "secret", history(1), owner=owner, private=True)
    wrong = "0" * 40
    statuses = [client.get("/secret/feed/rss", {"api_key": wrong}).status_code for _ in range(31)]
    assert statuses[0] == 403
    assert statuses[-1] == 429
    assert "Retry-After" in client.get("/secret/feed/rss", {"api_key": wrong})
    # A right key still works from there (the throttle never refuses it).
    assert client.get("/secret/feed/rss", {"api_key": owner.api_key}).status_code == 200


def test_unknown_repository_and_bad_formats_are_404(client, history_repo):
    history_repo("git", "proj", history(1))
    assert client.get("/nope/feed/rss").status_code == 404
    assert client.get("/proj/feed/json").status_code == 404
    assert client.get("/proj/feed/").status_code == 404


def test_feed_is_read_only(client, history_repo):
    history_repo("git", "proj", history(1))
    assert client.post("/proj/feed/rss").status_code == 405


def test_a_new_push_shows_in_the_feed_at_once(client, history_repo, repo_root):
    from lindos.vcs.testing import make_git_repo

    history_repo("git", "proj", history(1))
    assert len(parse_rss(client.get("/proj/feed/rss").content)[1]) == 1
    shutil.rmtree(repo_root / "proj")
    make_git_repo(repo_root / "proj", history(2))  # a new tip: the cache key changes
    assert len(parse_rss(client.get("/proj/feed/rss").content)[1]) == 2


def test_xml_text_removes_what_xml_cannot_carry():
    assert xml_text("a\x00b\x08c\x0bd\x1fe\tf\ng\r") == "abcde\tf\ng\r"
    assert xml_text("x\udcffy\ufffez") == "xyz"
    assert xml_text(None) == ""


def test_shorter_cuts_long_titles_on_one_line():
    assert shorter("a\nb") == "a b"
    assert shorter("x" * 200) == "x" * 159 + "…"

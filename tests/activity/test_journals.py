"""The personal and public journals, their feeds, and the admin log:
every list shows only what its viewer may read."""

import xml.etree.ElementTree as ET

import pytest

from lindos.activity.journals import filter_q
from lindos.activity.models import UserFollowing
from lindos.repos.journal import RefChange, record_push

A, B = "a" * 40, "b" * 40


def push(repo, user, ref="refs/heads/main"):
    return record_push(repo, user, [RefChange(ref, A, B)])


@pytest.fixture
def world(make_repo, make_user):
    """alice owns public ``pub`` and private ``secret``, and pushed to both;
    bob may read ``pub`` only."""
    alice, bob = make_user("alice"), make_user("bob")
    pub = make_repo("pub", owner=alice)
    secret = make_repo("secret", owner=alice, private=True)
    push(pub, alice, "refs/heads/public-branch")
    push(secret, alice, "refs/heads/secret-branch")
    return {"alice": alice, "bob": bob, "pub": pub, "secret": secret}


def rss_titles(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    assert root.tag == "rss"
    return [i.find("title").text for i in root.find("channel").findall("item")]


def test_public_journal_shows_public_repositories_only(client, world):
    for who in (None, world["bob"], world["alice"]):
        if who is not None:
            client.force_login(who)
        text = client.get("/_admin/public_journal").content.decode()
        assert "public-branch" in text
        assert "secret" not in text, who


def test_public_journal_hides_a_repository_closed_to_everyone(client, world):
    """Default ``none``: not public, so not in the public journal, even for a
    user granted read (their own journal is where they see it)."""
    from lindos.repos.actions import do_set_permission, do_update_repository

    do_update_repository(world["pub"], default_permission="none")
    do_set_permission(world["pub"], world["bob"], "read")
    client.force_login(world["bob"])
    assert "public-branch" not in client.get("/_admin/public_journal").content.decode()
    client.logout()
    assert "public-branch" not in client.get("/_admin/public_journal").content.decode()


@pytest.mark.parametrize("path", ["/_admin/public_journal/rss", "/_admin/public_journal_rss"])
def test_public_journal_feed(client, world, path):
    titles = rss_titles(client.get(path).content)
    assert any(t.startswith("alice - pushed pub") for t in titles)
    assert not any("secret" in t for t in titles)


def test_public_journal_atom_feed_old_and_new_paths(client, world):
    for path in ("/_admin/public_journal/atom", "/_admin/public_journal_atom"):
        response = client.get(path)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
        assert b"secret" not in response.content


def test_journal_needs_a_login(client, world):
    response = client.get("/_admin/journal")
    assert response.status_code == 302 and "/_admin/login" in response["Location"]
    assert client.get("/_admin/journal/rss").status_code == 302


def test_journal_shows_followed_repositories(client, world):
    bob = world["bob"]
    client.force_login(bob)
    assert "public-branch" not in client.get("/_admin/journal").content.decode()
    UserFollowing.objects.create(user=bob, follows_repository=world["pub"])
    text = client.get("/_admin/journal").content.decode()
    assert "public-branch" in text and "secret-branch" not in text


def test_following_a_user_shows_only_what_the_follower_may_read(client, world):
    bob = world["bob"]
    UserFollowing.objects.create(user=bob, follows_user=world["alice"])
    client.force_login(bob)
    text = client.get("/_admin/journal").content.decode()
    assert "public-branch" in text
    assert "secret-branch" not in text and "/secret" not in text


def test_a_followed_private_repository_vanishes_when_access_goes(client, world, make_user):
    from lindos.repos.models import RepositoryPermission

    bob = world["bob"]
    grant = RepositoryPermission.objects.create(repository=world["secret"], user=bob, permission="read")
    UserFollowing.objects.create(user=bob, follows_repository=world["secret"])
    client.force_login(bob)
    assert "secret-branch" in client.get("/_admin/journal").content.decode()
    grant.delete()
    text = client.get("/_admin/journal").content.decode()
    assert "secret-branch" not in text and "secret" not in text


def test_journal_feed_with_an_api_key(client, world):
    alice = world["alice"]
    # alice follows her own repositories (she created them).
    titles = rss_titles(client.get("/_admin/journal/rss", {"api_key": alice.api_key}).content)
    assert any("secret" in t for t in titles) and any("pub" in t for t in titles)
    atom = client.get("/_admin/journal/atom", HTTP_AUTHORIZATION=f"Bearer {alice.api_key}")
    assert atom.status_code == 200 and b"secret" in atom.content


def test_journal_feed_of_a_user_without_access_shows_nothing_private(client, world):
    bob = world["bob"]
    UserFollowing.objects.create(user=bob, follows_user=world["alice"])
    # A follow of the private repository made while bob could read it.
    UserFollowing.objects.create(user=bob, follows_repository=world["secret"])
    body = client.get("/_admin/journal/rss", {"api_key": bob.api_key}).content
    assert b"secret" not in body
    assert any(t.startswith("alice - pushed pub") for t in rss_titles(body))


def test_journal_feed_with_a_wrong_key_is_403(client, world):
    assert client.get("/_admin/journal/rss", {"api_key": "f" * 40}).status_code == 403
    assert client.get("/_admin/journal/rss", {"api_key": "not a key"}).status_code == 403


def test_filter_by_repository_and_username(client, world, make_repo):
    alice = world["alice"]
    other = make_repo("other-pub", owner=alice)
    push(other, alice, "refs/heads/other-branch")
    text = client.get("/_admin/public_journal", {"filter": "repository:other-pub"}).content.decode()
    assert "other-branch" in text and "public-branch" not in text
    text = client.get("/_admin/public_journal", {"filter": "repository:*pub"}).content.decode()
    assert "other-branch" in text and "public-branch" in text
    text = client.get("/_admin/public_journal", {"filter": "username:nobody"}).content.decode()
    assert "No entries yet" in text
    # A filter never reaches a private repository.
    text = client.get("/_admin/public_journal", {"filter": "secret"}).content.decode()
    assert "secret-branch" not in text


@pytest.mark.parametrize("text", ["\x00", "x" * 100_000, "repository:" + "*" * 50, "<script>", "OR OR"])
def test_odd_filters_never_fail(client, world, text):
    response = client.get("/_admin/public_journal", {"filter": text})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</header>", 1)[1]


def test_filter_q_rules():
    assert filter_q("") is None
    assert str(filter_q("repository:a*")) == str(filter_q("a*"))
    assert "icontains" in str(filter_q("repository:*mid*"))
    assert "OR" in str(filter_q("a OR b"))
    assert "pk__in" in str(filter_q("color:red"))


def test_journal_pages_are_grouped_by_day_and_paged(client, world):
    for _ in range(25):
        push(world["pub"], world["alice"])
    first = client.get("/_admin/public_journal").content.decode()
    assert "Page 1 of 2" in first
    assert client.get("/_admin/public_journal", {"page": 2}).status_code == 200
    assert client.get("/_admin/public_journal", {"page": "-1"}).status_code == 200


def test_admin_log_is_for_admins_only(client, world, make_user):
    assert client.get("/_admin").status_code == 302
    client.force_login(world["bob"])
    assert client.get("/_admin").status_code == 404
    client.force_login(make_user("root", admin=True))
    response = client.get("/_admin")
    assert response.status_code == 200
    text = response.content.decode()
    assert "secret" in text and "pub" in text  # admins see every repository


def test_admin_log_merges_actions_and_journal_and_filters(client, world, make_user):
    bob = world["bob"]
    client.force_login(bob)
    client.post("/_admin/toggle_following", {"follows_repository_id": world["pub"].pk})
    client.force_login(make_user("root", admin=True))
    text = client.get("/_admin").content.decode()
    assert "started_following_repo" in text and "public-branch" in text
    text = client.get("/_admin", {"filter": "username:bob"}).content.decode()
    assert "started_following_repo" in text and "public-branch" not in text
    text = client.get("/_admin", {"filter": "repository:secret"}).content.decode()
    assert "started_following_repo" not in text and "secret-branch" in text

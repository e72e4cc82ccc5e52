"""Following (``lindos.activity.following``) and Kallithea's toggle
(``POST /_admin/toggle_following``), and the followers page."""

import pytest

from lindos.activity.models import ActionLog, UserFollowing


def toggle(client, **data):
    return client.post("/_admin/toggle_following", data)


def test_the_owner_of_a_new_repository_follows_it(make_repo, make_user):
    owner = make_user("owner")
    repo = make_repo("proj", owner=owner)
    assert UserFollowing.objects.filter(user=owner, follows_repository=repo).count() == 1


def test_toggle_follows_then_unfollows_a_repository(client, make_repo, make_user):
    repo = make_repo("proj")
    bob = make_user("bob")
    client.force_login(bob)
    response = toggle(client, follows_repository_id=repo.pk)
    assert response.status_code == 200 and response.content == b"ok"
    assert response["X-Following"] == "true"
    assert UserFollowing.objects.filter(user=bob, follows_repository=repo).exists()
    response = toggle(client, follows_repository_id=repo.pk)
    assert response["X-Following"] == "false"
    assert not UserFollowing.objects.filter(user=bob, follows_repository=repo).exists()
    actions = list(ActionLog.objects.filter(user=bob).values_list("action", "repository_name"))
    assert actions == [("stopped_following_repo", "proj"), ("started_following_repo", "proj")]


def test_toggle_from_the_form_goes_back(client, make_repo, make_user):
    repo = make_repo("proj")
    client.force_login(make_user("bob"))
    response = toggle(client, follows_repository_id=repo.pk, next="/proj/summary")
    assert response.status_code == 302 and response["Location"] == "/proj/summary"
    # Never to another site.
    response = toggle(client, follows_repository_id=repo.pk, next="https://evil.example.com/")
    assert response.status_code == 200


def test_follow_a_user(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    client.force_login(bob)
    assert toggle(client, follows_user_id=alice.pk)["X-Following"] == "true"
    assert UserFollowing.objects.filter(user=bob, follows_user=alice).exists()
    assert toggle(client, follows_user_id=alice.pk)["X-Following"] == "false"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"follows_repository_id": "abc"},
        {"follows_repository_id": "99999999"},
        {"follows_repository_id": "9" * 40},
        {"follows_repository_id": "1\x00"},
        {"follows_user_id": "-1"},
        {"follows_user_id": "<script>"},
    ],
)
def test_bad_targets_are_400(client, make_user, data):
    client.force_login(make_user("bob"))
    assert toggle(client, **data).status_code == 400


def test_a_private_repository_answers_like_a_missing_one(client, make_repo, make_user):
    secret = make_repo("secret", private=True)
    client.force_login(make_user("bob"))
    hidden = toggle(client, follows_repository_id=secret.pk)
    missing = toggle(client, follows_repository_id=secret.pk + 1000)
    assert hidden.status_code == missing.status_code == 400
    assert hidden.content == missing.content
    assert not UserFollowing.objects.filter(follows_repository=secret).exclude(user=secret.owner).exists()


def test_oneself_and_inactive_users_cannot_be_followed(client, make_user):
    bob = make_user("bob")
    gone = make_user("gone", active=False)
    client.force_login(bob)
    assert toggle(client, follows_user_id=bob.pk).status_code == 400
    assert toggle(client, follows_user_id=gone.pk).status_code == 400


def test_anonymous_cannot_toggle_and_get_is_refused(client, make_repo, make_user):
    repo = make_repo("proj")
    assert toggle(client, follows_repository_id=repo.pk).status_code == 403
    client.force_login(make_user("bob"))
    assert client.get("/_admin/toggle_following", {"follows_repository_id": repo.pk}).status_code == 405


def test_toggle_needs_the_csrf_token(make_repo, make_user):
    from django.test import Client

    repo = make_repo("proj")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("bob"))
    assert toggle(client, follows_repository_id=repo.pk).status_code == 403


def test_followers_page_lists_followers(client, make_repo, make_user):
    owner = make_user("owner")
    repo = make_repo("proj", owner=owner)
    bob = make_user("bob")
    UserFollowing.objects.create(user=bob, follows_repository=repo)
    UserFollowing.objects.create(user=make_user("gone", active=False), follows_repository=repo)
    response = client.get("/proj/followers")
    assert response.status_code == 200
    text = response.content.decode()
    assert "owner" in text and "bob" in text and "gone" not in text
    assert "data-follower-count>2<" in text


def test_followers_page_of_a_private_repository_is_404_to_others(client, make_repo, make_user):
    owner = make_user("owner")
    make_repo("secret", owner=owner, private=True)
    assert client.get("/secret/followers").status_code == 404
    client.force_login(make_user("stranger"))
    assert client.get("/secret/followers").status_code == 404
    client.force_login(owner)
    assert client.get("/secret/followers").status_code == 200


def test_followers_page_pages(client, make_repo, make_user):
    repo = make_repo("proj")
    for n in range(25):
        UserFollowing.objects.create(user=make_user(f"fan{n:02d}"), follows_repository=repo)
    first = client.get("/proj/followers").content.decode()
    second = client.get("/proj/followers", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "fan24" in second
    assert client.get("/proj/followers", {"page": "x" * 1000}).status_code == 200


def test_header_shows_follow_button_to_users_only(client, make_repo, make_user):
    make_repo("proj")
    anonymous = client.get("/proj/summary").content.decode()
    assert "toggle_following" not in anonymous and "Followers" in anonymous
    client.force_login(make_user("bob"))
    page = client.get("/proj/summary").content.decode()
    assert 'action="/_admin/toggle_following"' in page and ">Follow<" in page


def test_profile_has_a_follow_button_for_others(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    client.force_login(bob)
    page = client.get("/_profile/alice").content.decode()
    assert f'name="follows_user_id" value="{alice.pk}"' in page and ">Follow<" in page
    toggle(client, follows_user_id=alice.pk)
    assert ">Unfollow<" in client.get("/_profile/alice").content.decode()
    assert "follows_user_id" not in client.get("/_profile/bob").content.decode()

"""The admin log's own rows (``lindos.activity.log``): actions that are no
repository's journal, written where they happen, kept after their user or
repository is gone."""

from lindos.activity.models import ActionLog


def test_deleting_a_repository_is_logged_with_its_name(client, make_repo):
    repo = make_repo("group/doomed")
    client.force_login(repo.owner)
    client.post("/group/doomed/settings/delete", {"confirm": "group/doomed"})
    row = ActionLog.objects.get(action="admin_deleted_repo")
    assert (row.username, row.repository_name, row.address) == (
        repo.owner.username,
        "group/doomed",
        "127.0.0.1",
    )


def test_creating_and_updating_users_is_logged(client, make_user):
    admin = make_user("root", admin=True)
    client.force_login(admin)
    client.post(
        "/_admin/users/new",
        {"username": "carol", "email": "carol@example.com", "is_active": "on", "password": "carols-password"},
    )
    assert ActionLog.objects.filter(action="admin_created_user", detail="carol", user=admin).exists()
    carol = admin.__class__.objects.get(username="carol")
    client.post(
        f"/_admin/users/{carol.pk}/edit",
        {"username": "carol", "email": "carol@example.com", "first_name": "Carol", "is_active": "on"},
    )
    assert ActionLog.objects.filter(action="admin_updated_user", detail="carol").exists()
    text = client.get("/_admin").content.decode()
    assert "admin_created_user carol" in text


def test_a_log_line_outlives_its_user(make_user, make_repo):
    from lindos.activity.log import record_action

    bob = make_user("bob")
    record_action(bob, "started_following_repo", repository=make_repo("proj"))
    bob.delete()
    row = ActionLog.objects.get()
    assert row.user is None and row.username == "bob" and row.repository_name == "proj"

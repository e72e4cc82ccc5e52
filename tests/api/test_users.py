"""get_user(s), create/update/delete_user over HTTP, with permission cases,
in the shape of Kallithea's api.rst examples."""

from lindos.accounts.models import User

USER_FIELDS = {
    "user_id",
    "username",
    "firstname",
    "lastname",
    "email",
    "emails",
    "active",
    "admin",
    "extern_type",
    "extern_name",
    "api_key",
    "api_keys",
    "last_login",
    "ip_addresses",
}


def test_get_user_shape_is_api_rst_s(api, alice):
    result = api.ok(alice.api_key, "get_user")
    assert set(result) == USER_FIELDS | {"permissions"}
    assert result["username"] == "alice" and result["api_key"] == alice.api_key
    assert set(result["permissions"]) >= {"global", "repositories", "repositories_groups"}
    assert "hg.admin" not in result["permissions"]["global"]


def test_get_user_of_someone_else(api, alice, bob, admin):
    assert api.error(alice.api_key, "get_user", userid="bob") == "userid is not the same as your user"
    assert api.error(alice.api_key, "get_user", userid=bob.pk) == "userid is not the same as your user"
    assert api.ok(alice.api_key, "get_user", userid=alice.pk)["username"] == "alice"
    assert api.ok(admin.api_key, "get_user", userid="bob")["user_id"] == bob.pk
    assert api.ok(admin.api_key, "get_user", userid=str(bob.pk))["username"] == "bob"
    assert api.error(admin.api_key, "get_user", userid="trololo") == "user `trololo` does not exist"


def test_permissions_list_repository_levels(api, alice, bob, make_repo):
    make_repo("open", owner=bob)
    make_repo("secret", owner=bob, private=True)
    make_repo("mine", owner=alice)
    repos = api.ok(alice.api_key, "get_user")["permissions"]["repositories"]
    assert repos["open"] == "repository.read"
    assert repos["secret"] == "repository.none"
    assert repos["mine"] == "repository.admin"


def test_get_users_is_admin_only(api, alice, admin):
    assert api.error(alice.api_key, "get_users") == "no permission to call `get_users`: it needs admin rights"
    names = [u["username"] for u in api.ok(admin.api_key, "get_users")]
    assert names == sorted(names) and {"alice", "boss"} <= set(names)


def test_create_user_as_api_rst_shows(api, admin, alice):
    result = api.ok(
        admin.api_key,
        "create_user",
        username="carol",
        email="carol@example.com",
        password="pw-carol-123",
        firstname="Carol",
        lastname="C",
        active=True,
        admin=False,
    )
    assert result["msg"] == "created new user `carol`"
    assert result["user"]["username"] == "carol" and result["user"]["firstname"] == "Carol"
    carol = User.objects.get(username="carol")
    assert carol.check_password("pw-carol-123")
    assert (
        api.error(admin.api_key, "create_user", username="CAROL", email="x@example.com")
        == "user `CAROL` already exist"
    )
    assert (
        api.error(admin.api_key, "create_user", username="dave", email="Carol@example.com")
        == "email `Carol@example.com` already exist"
    )
    assert (
        api.error(admin.api_key, "create_user", username="<script>", email="s@example.com")
        == "failed to create user `<script>`"
    )
    assert (
        api.error(admin.api_key, "create_user", username="eve", email="not an address")
        == "failed to create user `eve`"
    )
    assert (
        api.error(alice.api_key, "create_user", username="mallory", email="m@example.com")
        == "no permission to call `create_user`: it needs admin rights"
    )
    assert not User.objects.filter(username__in=["mallory", "dave", "eve"]).exists()


def test_update_user(api, admin, alice, bob):
    result = api.ok(
        admin.api_key,
        "update_user",
        userid="alice",
        firstname="Alice",
        email="alice2@example.com",
        password="new-pw-xyz",
    )
    assert result["msg"] == f"updated user ID:{alice.pk} alice"
    alice.refresh_from_db()
    assert alice.first_name == "Alice" and alice.email == "alice2@example.com"
    assert alice.check_password("new-pw-xyz")
    assert (
        api.error(admin.api_key, "update_user", userid="alice", email="bob@example.com")
        == "failed to update user `alice`"
    )
    assert (
        api.error(admin.api_key, "update_user", userid="boss", admin=False) == "failed to update user `boss`"
    )
    assert (
        api.error(bob.api_key, "update_user", userid="bob", admin=True)
        == "no permission to call `update_user`: it needs admin rights"
    )
    assert not User.objects.get(pk=bob.pk).is_superuser


def test_delete_user(api, admin, alice, bob, make_repo):
    make_repo("owned", owner=bob)
    assert (
        api.error(alice.api_key, "delete_user", userid="bob")
        == "no permission to call `delete_user`: it needs admin rights"
    )
    assert api.error(admin.api_key, "delete_user", userid="bob") == f"failed to delete user ID:{bob.pk} bob"
    assert api.ok(admin.api_key, "delete_user", userid="alice") == {
        "msg": f"deleted user ID:{alice.pk} alice",
        "user": None,
    }
    assert not User.objects.filter(pk=alice.pk).exists()

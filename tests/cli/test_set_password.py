"""``lindos set-password``: the way back in for an admin who forgot the
password, with the web form's rules."""

import pytest

from tests.cli.test_commands import config, lindos, migrated_site, run_on_terminal  # noqa: F401


def log_in_works(config_path, username, password) -> bool:
    import sqlite3

    from django.contrib.auth.hashers import check_password

    db = sqlite3.connect(config_path.parent / "data" / "lindos.db")
    (encoded,) = db.execute("select password from accounts_user where username = ?", (username,)).fetchone()
    return check_password(password, encoded)


@pytest.fixture
def admin(config):  # noqa: F811
    result = lindos(
        "create-user",
        "-c",
        str(config),
        "--username",
        "boss",
        "--email",
        "boss@example.com",
        "--password",
        "old-password",
        "--admin",
    )
    assert result.returncode == 0, result.stderr
    return config


def test_set_password_changes_it(admin):
    result = lindos("set-password", "-c", str(admin), "BOSS", "--password", "new-password")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Password of boss changed.\n"
    assert log_in_works(admin, "boss", "new-password")
    assert not log_in_works(admin, "boss", "old-password")


@pytest.mark.parametrize(
    "args,message",
    [
        (["nobody", "--password", "new-password"], "no such user: 'nobody'"),
        (
            ["boss", "--password", "short"],
            "password: This password is too short. It must contain at least 6 characters.",
        ),
        (["boss"], "--password is required"),
    ],
)
def test_set_password_refusals_change_nothing(admin, args, message):
    result = lindos("set-password", "-c", str(admin), *args)
    assert result.returncode == 1
    assert result.stderr == f"lindos: error: {message}\n"
    assert log_in_works(admin, "boss", "old-password")


def test_set_password_asks_twice_on_a_terminal(admin):
    code, shown = run_on_terminal(
        ["set-password", "-c", str(admin), "boss"],
        [("New password:", "typed-password"), ("New password (again):", "typed-password")],
    )
    assert code == 0, shown
    assert "typed-password" not in shown
    assert log_in_works(admin, "boss", "typed-password")

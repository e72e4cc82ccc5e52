"""What a later ``lindos serve`` start says about logging in."""

import pytest

from lindos.cli.login_hint import build_login_hint, login_hint


def test_names_the_admins_and_the_way_back_in():
    assert build_login_hint(["admin"]) == (
        "Log in with an admin account (admin); forgotten password: lindos set-password USERNAME."
    )
    assert build_login_hint(["a", "b", "c", "d"]).startswith("Log in with an admin account (a, b, c, ...); ")


def test_without_an_admin_says_how_to_make_one():
    assert build_login_hint([]) == "No active admin account: create one with: lindos create-user --admin"


@pytest.mark.django_db(transaction=True)  # login_hint closes its connection
def test_reads_active_admins_only(django_user_model):
    django_user_model.objects.create_user("plain", "p@example.com", "pw123456")
    django_user_model.objects.create_user(
        "gone", "g@example.com", "pw123456", is_superuser=True, is_active=False
    )
    assert login_hint().startswith("No active admin account")
    django_user_model.objects.create_user("root", "r@example.com", "pw123456", is_superuser=True)
    assert login_hint().startswith("Log in with an admin account (root); ")

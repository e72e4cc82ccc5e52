"""The shared "grant to a user or a user group" form."""

import pytest

from lindos.accounts.grant_forms import UserOrUserGroupGrantForm
from lindos.accounts.user_groups import do_create_user_group, do_set_user_group_default
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def clean(actor, **data):
    form = UserOrUserGroupGrantForm(data, actor=actor)
    return form.is_valid(), form.cleaned_data if form.is_valid() else form.non_field_errors()


def test_a_user_or_a_readable_group_and_nothing_else(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    devs = do_create_user_group(name="devs", owner=bob)
    hidden = do_create_user_group(name="hidden", owner=bob)
    do_set_user_group_default(hidden, "none")

    ok, data = clean(alice, username="BOB")
    assert ok and data["user"] == bob
    ok, data = clean(alice, user_group="Devs")
    assert ok and data["group"] == devs
    assert clean(alice, username="bob", user_group="devs") == (False, ["Name either a user or a user group."])
    assert clean(alice) == (False, ["Name either a user or a user group."])
    assert clean(alice, username="nobody") == (False, ["There is no user 'nobody'."])
    # One alice may not read answers as one that does not exist.
    assert clean(alice, user_group="hidden") == (False, ["There is no active user group 'hidden'."])
    assert clean(alice, user_group="nope") == (False, ["There is no active user group 'nope'."])
    ok, data = clean(bob, user_group="hidden")
    assert ok and data["group"] == hidden

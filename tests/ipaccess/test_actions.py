import pytest
from django.core.exceptions import ValidationError

from lindos.ipaccess import actions
from lindos.ipaccess.actions import do_add_network, do_delete_network
from lindos.ipaccess.models import AllowedNetwork


def test_add_keeps_one_spelling_per_network_and_list(make_user):
    alice = make_user("alice")
    assert do_add_network(alice, "10.1.2.3/8").network == "10.0.0.0/8"
    with pytest.raises(ValidationError, match=r"10\.0\.0\.0/8 is already allowed"):
        do_add_network(alice, "10.0.0.0/8")
    # The same network on another list is another entry.
    do_add_network(None, "10.0.0.0/8")
    do_add_network(make_user("bob"), "10.0.0.0/8")
    with pytest.raises(ValidationError, match="already allowed"):
        do_add_network(None, "10.9.9.9/8")
    assert AllowedNetwork.objects.count() == 3


def test_a_bad_network_is_a_validation_error(make_user):
    with pytest.raises(ValidationError, match="valid IPv4 or IPv6"):
        do_add_network(make_user(), "10.0.0.300")
    assert not AllowedNetwork.objects.exists()


def test_a_list_is_bounded(make_user, monkeypatch):
    monkeypatch.setattr(actions, "MAX_ENTRIES", 5)
    alice = make_user("alice")
    for i in range(5):
        do_add_network(alice, f"10.0.0.{i}")
    with pytest.raises(ValidationError, match="at most 5 entries"):
        do_add_network(alice, "10.0.0.9")
    do_add_network(None, "10.0.0.9")  # another list is not full
    assert AllowedNetwork.objects.filter(user=alice).count() == 5


def test_delete_touches_only_the_named_list(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    mine = do_add_network(alice, "10.0.0.0/8")
    theirs = do_add_network(bob, "10.0.0.0/8")
    default = do_add_network(None, "192.0.2.0/24")
    assert do_delete_network(alice, theirs.pk) is None  # bob's entry through alice's list
    assert do_delete_network(alice, default.pk) is None  # the default list through alice's
    assert do_delete_network(None, mine.pk) is None  # alice's through the default list
    for forged in ("", "x", "-1", "1e3", " 1", "9" * 40, None, "١"):
        assert do_delete_network(alice, forged) is None
    assert AllowedNetwork.objects.count() == 3
    assert do_delete_network(alice, str(mine.pk)).network == "10.0.0.0/8"
    assert do_delete_network(None, default.pk).network == "192.0.2.0/24"
    assert list(AllowedNetwork.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_deleting_the_account_deletes_its_entries(make_user):
    alice = make_user("alice")
    do_add_network(alice, "10.0.0.0/8")
    do_add_network(None, "10.0.0.0/8")
    alice.delete()
    assert list(AllowedNetwork.objects.values_list("user", "network")) == [(None, "10.0.0.0/8")]

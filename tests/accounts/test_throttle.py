"""The login throttle's policy (lindos.accounts.throttle), on the real
database counters.  The login paths using it are tested with their real
clients: tests/accounts/test_login.py (web), tests/transport (git)."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from lindos.accounts import throttle
from lindos.accounts.models import RateCounter

pytestmark = pytest.mark.django_db

A, B = "203.0.113.5", "198.51.100.7"


def fail(n, username="alice", address=A, channel="web"):
    for _ in range(n):
        throttle.record_failure(username, address, channel)


def test_ten_failures_refuse_that_account_from_that_address_only():
    fail(9)
    assert throttle.check("alice", A, "web") is None
    fail(1)
    refusal = throttle.check("alice", A, "web")
    assert refusal.scope == "pair" and 14 * 60 < refusal.retry_after <= 15 * 60
    assert refusal.message == (
        "Too many failed logins for this account from your address. Try again in 15 minutes."
    )
    assert throttle.check("alice", B, "web") is None  # the owner elsewhere
    assert throttle.check("bob", A, "web") is None  # another account here


def test_counters_are_shared_by_every_channel_and_ignore_case():
    fail(4, channel="web")
    fail(3, username="ALICE", channel="git")
    fail(3, username=" Alice", channel="hg")
    for channel in throttle.CHANNELS:
        assert throttle.check("alice", A, channel).scope == "pair"


def test_unknown_usernames_are_throttled_exactly_like_real_ones(django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.com", "pw")
    fail(10, username="alice")
    fail(10, username="nobody-at-all")
    assert throttle.check("alice", A, "git") == throttle.check("nobody-at-all", A, "git")


def test_a_success_clears_the_failures_of_its_address():
    fail(9)
    throttle.record_success("alice", A, "web")
    fail(9)
    assert throttle.check("alice", A, "web") is None


def test_the_refusal_ends_with_its_window():
    fail(10)
    assert throttle.check("alice", A, "web") is not None
    RateCounter.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert throttle.check("alice", A, "web") is None
    fail(1)
    assert throttle.check("alice", A, "web") is None  # a new window, counting from 1


def test_spraying_many_accounts_from_one_address_refuses_it_but_not_known_users():
    throttle.record_success("carol", A, "web")  # carol logs in from here (an office NAT)
    for n in range(30):
        fail(1, username=f"victim{n}")
    refusal = throttle.check("dave", A, "web")
    assert refusal.scope == "address"
    assert refusal.message == "Too many failed logins from your address. Try again in 15 minutes."
    assert throttle.check("carol", A, "web") is None
    assert throttle.check("dave", B, "web") is None


def test_a_distributed_attack_refuses_new_addresses_but_not_known_ones():
    throttle.record_success("alice", A, "web")
    for n in range(10):
        fail(10, address=f"192.0.2.{n}")
    refusal = throttle.check("alice", B, "web")
    assert refusal.scope == "account"
    assert "Log in from an address you used before" in refusal.message
    assert throttle.check("alice", A, "web") is None  # the owner's usual address
    assert throttle.check("bob", B, "web") is None


def test_refused_attempts_are_not_counted_as_failures():
    # One address cannot push the account towards its global limit: once
    # refused there, its attempts check nothing and count for nothing.
    fail(10)
    for _ in range(200):
        assert throttle.check("alice", A, "web") is not None
    counts = dict(RateCounter.objects.values_list("key", "count"))
    from lindos.accounts.ratelimit import counter_key

    assert counts[counter_key("login-account", "alice")] == 10


def test_ipv6_addresses_count_by_their_64():
    fail(10, address="2001:db8:1:2::1")
    assert throttle.check("alice", "2001:db8:1:2:ffff::9", "web").scope == "pair"
    assert throttle.check("alice", "2001:db8:1:3::1", "web") is None
    fail(10, address="::ffff:203.0.113.9")
    assert throttle.check("alice", "203.0.113.9", "web").scope == "pair"


@pytest.mark.parametrize("username", ["", "x" * 5000, "a\nb", "é\x00\udcff", "<script>"])
def test_odd_usernames_and_addresses_are_counted(username):
    for address in (None, "", "not an address", "999.1.1.1"):
        fail(10, username=username, address=address)
        assert throttle.check(username, address, "api").scope == "pair"


def test_log_lines(caplog):
    caplog.set_level(logging.INFO, logger="lindos.accounts.throttle")
    fail(10, username="mal\nlory")
    throttle.check("mal\nlory", A, "git")
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert messages[0] == ("INFO", f"login failed: channel=web username='mal\\nlory' address={A}")
    assert (
        "WARNING",
        f"login throttled: 10 failures in 900 s (pair limit): channel=web username='mal\\nlory' address={A}",
    ) in messages
    level, last = messages[-1]
    assert level == "INFO" and last.startswith("login refused, too many failures (pair limit, ")
    assert last.endswith(f"channel=git username='mal\\nlory' address={A}")
    assert all("\n" not in m for _, m in messages)


def test_an_unknown_channel_is_a_programming_error():
    with pytest.raises(AssertionError):
        throttle.check("alice", A, "telnet")

"""The counters under throttling and mail limits (lindos.accounts.ratelimit),
on the real database: atomic across connections, windows that end, keys
that never hold what was typed."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from lindos.accounts import ratelimit
from lindos.accounts.models import RateCounter
from lindos.accounts.ratelimit import Limit, client_network


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_from_separate_connections_are_all_counted():
    """Several processes share the table: each thread here has its own
    database connection, as each ``lindos serve`` process would."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection")
    errors = []

    def hammer():
        try:
            for _ in range(25):
                ratelimit.hit("test", "shared", 600)
        except Exception as exc:  # reported below, with its type
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ratelimit.peek(("test", "shared"))[("test", "shared")][0] == 200


@pytest.mark.django_db
def test_a_window_counts_up_then_starts_again():
    limit = Limit("test", 3, 600)
    assert [ratelimit.exceeded(limit, "x") for _ in range(3)] == [0, 0, 0]
    wait = ratelimit.exceeded(limit, "x")
    assert 590 <= wait <= 600
    RateCounter.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert ratelimit.peek(("test", "x")) == {}
    assert ratelimit.exceeded(limit, "x") == 0
    assert ratelimit.peek(("test", "x"))[("test", "x")][0] == 1


@pytest.mark.django_db
def test_keys_are_digests_of_scope_and_identity():
    ratelimit.hit("login-pair", "alice\x00203.0.113.5", 600)
    ratelimit.remember("login-known", "alice\x00203.0.113.5", 600)
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all(len(k) == 64 and "alice" not in k for k in keys)
    ratelimit.forget("login-known", "alice\x00203.0.113.5")
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db
def test_old_counters_are_purged_now_and_then(monkeypatch):
    RateCounter.objects.create(key="old", count=5, expires=timezone.now() - timedelta(hours=2))
    monkeypatch.setattr(ratelimit, "PURGE_ONE_IN", 1)
    ratelimit.hit("test", "x", 600)
    assert list(RateCounter.objects.values_list("key", flat=True)) == [ratelimit.counter_key("test", "x")]


@pytest.mark.parametrize(
    "address, network",
    [
        ("203.0.113.5", "203.0.113.5"),
        (" 203.0.113.5 ", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::1", "::/64"),
        ("", "unknown"),
        (None, "unknown"),
        ("localhost", "unknown"),
        ("1.2.3.4\n", "1.2.3.4"),
    ],
)
def test_client_network(address, network):
    assert client_network(address) == network


@pytest.mark.django_db
def test_hit_many_counts_each_in_one_go_and_a_new_window_keeps_its_end():
    first = ratelimit.hit_many([("a", "x", 600), ("b", "x", 60)])
    second = ratelimit.hit_many([("a", "x", 600), ("b", "x", 60)])
    assert [count for count, _ in first] == [1, 1] and [count for count, _ in second] == [2, 2]
    assert [end for _, end in first] == [end for _, end in second]  # the window does not slide
    assert 590 <= ratelimit.seconds_until(first[0][1]) <= 600
    assert 50 <= ratelimit.seconds_until(first[1][1]) <= 60


@pytest.mark.django_db
def test_give_back_takes_one_from_that_window_only_and_never_below_zero():
    ((count, end),) = ratelimit.hit_many([("a", "x", 600)])
    ratelimit.hit("a", "x", 600)
    ratelimit.give_back([("a", "x", end)])
    assert ratelimit.peek(("a", "x"))[("a", "x")][0] == 1
    ratelimit.give_back([("a", "x", end)] * 3)
    assert ratelimit.peek(("a", "x"))[("a", "x")][0] == 0
    ratelimit.give_back([("a", "x", end + timedelta(seconds=1))])  # another window: untouched
    ratelimit.hit("a", "x", 600)
    ratelimit.give_back([("a", "x", end - timedelta(seconds=1))])
    assert ratelimit.peek(("a", "x"))[("a", "x")][0] == 1

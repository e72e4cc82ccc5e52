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
        attempt = throttle.begin(username, address, channel)
        if attempt.refusal is None:
            attempt.failed()


def succeed(username="alice", address=A, channel="web"):
    attempt = throttle.begin(username, address, channel)
    assert attempt.refusal is None
    attempt.succeeded(username)


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
    succeed("alice", A)
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
    succeed("carol", A)  # carol logs in from here (an office NAT)
    for n in range(30):
        fail(1, username=f"victim{n}")
    refusal = throttle.check("dave", A, "web")
    assert refusal.scope == "address"
    assert refusal.message == "Too many failed logins from your address. Try again in 15 minutes."
    assert throttle.check("carol", A, "web") is None
    assert throttle.check("dave", B, "web") is None


def test_a_distributed_attack_refuses_new_addresses_but_not_known_ones():
    succeed("alice", A)
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


def test_attempts_in_flight_hold_reservations_so_the_next_is_refused():
    in_flight = [throttle.begin("alice", A, "web") for _ in range(10)]
    assert all(attempt.refusal is None for attempt in in_flight)
    refused = throttle.begin("alice", A, "git")
    assert refused.refusal.scope == "pair"
    # The refused one gave its count back: the ten in flight are all there is.
    from lindos.accounts.ratelimit import counter_key

    counts = dict(RateCounter.objects.values_list("key", "count"))
    assert counts[counter_key("login-pair", f"alice\0{A}")] == 10
    assert counts[counter_key("login-account", "alice")] == 10
    # Those in flight give back when their outcome is not a failure.
    in_flight[0].abandoned()  # the directory did not answer
    assert throttle.check("alice", A, "web") is None
    retry = throttle.begin("alice", A, "web")
    assert retry.refusal is None
    assert throttle.begin("alice", A, "web").refusal is not None
    for attempt in in_flight[1:]:
        attempt.failed()
    retry.failed()
    assert throttle.check("alice", A, "web").scope == "pair"


def test_a_success_gives_back_its_reservation_everywhere():
    from lindos.accounts.ratelimit import counter_key

    fail(3, address=B)
    succeed("alice", A)
    counts = dict(RateCounter.objects.values_list("key", "count"))
    assert counts[counter_key("login-account", "alice")] == 3  # B's failures, not the success
    assert counts[counter_key("login-address", A)] == 0
    assert counts.get(counter_key("login-pair", f"alice\0{A}"), 0) == 0


def test_a_success_under_another_spelling_clears_the_failures_of_the_stored_name():
    fail(9)
    attempt = throttle.begin(" ALICE", A, "web")
    attempt.succeeded("alice")
    fail(9)
    assert throttle.check("alice", A, "web") is None


def test_a_give_back_never_reaches_into_the_next_window():
    attempt = throttle.begin("alice", A, "web")
    RateCounter.objects.update(expires=timezone.now() - timedelta(seconds=1))
    fail(2)  # a new window, counting from 1
    attempt.abandoned()
    from lindos.accounts.ratelimit import counter_key

    counts = dict(RateCounter.objects.values_list("key", "count"))
    assert counts[counter_key("login-pair", f"alice\0{A}")] == 2


def test_an_attempt_that_ends_in_an_error_stays_a_failure():
    for _ in range(10):
        throttle.begin("alice", A, "web")  # no outcome: an exception half-way
    assert throttle.check("alice", A, "web").scope == "pair"


# Real parallel attempts: `lindos serve` (two processes of eight threads,
# Django's real PBKDF2 hasher, so a check takes long enough for many to be
# in flight at once) on each database.  Threads send one wrong guess each,
# together, round after round; exactly the limit's number must be checked
# (401, or the login form again) and every other one refused (429).

ROUNDS, CLIENTS = 3, 16


@pytest.fixture
def served_home(database_url, tmp_path):
    from tests.background.harness import LindosHome
    from tests.services import wait_for_port

    home = LindosHome(tmp_path / "home", database_url)
    home.run("db-upgrade")
    for name in ("webuser", "gituser", "hguser"):
        home.run(
            "create-user", "--username", name, "--email", f"{name}@example.com", "--password", "right-pw"
        )
    home.run("repo-create", "secret-git", "--type", "git", "--owner", "gituser", "--private")
    home.run("repo-create", "secret-hg", "--type", "hg", "--owner", "hguser", "--private")
    process = home.start("serve", "serve", "--threads", "8", "--workers", "2")
    try:
        wait_for_port(home.port, 90, process.proc, process.log_path)
        yield home
    finally:
        home.stop_all()


def _together(send) -> list[int]:
    """Statuses of CLIENTS threads calling send(i) at once, ROUNDS times."""
    import threading

    statuses, lock = [], threading.Lock()
    for round_ in range(ROUNDS):
        barrier = threading.Barrier(CLIENTS)

        def client(i, round_=round_, barrier=barrier):
            barrier.wait()
            status = send(round_ * CLIENTS + i)
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return statuses


def _basic(home, path, username, password) -> int:
    import base64
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", home.port, timeout=120)
    auth = base64.b64encode(f"{username}:{password}".encode()).decode()
    conn.request("GET", path, headers={"Authorization": f"Basic {auth}"})
    status = conn.getresponse().status
    conn.close()
    return status


def _web_login(home, username, password) -> int:
    import urllib.error

    from tests.background.harness import Browser

    browser = Browser(home.base_url)
    try:
        status, body = browser.post_form("/_admin/login", {"username": username, "password": password})
    except urllib.error.HTTPError as exc:
        return exc.code
    assert "Wrong username or password" in body
    return 401  # the form again: checked and wrong


def test_parallel_guesses_check_exactly_the_limit_on_every_database(served_home):
    home = served_home
    sends = {
        "web": lambda i: _web_login(home, "webuser", f"guess-{i}"),
        "git": lambda i: _basic(
            home, "/secret-git/info/refs?service=git-upload-pack", "gituser", f"guess-{i}"
        ),
        "hg": lambda i: _basic(home, "/secret-hg?cmd=capabilities", "hguser", f"guess-{i}"),
    }
    for channel, send in sends.items():
        statuses = _together(send)
        assert sorted(set(statuses)) == [401, 429], (channel, statuses)
        assert statuses.count(401) == throttle.PAIR.limit, (channel, statuses)
    failed = home.log_lines(r"login failed: ")
    assert len(failed) == 3 * throttle.PAIR.limit
    # Thirty failures from this address: its own limit is reached, exactly.
    assert _basic(home, "/secret-git/info/refs?service=git-upload-pack", "someone-new", "x") == 429
    assert home.error_lines() == []

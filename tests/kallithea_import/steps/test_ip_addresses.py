"""Kallithea's ``user_ip_map`` (the committed fixtures have no rows: they are
added to a copy of the SQLite one, as Kallithea's Admin > Users > IP
addresses and Admin > Permissions > IP addresses pages write them)."""

from lindos.ipaccess.access import is_allowed
from lindos.ipaccess.models import AllowedNetwork
from lindos.kallithea_import.runner import do_import
from lindos.kallithea_import.steps.ip_addresses import INACTIVE, KIND
from tests.kallithea_import.test_runner import alter

ROWS = [
    # ip_id, user_id, ip_addr, active
    (1, 1, "192.0.2.0/24", 1),  # the default user: everyone
    (2, 3, "10.0.0.0/8", 1),  # alice
    (3, 3, "2001:db8::1/128", 1),
    (4, 4, "10.1.2.3/8", 0),  # bob: host bits, and the flag off (Kallithea 0.7 enforced it)
    (5, 4, "10.0.0.0/8", 1),  # bob: the same network spelled Kallithea's other way
    (6, 4, "not-an-ip", 1),
    (7, 2, "127.0.0.1/32", 1),  # admin
]


def add_rows(db):
    alter(
        db,
        *[
            f"INSERT INTO user_ip_map (ip_id, user_id, ip_addr, active) VALUES ({i}, {u}, '{a}', {f})"
            for i, u, a, f in ROWS
        ],
    )


def lists():
    out = {}
    for username, network in AllowedNetwork.objects.values_list("user__username", "network"):
        out.setdefault(username, set()).add(network)
    return out


def test_rows_become_lists_and_are_enforced(sqlite_ini, sqlite_fixture, repo_root, transactional_db, client):
    add_rows(sqlite_fixture)
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert lists() == {
        None: {"192.0.2.0/24"},
        "alice": {"10.0.0.0/8", "2001:db8::1/128"},
        "bob": {"10.0.0.0/8"},
        "admin": {"127.0.0.1/32"},
    }
    assert summary.imported[KIND] == 5
    assert summary.already[KIND] == 1  # bob's two spellings of one network
    assert summary.imported[INACTIVE] == 1
    skipped = [(row, why) for kind, row, why in summary.skipped if kind == KIND]
    assert skipped == [("'not-an-ip' of user #4", skipped[0][1])]
    assert "valid IPv4 or IPv6" in skipped[0][1]
    assert not [n for n in summary.not_imported if "IP" in n[0]]
    # What the lists mean after the move: alice only from 10/8, 192.0.2/24 or her IPv6 address.
    from lindos.accounts.models import User

    alice, erin = User.objects.get(username="alice"), User.objects.get(username="erin")
    assert not is_allowed(alice, "127.0.0.1") and is_allowed(alice, "10.9.9.9")
    assert is_allowed(alice, "2001:db8::1") and is_allowed(alice, "192.0.2.5")
    assert not is_allowed(erin, "127.0.0.1") and is_allowed(erin, "192.0.2.5")  # the default list
    client.force_login(alice)
    assert client.get("/").status_code == 403
    assert client.get("/", REMOTE_ADDR="10.0.0.7").status_code == 200


def test_a_second_import_adds_nothing_twice(sqlite_ini, sqlite_fixture, repo_root, transactional_db):
    add_rows(sqlite_fixture)
    do_import(sqlite_ini, repos=str(repo_root))
    before = lists()
    alter(sqlite_fixture, "INSERT INTO user_ip_map (ip_id, user_id, ip_addr, active) VALUES (8, 7, '::1', 1)")
    summary, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert summary.already[KIND] == 6 and summary.imported[KIND] == 1
    assert lists() == {**before, "erin": {"::1/128"}}


def test_rows_of_users_not_imported_are_skipped(sqlite_ini, sqlite_fixture, repo_root, transactional_db):
    add_rows(sqlite_fixture)
    alter(sqlite_fixture, "UPDATE users SET email = NULL WHERE username = 'alice'")  # alice is skipped
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    skipped = [(row, why) for kind, row, why in summary.skipped if kind == KIND]
    assert ("'10.0.0.0/8' of user #3", "its user was not imported") in skipped
    assert "alice" not in lists()


def test_no_rows_no_lines(sqlite_ini, repo_root, transactional_db):
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert not AllowedNetwork.objects.exists()
    assert summary.imported.get(KIND, 0) == 0 and INACTIVE not in summary.imported

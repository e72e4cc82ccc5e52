"""My Account > SSH keys and the admin's page for any user."""

import dataclasses

import pytest

from lindos.ssh.models import SshKey
from tests.sshd import keygen


@pytest.fixture
def ssh_on(settings, tmp_path):
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS, ssh_enabled=True, ssh_authorized_keys=str(tmp_path / "ak" / "authorized_keys")
    )
    return settings.LINDOS


@pytest.fixture
def pub(tmp_path):
    counter = iter(range(1000))

    def make(comment="me@laptop", **kw):
        return keygen(tmp_path / f"k{next(counter)}", comment=comment, **kw)

    return make


URL = "/_admin/my_account/ssh_keys"


def test_add_list_delete(ssh_on, make_user, client, pub):
    alice = make_user("alice")
    client.force_login(alice)
    assert "No SSH keys have been added." in client.get(URL).content.decode()
    response = client.post(URL, {"public_key": pub(), "description": "Work laptop"}, follow=True)
    key = SshKey.objects.get(user=alice)
    page = response.content.decode()
    assert f"SSH key SHA256:{key.fingerprint} added." in page
    assert f"SHA256:{key.fingerprint}" in page and "Work laptop" in page and "Never" in page
    assert f' {alice.pk} {key.pk}",no-port-forwarding' in open(ssh_on.ssh_authorized_keys).read()

    response = client.post(URL + "/delete", {"del_public_key_fingerprint": key.fingerprint}, follow=True)
    assert "SSH key deleted." in response.content.decode()
    assert not SshKey.objects.exists()
    assert 'command="' not in open(ssh_on.ssh_authorized_keys).read()


def test_description_defaults_to_comment_and_is_escaped(ssh_on, make_user, client, pub):
    client.force_login(make_user("alice"))
    client.post(URL, {"public_key": pub(comment="alice@<b>box</b>"), "description": ""})
    assert SshKey.objects.get().description == "alice@<b>box</b>"
    page = client.get(URL).content.decode()
    assert "alice@&lt;b&gt;box&lt;/b&gt;" in page and "<b>box" not in page
    client.post(URL, {"public_key": pub(), "description": "a\nb\tc<script>"})
    assert SshKey.objects.last().description == "a b c<script>"
    assert "<script>" not in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "case, message",
    [
        ("private", "This is a private key."),
        ("dsa", "DSA keys are no longer accepted"),
        ("short-rsa", "at least 2048 are needed"),
        ("junk", "This is too long for a public key"),
        ("truncated", "cut short"),
    ],
)
def test_bad_keys_are_refused_with_a_message(ssh_on, make_user, client, pub, tmp_path, case, message):
    client.force_login(make_user("alice"))
    text = {
        "private": lambda: (pub(), (tmp_path / "k0").read_text())[1],
        "dsa": lambda: (
            "ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq"
        ),
        "short-rsa": lambda: pub(kind="rsa", bits=1024),
        "junk": lambda: "ssh-ed25519 " + "A" * 8192,
        "truncated": lambda: pub()[:60],
    }[case]()
    response = client.post(URL, {"public_key": text, "description": "x"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SshKey.objects.exists()


def test_duplicate_keys(ssh_on, make_user, client, pub):
    alice, bob = make_user("alice"), make_user("bob")
    key = pub()
    client.force_login(alice)
    client.post(URL, {"public_key": key})
    page = client.post(URL, {"public_key": key}).content.decode()
    assert "is already on this account." in page
    client.force_login(bob)
    page = client.post(URL, {"public_key": key + " other comment"}).content.decode()
    assert "is already used by another account." in page
    assert "alice" not in page  # whose key it is stays private
    assert SshKey.objects.count() == 1


def test_cannot_delete_someone_elses_key(ssh_on, make_user, client, pub):
    alice, bob = make_user("alice"), make_user("bob")
    client.force_login(alice)
    client.post(URL, {"public_key": pub()})
    fingerprint = SshKey.objects.get().fingerprint
    client.force_login(bob)
    response = client.post(URL + "/delete", {"del_public_key_fingerprint": fingerprint}, follow=True)
    assert "There is no such SSH key on this account." in response.content.decode()
    assert SshKey.objects.count() == 1
    for junk in ("", "x" * 10000, "' OR 1=1 --", "\x00"):
        client.post(URL + "/delete", {"del_public_key_fingerprint": junk})
    assert SshKey.objects.count() == 1


def test_admin_manages_any_users_keys(ssh_on, make_user, client, pub):
    admin, alice = make_user("root", admin=True), make_user("alice")
    client.force_login(admin)
    url = f"/_admin/users/{alice.pk}/edit/ssh_keys"
    response = client.post(url, {"public_key": pub(), "description": "given by admin"}, follow=True)
    assert "given by admin" in response.content.decode()
    key = SshKey.objects.get(user=alice)
    client.post(url + "/delete", {"del_public_key_fingerprint": key.fingerprint})
    assert not SshKey.objects.exists()
    assert client.get("/_admin/users/999999/edit/ssh_keys").status_code == 404


def test_non_admins_and_anonymous(ssh_on, make_user, client, pub):
    alice, bob = make_user("alice"), make_user("bob")
    assert client.get(URL).status_code == 302
    assert client.post(URL, {"public_key": pub()}).status_code == 302
    client.force_login(bob)
    assert client.get(f"/_admin/users/{alice.pk}/edit/ssh_keys").status_code == 404
    assert client.post(f"/_admin/users/{alice.pk}/edit/ssh_keys", {"public_key": pub()}).status_code == 404
    assert client.get(URL + "/delete").status_code == 405
    assert client.put(URL).status_code == 405
    assert not SshKey.objects.exists()


def test_pages_are_404_while_ssh_is_disabled(settings, make_user, client, pub):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, ssh_enabled=False)
    alice = make_user("alice", admin=True)
    client.force_login(alice)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"public_key": pub()}).status_code == 404
    assert client.get(f"/_admin/users/{alice.pk}/edit/ssh_keys").status_code == 404
    assert "SSH keys" not in client.get("/_admin/my_account").content.decode()


def test_my_account_links_to_the_page(ssh_on, make_user, client):
    alice = make_user("alice", admin=True)
    client.force_login(alice)
    assert f'href="{URL}"' in client.get("/_admin/my_account").content.decode()
    assert (
        f'href="/_admin/users/{alice.pk}/edit/ssh_keys"'
        in client.get(f"/_admin/users/{alice.pk}/edit").content.decode()
    )


def test_number_of_keys_is_capped(ssh_on, make_user, client, pub, monkeypatch):
    from lindos.ssh import actions

    monkeypatch.setattr(actions, "MAX_KEYS_PER_USER", 2)
    client.force_login(make_user("alice"))
    for _ in range(3):
        response = client.post(URL, {"public_key": pub()})
    assert "An account can have at most 2 SSH keys; remove one first." in response.content.decode()
    assert SshKey.objects.count() == 2

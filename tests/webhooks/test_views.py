"""The webhook settings page: repository admins only, URL policy at the
form, secrets never shown, other repositories' objects are 404."""

import pytest

from lindos.webhooks.models import Webhook, WebhookDelivery

SECRET = "a-long-secret-value-XYZW"


@pytest.fixture
def setup(make_user, make_repo):
    alice, bob = make_user("alice"), make_user("bob")
    repo = make_repo("proj", owner=alice)
    hidden = make_repo("hidden", owner=bob, private=True)
    return alice, bob, repo, hidden


def test_admin_adds_a_webhook_and_the_secret_is_not_shown(client, setup, allow_loopback):
    alice, _bob, repo, _hidden = setup
    client.force_login(alice)
    response = client.post(
        "/proj/settings/webhooks",
        {"url": "http://127.0.0.1:9999/ci", "secret": SECRET, "events": ["push", "comment"]},
    )
    assert response.status_code == 302
    hook = Webhook.objects.get()
    assert (hook.url, hook.secret, hook.events) == ("http://127.0.0.1:9999/ci", SECRET, ["push", "comment"])
    page = client.get("/proj/settings/webhooks").content.decode()
    assert SECRET not in page and "…XYZW" in page


@pytest.mark.parametrize(
    "url, word",
    [
        ("http://127.0.0.1/x", "not a public address"),
        ("http://169.254.169.254/latest/meta-data", "not a public address"),
        ("http://localhost:8080/", "not a public address"),
        ("file:///etc/passwd", "only http"),
        ("http://u:p@example.com/", "credentials"),
        ("<script>alert(1)</script>", "only http"),
    ],
)
def test_form_refuses_urls(client, setup, url, word):
    alice, *_ = setup
    client.force_login(alice)
    response = client.post("/proj/settings/webhooks", {"url": url, "events": ["push"]})
    assert response.status_code == 400
    assert word in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Webhook.objects.exists()


def test_others_may_not_see_or_change(client, setup):
    alice, bob, repo, hidden = setup
    hook = Webhook.objects.create(repository=repo, url="https://ci.example.com/", events=["push"])
    client.force_login(bob)
    assert client.get("/proj/settings/webhooks").status_code == 403
    assert client.post(f"/proj/settings/webhooks/{hook.pk}/delete").status_code == 403
    client.force_login(alice)
    assert client.get("/hidden/settings/webhooks").status_code == 404
    # bob's webhook id under alice's repository: no such webhook.
    bobs = Webhook.objects.create(repository=hidden, url="https://ci.example.com/", events=["push"])
    assert client.post(f"/proj/settings/webhooks/{bobs.pk}/delete").status_code == 404
    assert client.post(f"/proj/settings/webhooks/{bobs.pk}/toggle").status_code == 404
    assert client.post("/proj/settings/webhooks/deliveries/999999999999999999/redeliver").status_code == 404
    assert client.get(f"/proj/settings/webhooks/{hook.pk}/delete").status_code == 405
    assert Webhook.objects.count() == 2
    client.logout()
    assert client.get("/proj/settings/webhooks").status_code == 302  # to the login page


def test_toggle_and_delete(client, setup):
    alice, _bob, repo, _hidden = setup
    hook = Webhook.objects.create(repository=repo, url="https://ci.example.com/", events=["push"])
    client.force_login(alice)
    client.post(f"/proj/settings/webhooks/{hook.pk}/toggle")
    hook.refresh_from_db()
    assert not hook.active
    client.post(f"/proj/settings/webhooks/{hook.pk}/delete")
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()

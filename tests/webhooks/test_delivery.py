"""Webhooks delivered to real HTTP receivers: a push over git, a receiver
that is down and then up, one that answers 500, one that never answers."""

import hashlib
import hmac
from datetime import timedelta

from django.utils import timezone

from lindos.background.tasks import deliver_webhooks
from lindos.webhooks import delivery
from lindos.webhooks.models import Webhook, WebhookDelivery
from tests.api.conftest import push_commits

SECRET = "s3cret-value-for-signing"


def add_hook(repo, url, events=("push",), secret=SECRET):
    return Webhook.objects.create(repository=repo, url=url, secret=secret, events=list(events))


def test_push_is_delivered_signed(git, tmp_path, server_url, make_user, make_repo, receiver, allow_loopback):
    alice = make_user("alice")
    repo = make_repo("proj", owner=alice)
    r = receiver()
    add_hook(repo, r.url)
    push_commits(git, tmp_path, server_url, alice, "proj", {"a": "1\n"})
    row = WebhookDelivery.objects.get()
    assert row.state == "pending" and r.requests == []  # the push did not wait for it
    assert deliver_webhooks() == 1
    assert len(r.requests) == 1
    sent = r.requests[0]
    assert sent["path"] == "/hook"
    assert sent["headers"]["X-Lindos-Event"] == "push"
    assert sent["headers"]["X-Lindos-Delivery"] == row.guid
    expected = "sha256=" + hmac.new(SECRET.encode(), sent["body"], hashlib.sha256).hexdigest()
    assert sent["headers"]["X-Lindos-Signature-256"] == expected
    assert sent["headers"]["X-Hub-Signature-256"] == expected
    payload = r.payloads()[0]
    assert payload["event"] == "push" and payload["repository"]["repo_name"] == "proj"
    assert payload["sender"]["username"] == "alice"
    assert payload["ref_changes"][0]["ref"] == "refs/heads/main"
    assert payload["ref_changes"][0]["old"] == "0" * 40
    row.refresh_from_db()
    assert row.state == "delivered" and row.status_code == 200 and row.attempts == 1
    assert row.tries.get().status_code == 200
    assert deliver_webhooks() == 0  # delivered once, never again


def test_receiver_down_then_up_is_delivered_once(make_user, make_repo, receiver, free_port, allow_loopback):
    from lindos.repos.journal import RefChange, record_push

    alice = make_user("alice")
    repo = make_repo("proj", owner=alice)
    add_hook(repo, f"http://127.0.0.1:{free_port}/hook")
    record_push(repo, alice, [RefChange("refs/heads/main", "0" * 40, "a" * 40)])
    now = timezone.now()
    report = delivery.deliver_due(now=now)
    assert (report.claimed, report.retrying) == (1, 1)
    row = WebhookDelivery.objects.get()
    assert row.state == "pending" and row.attempts == 1 and row.status_code is None
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == now + timedelta(seconds=delivery.FIRST_RETRY)
    assert delivery.deliver_due(now=now).claimed == 0  # backing off
    r = receiver(port=free_port)
    report = delivery.deliver_due(now=now + timedelta(seconds=11))
    assert report.delivered == 1
    assert delivery.deliver_due(now=now + timedelta(hours=2)).claimed == 0
    assert len(r.requests) == 1
    row.refresh_from_db()
    assert row.state == "delivered" and row.attempts == 2
    assert [t.status_code for t in row.tries.all()] == [None, 200]


def test_receiver_answering_500_is_retried_then_failed_and_shown(
    client, make_user, make_repo, receiver, allow_loopback
):
    from lindos.repos.journal import RefChange, record_push

    alice = make_user("alice")
    repo = make_repo("proj", owner=alice)
    r = receiver(status=500)
    add_hook(repo, r.url)
    record_push(repo, alice, [RefChange("refs/heads/main", "0" * 40, "b" * 40)])
    now = timezone.now()
    for _attempt in range(delivery.MAX_ATTEMPTS):
        assert delivery.deliver_due(now=now).claimed == 1
        now += timedelta(hours=1)
    assert delivery.deliver_due(now=now + timedelta(days=1)).claimed == 0
    assert len(r.requests) == delivery.MAX_ATTEMPTS
    row = WebhookDelivery.objects.get()
    assert row.state == "failed" and row.status_code == 500 and row.last_error == "HTTP 500"
    assert row.tries.count() == delivery.MAX_ATTEMPTS
    client.force_login(alice)
    page = client.get("/proj/settings/webhooks").content.decode()
    assert f'id="delivery-{row.pk}"' in page
    assert '<td class="state">failed</td>' in page and '<td class="status-code">500</td>' in page
    # Redeliver: a new row with the same body, delivered when the receiver is fixed.
    r.status = 204
    response = client.post(f"/proj/settings/webhooks/deliveries/{row.pk}/redeliver")
    assert response.status_code == 302
    again = WebhookDelivery.objects.exclude(pk=row.pk).get()
    assert again.payload == row.payload and again.redelivery_of_id == row.pk
    assert delivery.deliver_due().delivered == 1
    assert r.requests[-1]["body"] == row.payload.encode()


def test_a_receiver_that_never_answers_times_out(make_user, make_repo, allow_loopback):
    import socket

    from lindos.repos.journal import RefChange, record_push

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        alice = make_user("alice")
        repo = make_repo("proj", owner=alice)
        add_hook(repo, f"http://127.0.0.1:{silent.getsockname()[1]}/")
        record_push(repo, alice, [RefChange("refs/heads/main", "0" * 40, "c" * 40)])
        report = delivery.deliver_due()
        assert report.retrying == 1
        row = WebhookDelivery.objects.get()
        assert "timed out" in row.last_error and row.duration_ms >= 1900
    finally:
        silent.close()


def test_private_addresses_are_refused_without_the_ini_key(make_user, make_repo, receiver):
    from lindos.repos.journal import RefChange, record_push

    alice = make_user("alice")
    repo = make_repo("proj", owner=alice)
    r = receiver()
    add_hook(repo, r.url)
    add_hook(repo, f"http://localhost:{r.port}/x")
    record_push(repo, alice, [RefChange("refs/heads/main", "0" * 40, "d" * 40)])
    assert delivery.deliver_due().retrying == 2
    assert r.requests == []
    errors = set(WebhookDelivery.objects.values_list("last_error", flat=True))
    assert all(e.startswith("refused: ") and "is not a public address" in e for e in errors)


def test_only_wanted_events_and_active_hooks(make_user, make_repo, receiver, allow_loopback):
    from lindos.repos.journal import RefChange, record_push

    alice = make_user("alice")
    repo = make_repo("proj", owner=alice)
    other = make_repo("other", owner=alice)
    r = receiver()
    add_hook(repo, r.url, events=["comment"])
    paused = add_hook(repo, r.url)
    paused.active = False
    paused.save()
    add_hook(other, r.url)
    record_push(repo, alice, [RefChange("refs/heads/main", "0" * 40, "e" * 40)])
    assert WebhookDelivery.objects.count() == 0


def test_a_rolled_back_push_records_no_delivery(make_user, make_repo, allow_loopback):
    from django.db import transaction

    from lindos.repos.journal import RefChange, record_push

    alice = make_user("alice")
    repo = make_repo("proj", owner=alice)
    add_hook(repo, "http://127.0.0.1:9/")
    try:
        with transaction.atomic():
            record_push(repo, alice, [RefChange("refs/heads/main", "0" * 40, "f" * 40)])
            raise RuntimeError("the push failed after all")
    except RuntimeError:
        pass
    assert WebhookDelivery.objects.count() == 0

"""The whole path on a real ``lindos serve``: the API (through ``lindos
api``) creates a repository, the owner adds an extra API key and a webhook
on the pages, pushes with git using that key as password, and the
embedded background worker delivers the push to a real receiver."""

import hashlib
import hmac
import subprocess
import sys
import time

from tests.background.conftest import make_home  # noqa: F401  (fixture)
from tests.background.harness import Browser
from tests.gitclient import git_client
from tests.webhooks.receiver import Receiver

SECRET = "end-to-end-secret-123"


def lindos_api(home, key, *args):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "lindos",
            "api",
            "--apihost",
            home.base_url,
            "--apikey",
            key,
            "--format",
            "json",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_push_webhook_delivered_by_serve_itself(make_home, tmp_path):
    receiver = Receiver()
    try:
        home = make_home(f"sqlite:///{tmp_path}/lindos.db?timeout=60", webhook_allow_private_addresses="true")
        home.run("db-upgrade")
        home.run(
            "create-user",
            "--username",
            "alice",
            "--email",
            "alice@example.com",
            "--password",
            "secret-pass-1",
        )
        key = home.python(
            "from lindos.accounts.models import User; print(User.objects.get(username='alice').api_key)"
        ).strip()
        home.serve()

        made = lindos_api(home, key, "create_repo", "repo_name:proj", "description:by the API")
        assert made.returncode == 0, made.stderr
        assert '"Created new repository `proj`"' in made.stdout
        refused = lindos_api(home, key, "get_users")
        assert refused.returncode == 1
        assert refused.stderr.strip() == 'ERROR:"no permission to call `get_users`: it needs admin rights"'

        browser = Browser(home.base_url)
        browser.post_form("/_admin/login", {"username": "alice", "password": "secret-pass-1"})
        browser.post_form(
            "/_admin/my_account/api_keys", {"action": "add", "description": "CI", "lifetime": "60"}
        )
        extra = home.python(
            "from lindos.accounts.models import UserApiKey; "
            "print(UserApiKey.objects.get(description='CI').api_key)"
        ).strip()
        assert extra != key
        status, _page = browser.post_form(
            "/proj/settings/webhooks", {"url": receiver.url, "secret": SECRET, "events": "push"}
        )
        assert status == 200

        git = git_client(tmp_path / "home", "Tess Ter", "tess@example.com")
        work = tmp_path / "work"
        host = home.base_url.split("//", 1)[1]
        git("clone", "-q", f"http://alice:{extra}@{host}/proj", str(work))
        (work / "f").write_text("1\n")
        git("add", "f", cwd=work)
        git("commit", "-q", "-m", "first", cwd=work)
        git("push", "-q", "origin", "HEAD:main", cwd=work)

        deadline = time.monotonic() + 30
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(receiver.requests) == 1
        sent = receiver.requests[0]
        assert (
            sent["headers"]["X-Lindos-Signature-256"]
            == "sha256=" + hmac.new(SECRET.encode(), sent["body"], hashlib.sha256).hexdigest()
        )
        assert receiver.payloads()[0]["ref_changes"][0]["ref"] == "refs/heads/main"
        time.sleep(0.5)
        _status, page = browser.get("/proj/settings/webhooks")
        assert '<td class="state">delivered</td>' in page
        assert '<td class="status-code">200</td>' in page
        assert SECRET not in page
        for process in home.processes:  # keys never reach a log
            assert key not in process.log() and extra not in process.log()
        assert home.error_lines() == []
    finally:
        receiver.stop()


def test_celery_workers_deliver_each_webhook_once(make_home, postgres_server, fresh_redis):
    """With ``use_celery = true`` the process that records the push
    publishes a task; two workers share the deliveries through the claims
    (the sweep is set too far off to help)."""
    from collections import Counter

    receiver = Receiver()
    try:
        home = make_home(
            postgres_server.create_database(),
            broker_url=fresh_redis.url,
            sweep_seconds=300,
            webhook_allow_private_addresses="true",
        )
        home.run("db-upgrade")
        home.run(
            "create-user",
            "--username",
            "alice",
            "--email",
            "alice@example.com",
            "--password",
            "secret-pass-1",
        )
        home.run("repo-create", "proj", "--type", "git", "--owner", "alice")
        home.worker("worker1", concurrency=2)
        home.worker("worker2", concurrency=2)
        home.python(
            "from lindos.repos.models import Repository; from lindos.webhooks.models import Webhook\n"
            "from lindos.repos.journal import RefChange, record_push\n"
            "from lindos.accounts.models import User\n"
            "repo = Repository.objects.get(name='proj'); user = User.objects.get(username='alice')\n"
            f"Webhook.objects.create(repository=repo, url={receiver.url!r}, events=['push'])\n"
            "for i in range(30):\n"
            "    record_push(repo, user, [RefChange('refs/heads/main', '0' * 40, '%040x' % (i + 1))])\n"
        )
        deadline = time.monotonic() + 60
        while len(receiver.requests) < 30 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)
        news = Counter(p["ref_changes"][0]["new"] for p in receiver.payloads())
        assert len(news) == 30 and max(news.values()) == 1
        assert home.error_lines() == []
    finally:
        receiver.stop()

"""JSON-RPC API call rate and webhook delivery rate on a real ``lindos serve``
(SQLite, embedded worker), with a local HTTP receiver.

1. API: N sequential ``get_repo`` calls (one repository with one commit)
   and N ``get_user`` calls over HTTP; calls per second.
2. Webhooks: N push events recorded in one process while ``lindos serve``
   runs; deliveries per second from the first request at the receiver to
   the last (the embedded webhook thread sends them one by one).

Usage: python bench/api_and_webhooks.py [--calls 300] [--hooks 300]

Figures are in bench/README.md ("API and webhooks").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.background.harness import LindosHome  # noqa: E402
from tests.webhooks.receiver import Receiver  # noqa: E402


def api_rate(base_url: str, key: str, method: str, args: dict, calls: int) -> float:
    started = time.monotonic()
    for i in range(calls):
        body = json.dumps({"id": i, "api_key": key, "method": method, "args": args}).encode()
        request = urllib.request.Request(
            base_url + "/_admin/api", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.loads(response.read())["error"] is None
    return calls / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--hooks", type=int, default=300)
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="lindos-bench-api-")
    receiver = Receiver()
    home = LindosHome(
        os.path.join(workdir, "home"),
        f"sqlite:///{workdir}/lindos.db?timeout=60",
        webhook_allow_private_addresses="true",
    )
    try:
        home.run("db-upgrade")
        home.run(
            "create-user",
            "--username",
            "bench",
            "--email",
            "bench@example.com",
            "--password",
            "bench-pass-1",
            "--admin",
        )
        home.run("repo-create", "proj", "--type", "git", "--owner", "bench")
        key = home.python(
            "from lindos.accounts.models import User; print(User.objects.get(username='bench').api_key)"
        ).strip()
        home.serve()
        print(
            f"get_repo: {api_rate(home.base_url, key, 'get_repo', {'repoid': 'proj'}, options.calls):.0f} calls/s"
        )
        print(f"get_user: {api_rate(home.base_url, key, 'get_user', {}, options.calls):.0f} calls/s")
        home.python(
            "from lindos.repos.models import Repository; from lindos.webhooks.models import Webhook\n"
            "from lindos.repos.journal import RefChange, record_push\n"
            "from lindos.accounts.models import User\n"
            "repo = Repository.objects.get(name='proj'); user = User.objects.get(username='bench')\n"
            f"Webhook.objects.create(repository=repo, url={receiver.url!r}, secret='s', events=['push'])\n"
            f"for i in range({options.hooks}):\n"
            "    record_push(repo, user, [RefChange('refs/heads/main', '0' * 40, '%040x' % (i + 1))])\n"
        )
        deadline = time.monotonic() + 600
        while len(receiver.requests) < options.hooks and time.monotonic() < deadline:
            time.sleep(0.05)
        arrivals = [r["at"] for r in receiver.requests]
        span = max(arrivals[-1] - arrivals[0], 1e-9)
        print(f"webhooks: {len(arrivals)} delivered, {(len(arrivals) - 1) / span:.0f} deliveries/s")
    finally:
        home.stop_all()
        receiver.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

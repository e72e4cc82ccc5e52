import json
import urllib.request

import pytest

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401
from tests.transport.conftest import git, server_url  # noqa: F401  (fixtures)


def post_raw(server_url, body: bytes, content_type="application/json", headers=None):
    request = urllib.request.Request(
        server_url + "/_admin/api",
        data=body,
        method="POST",
        headers={"Content-Type": content_type, **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, json.loads(response.read())


class Api:
    """Calls the API of a live server as a script would."""

    def __init__(self, server_url):
        self.url = server_url
        self.next_id = 0

    def call(self, key, method, **args):
        self.next_id += 1
        status, _headers, answer = post_raw(
            self.url,
            json.dumps({"id": self.next_id, "api_key": key, "method": method, "args": args}).encode(),
        )
        assert status == 200
        assert answer["id"] == self.next_id
        assert set(answer) == {"id", "result", "error"}
        return answer

    def ok(self, key, method, **args):
        answer = self.call(key, method, **args)
        assert answer["error"] is None, answer
        return answer["result"]

    def error(self, key, method, **args):
        answer = self.call(key, method, **args)
        assert answer["result"] is None and answer["error"], answer
        return answer["error"]

    def as_user(self, user):
        return Caller(self, user.api_key)


class Caller:
    """The API as one user: ``ok`` and ``error`` of ``Api`` with that
    user's key."""

    def __init__(self, api, key):
        self.api, self.key = api, key

    def ok(self, method, **args):
        return self.api.ok(self.key, method, **args)

    def error(self, method, **args):
        return self.api.error(self.key, method, **args)


@pytest.fixture
def api(server_url):
    return Api(server_url)


@pytest.fixture
def admin(make_user):
    return make_user("boss", admin=True)


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


def push_commits(git, tmp_path, server_url, user, repo_name, files, branch="main", password=None):
    """Clone `repo_name` over HTTP as `user` (API key as password), commit
    `files` ({path: text}) on `branch` and push it."""
    import uuid

    work = tmp_path / f"work-{uuid.uuid4().hex[:8]}"
    host = server_url.split("//", 1)[1]
    url = f"http://{user.username}:{password or user.api_key}@{host}/{repo_name}"
    git("clone", "-q", url, str(work))
    git("checkout", "-q", "-B", branch, cwd=work)
    for path, text in files.items():
        target = work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        git("add", path, cwd=work)
        git("commit", "-q", "-m", f"add {path}", cwd=work)
    git("push", "-q", "origin", branch, cwd=work)
    return work

"""A code review done the way people do it, against a running ``lindos serve``:
push with the real ``git`` client over HTTP (Basic auth), log in through the
login form, open a changeset page and send its comment form as a browser
would (session cookie, CSRF token and the form's one-time token), and wait
for the mails at a real SMTP server (``tests.smtpd``)."""

from __future__ import annotations

import os
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from tests.background.harness import Browser
from tests.gitclient import git_client


def push_commit(
    base_url: str,
    work: str,
    repo: str,
    username: str,
    password: str,
    *,
    author: tuple[str, str],
    message: str,
    branch: str = "master",
) -> str:
    """Commit a file in `work` (a new repository the first time) as `author`
    (name, email) and push `branch` to `repo` as `username`.  Returns the
    commit's full id."""
    client = git_client(work + ".home", *author)

    def git(*args: str) -> str:
        return client(*args, cwd=work).stdout

    if not os.path.isdir(os.path.join(work, ".git")):
        os.makedirs(work, exist_ok=True)
        git("init", "-q", "-b", branch)
    with open(os.path.join(work, "NEWS.txt"), "a") as fh:
        fh.write(message + "\n")
    git("add", "NEWS.txt")
    git("commit", "-q", "-m", message)
    host = base_url.split("//", 1)[1]
    auth = f"{urllib.parse.quote(username)}:{urllib.parse.quote(password, safe='')}"
    git("push", "-q", f"http://{auth}@{host}/{repo}", branch)
    return git("rev-parse", "HEAD").strip()


class _FormFields(HTMLParser):
    """The input fields (name -> value) of the form whose attributes
    include `match` (e.g. ``id="comment-form"``)."""

    def __init__(self, match: dict[str, str]):
        super().__init__()
        self.match, self.inside, self.fields = match, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and all(attrs.get(k) == v for k, v in self.match.items()):
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(page: str, **match: str) -> dict[str, str]:
    parser = _FormFields(match)
    parser.feed(page)
    return parser.fields


class Reviewer(Browser):
    """A person with a browser session: logs in, opens changesets, comments."""

    def log_in(self, username: str, password: str) -> None:
        _, page = self.get("/_admin/login")
        form = form_fields(page, action="/_admin/login")
        status, page = self._post("/_admin/login", {**form, "username": username, "password": password})
        assert status == 200 and 'class="who"' in page, f"{username} could not log in:\n{page[:2000]}"

    def comment_form(self, repo: str, rev: str) -> dict[str, str]:
        """Open the changeset page; returns the comment form's hidden fields
        (CSRF token, the one-time ``token``) as the browser would send them."""
        status, page = self.get(f"/{repo}/changeset/{rev}")
        assert status == 200
        fields = form_fields(page, id="comment-form")
        assert fields.get("token") and fields.get("csrfmiddlewaretoken"), fields
        return fields

    def post_comment(self, repo: str, rev: str, form: dict[str, str], text: str) -> str:
        """Send the comment form; returns the page the browser lands on (the
        changeset, scrolled to the new comment)."""
        status, page = self._post(
            f"/{repo}/changeset_comment/{rev}", {**form, "text": text, "status": "", "path": ""}
        )
        assert status == 200 and text in page, f"comment not shown:\n{page[:2000]}"
        return page

    def _post(self, path: str, fields: dict) -> tuple[int, str]:
        request = urllib.request.Request(
            self.base_url + path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": self.base_url + path},
        )
        with self.opener.open(request, timeout=30) as response:  # follows the redirect
            return response.status, response.read().decode()


def wait_for_mail(server, count: int, timeout: float = 30) -> list:
    """The first `count` mails `server` (a ``tests.smtpd.SMTPTestServer``)
    received; AssertionError if fewer arrive within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while len(server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(server.messages) >= count, (
        f"expected {count} mails, got {len(server.messages)} after {timeout}s: "
        f"{[(m.rcpt_tos, m.message['Subject']) for m in server.messages]}"
    )
    return server.messages[:count]

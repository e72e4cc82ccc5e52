"""SSH clone URLs: Kallithea's template fields, and the repository header."""

import dataclasses

import pytest

from lindos.ssh.clone_urls import render_clone_url

DEFAULT = "ssh://{system_user}@{hostname}/{repo}"


@pytest.mark.parametrize(
    "template, base, expected",
    [
        (DEFAULT, "https://code.example.com", "ssh://lindos@code.example.com/group/repo"),
        (DEFAULT, "https://code.example.com:8443/prefix/", "ssh://lindos@code.example.com/group/repo"),
        ("ssh://{system_user}@{hostname}:2222/{repo}", "http://h", "ssh://lindos@h:2222/group/repo"),
        ("{system_user}@{hostname}:{repo}.git", "http://h", "lindos@h:group/repo.git"),
        ("ssh://{user}@{hostname}/_{repoid}", "http://h", "ssh://tess@h/_42"),
        ("{scheme}://{netloc}/{repo} {unknown}", "http://h:5000/p", "http://h:5000/p/group/repo {unknown}"),
    ],
)
def test_template_fields(template, base, expected):
    assert render_clone_url(template, base, "group/repo", 42, "tess", system="lindos") == expected


@pytest.fixture
def ssh_on(settings):
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS,
        ssh_enabled=True,
        canonical_url="https://code.example.com",
        clone_ssh_tmpl="ssh://git@{hostname}:2222/{repo}",
    )


def test_summary_shows_both_urls_with_copy_buttons(ssh_on, make_user, make_repo, client):
    alice = make_user("alice")
    make_repo("group/project", owner=alice)
    client.force_login(alice)
    page = client.get("/group/project/summary").content.decode()
    assert 'value="https://code.example.com/group/project"' in page
    assert 'value="ssh://git@code.example.com:2222/group/project"' in page
    assert 'data-copy="clone-url"' in page and 'data-copy="clone-url-ssh"' in page
    assert "/_static/lindos.js" in page  # shows and runs the copy buttons
    assert "onclick" not in page  # no inline handlers (Content-Security-Policy)


def test_no_ssh_url_for_anonymous_visitors_or_when_disabled(ssh_on, settings, make_user, make_repo, client):
    alice = make_user("alice")
    make_repo("project", owner=alice)
    page = client.get("/project/summary").content.decode()
    assert 'id="clone-url"' in page and "clone-url-ssh" not in page
    settings.LINDOS = dataclasses.replace(settings.LINDOS, ssh_enabled=False)
    client.force_login(alice)
    assert "clone-url-ssh" not in client.get("/project/summary").content.decode()

"""``lindos.repos.editing``: the rules of a change made from the browser,
and that its commit takes the push path (journal, webhooks, pull request
iterations) on git and hg alike."""

from __future__ import annotations

import pytest

from lindos.repos import editing
from lindos.repos.editing import BranchHead, EditRefused
from lindos.vcs import BranchMoved, open_repository
from lindos.vcs.testing import make_git_repo, make_hg_repo

HISTORY = [
    {"message": "Initial import", "files": {"README": b"hi\n", "src/a.py": b"a\n"}, "tag": "v1"},
    {"message": "Feature", "branch": "feature", "files": {"f.txt": b"f\n"}},
    {"message": "Second", "files": {"src/a.py": b"b\n"}},
]


@pytest.fixture(params=["git", "hg"])
def built(request, tmp_path):
    make = make_git_repo if request.param == "git" else make_hg_repo
    ids = make(tmp_path / "r", HISTORY)
    return open_repository(str(tmp_path / "r")), ids


def test_find_branch_head(built):
    repo, ids = built
    main = repo.default_branch
    assert editing.find_branch_head(repo, main) == BranchHead(main, ids[2])
    assert editing.find_branch_head(repo, "feature") == BranchHead("feature", ids[1])
    assert editing.find_branch_head(repo, ids[1]) == BranchHead("feature", ids[1])
    assert editing.find_branch_head(repo, ids[2][:12]) == BranchHead(main, ids[2])
    for not_a_head in ("v1", ids[0], ids[0][:12], "HEAD", f"refs/heads/{main}", "nope", "", ids[2][:3]):
        assert editing.find_branch_head(repo, not_a_head) is None, not_a_head


def test_find_branch_head_of_an_empty_repository(tmp_path):
    from lindos.vcs import init_repository

    for kind, branch in (("git", "master"), ("hg", "default")):
        repo = init_repository(str(tmp_path / kind), kind)
        assert editing.find_branch_head(repo, branch) == BranchHead(branch, None)
        assert editing.find_branch_head(repo, "tip") == BranchHead(branch, None)
        assert editing.find_branch_head(repo, "other") is None


@pytest.mark.parametrize(
    "old, posted, stored",
    [
        (b"a\nb\n", "x\r\ny\r\n", b"x\ny\n"),
        (b"a\r\nb\r\n", "x\r\ny\r\n", b"x\r\ny\r\n"),
        (b"a\r\nb\r\n", "x\ny", b"x\r\ny"),
        (b"", "x\r\n", b"x\n"),
        (b"a\n", "caf\u00e9 \u2603\r\n", "caf\u00e9 \u2603\n".encode()),
        (b"a\n", "old mac\rline", b"old mac\nline"),
        (b"a\n", "lone \ud800 surrogate", b"lone ? surrogate"),
    ],
)
def test_text_keeps_the_files_line_endings(old, posted, stored):
    assert editing.build_text_content(posted, editing.newline_of(old)) == stored


@pytest.mark.parametrize(
    "location, filename, path",
    [
        ("", "a.txt", "a.txt"),
        ("src", "a.txt", "src/a.txt"),
        ("src/", "sub/a.txt", "src/sub/a.txt"),
        ("", " spaced.txt ", "spaced.txt"),
        ("", "<b>.txt", "<b>.txt"),
    ],
)
def test_new_paths(location, filename, path):
    assert editing.build_new_path(location, filename) == path


@pytest.mark.parametrize(
    "location, filename",
    [
        ("", ""),
        ("src", "   "),
        ("", "../x"),
        ("..", "x"),
        ("", "a//b"),
        ("", "dir/"),
        ("", "a\x00b"),
        ("", "a\tb"),
        ("", "x" * 1100),
    ],
)
def test_bad_new_paths(location, filename):
    with pytest.raises(EditRefused):
        editing.build_new_path(location, filename)


def test_messages():
    assert editing.build_message("  Fix it\r\n\r\nBody \r\n", "edit", "a") == "Fix it\n\nBody"
    assert editing.build_message("", "edit", "src/a.py") == "Edited file src/a.py via Lindos"
    assert editing.build_message(None, "add") == "Added file via Lindos"
    assert editing.build_message(" ", "delete", "x") == "Deleted file x via Lindos"
    for bad in ("a\x00b", "m" * (editing.MAX_MESSAGE_CHARS + 1)):
        with pytest.raises(EditRefused):
            editing.build_message(bad, "edit", "a")


def test_size_limit():
    editing.check_size(editing.MAX_EDIT_BYTES)
    with pytest.raises(editing.TooLarge) as refused:
        editing.check_size(editing.MAX_EDIT_BYTES + 1)
    assert refused.value.status == 413


def test_author_of(make_user):
    user = make_user("zed")
    assert editing.author_of(user) == "zed <zed@example.com>"
    user.first_name, user.last_name = "Zed <root@evil>", "Zeta\n"
    user.email = "zed@example.com>\nX: y"
    assert editing.author_of(user) == "Zed root@evil Zeta <zed@example.comX:y>"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["git", "hg"])
def test_a_web_commit_takes_the_push_path(kind, repo_root, make_user, django_capture_on_commit_callbacks):
    """Journal, push webhook and a new pull request iteration, as a push."""
    from lindos.repos.models import JournalEntry, Repository
    from lindos.review.actions import do_create_pull_request
    from lindos.webhooks.models import Webhook, WebhookDelivery

    olga, bob = make_user("olga"), make_user("bob")
    make = make_git_repo if kind == "git" else make_hg_repo
    make(repo_root / "p", HISTORY)
    row = Repository.objects.create(name="p", kind=kind, owner=olga)
    Webhook.objects.create(repository=row, url="https://hooks.example.com/x", events=["push"])
    main = "master" if kind == "git" else "default"
    pr = do_create_pull_request(
        owner=olga,
        source_repo=row,
        source_ref_kind="branch",
        source_ref="feature",
        target_repo=row,
        target_branch=main,
        title="Feature",
    )
    assert pr.latest_iteration().number == 1
    head = editing.find_branch_head(open_repository(row.path), "feature")
    with django_capture_on_commit_callbacks(execute=True):  # repository_pushed is sent on commit
        new = editing.do_commit_from_web(row, bob, head, {"f.txt": b"g\n"}, "Edit from the web")
    entry = JournalEntry.objects.get(repository=row, action="push")
    assert entry.user == bob
    assert entry.ref_changes == [{"ref": "refs/heads/feature", "old": head.tip, "new": new}]
    assert WebhookDelivery.objects.filter(webhook__repository=row, event="push").count() == 1
    pr.refresh_from_db()
    latest = pr.latest_iteration()
    assert latest.number == 2 and latest.source_rev == new
    # a second commit from the same (now stale) page is refused, and records nothing
    with pytest.raises(BranchMoved):
        editing.do_commit_from_web(row, bob, head, {"f.txt": b"h\n"}, "Stale")
    assert JournalEntry.objects.filter(repository=row, action="push").count() == 1
    assert pr.latest_iteration().number == 2

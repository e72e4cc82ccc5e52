"""The same review features on a Mercurial repository (built with the real
``hg``): inline comments, a pull request within the repository and one
from a fork (compared inside the fork, which holds the target's tip)."""

import shutil

import pytest

from lindos.review.models import Comment, PullRequest
from tests.review.conftest import HISTORY, outbox, parsed, recipients

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from lindos.vcs.testing import make_hg_repo

    path = tmp_path_factory.mktemp("hg") / "hgproject"
    return path, make_hg_repo(path, HISTORY)


@pytest.fixture
def hg_project(repo_root, people, built):
    from lindos.repos.models import Repository

    shutil.copytree(built[0], repo_root / "hgproject", symlinks=True)
    return Repository.objects.create(name="hgproject", kind="hg", owner=people["olga"]), built[1]


def test_inline_comment_on_hg_changeset(client, hg_project, people):
    repo, ids = hg_project
    client.force_login(people["carol"])
    response = client.post(
        f"/hgproject/changeset_comment/{ids[1]}",
        {"text": "hg line", "path": "src/app.py", "line": "5", "side": "old", "status": "under_review"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().side == "old"
    assert "Under review" in client.get(f"/hgproject/changeset/{ids[1]}").content.decode()
    [(_, subject, kind, _)] = outbox()
    assert subject.startswith(f"[Lindos] [Under review: Comment] hgproject changeset {ids[1][:12]}")


@pytest.mark.parametrize("from_fork", [False, True])
def test_hg_pull_request(client, hg_project, people, from_fork):
    from lindos.repos.actions import do_fork_repository

    repo, ids = hg_project
    source = "hgproject"
    if from_fork:
        source = do_fork_repository(repo, name="bob/hgproject", owner=people["bob"]).name
    client.force_login(people["bob"])
    response = client.post(
        "/hgproject/pull-request/new",
        {
            "source_repo": source,
            "source_ref": "feature",
            "target_ref": "branch:default",
            "title": "hg feature",
            "reviewers": "carol",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    pr = PullRequest.objects.get()
    assert pr.latest_iteration().revisions == ids[2:]
    page = client.get(pr.url).content.decode()
    assert "Feature two" in page and "Combined diff: 2 files" in page
    rows = outbox()
    assert recipients(rows) == ["bob@example.com", "carol@example.com"]
    for _to, subject, kind, message in rows:
        # Kallithea's subject, with the hg branch name as the source
        assert subject == f'[Lindos] [Review] hgproject PR #{pr.pk} "hg feature" from feature by bob'
        assert kind == "pull_request"
        assert parsed(message)["X-Kallithea-Notification-Type"] == "pull_request"


def test_hg_pull_request_from_a_bookmark(client, hg_project, people):
    import subprocess

    from lindos.vcs.testing import hg_binary

    repo, ids = hg_project
    subprocess.run(
        [hg_binary(), "--cwd", repo.path, "bookmark", "-r", ids[3], "work-mark"],
        check=True,
        env={"HGRCPATH": "", "HGPLAIN": "1", "PATH": "/usr/bin:/bin"},
    )
    client.force_login(people["bob"])
    response = client.post(
        "/hgproject/pull-request/new",
        {
            "source_repo": "hgproject",
            "source_ref": "work-mark",
            "target_branch": "default",
            "title": "from a bookmark",
            "reviewers": "carol",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    pr = PullRequest.objects.get()
    assert (pr.source_ref_kind, pr.source_ref, pr.source_label) == ("bookmark", "work-mark", "work-mark")
    [subject] = {row[1] for row in outbox()}
    assert subject == f'[Lindos] [Review] hgproject PR #{pr.pk} "from a bookmark" from work-mark by bob'

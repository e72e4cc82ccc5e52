"""``/REPO/pull-request/new``: the parent as the default target of a fork,
branches, bookmarks and tags to choose from, the preview (fragment and
no-JS), creation, and what strangers and odd input get."""

import json
import re
import subprocess

import pytest

from lindos.review.models import PullRequest
from lindos.vcs.process import git_command, git_env

pytestmark = pytest.mark.django_db


def git(repo_row, *args) -> str:
    return subprocess.run(
        git_command(repo_row.path, *args),
        env={
            **git_env(),
            "GIT_AUTHOR_NAME": "Olga",
            "GIT_AUTHOR_EMAIL": "olga@example.com",
            "GIT_COMMITTER_NAME": "Olga",
            "GIT_COMMITTER_EMAIL": "olga@example.com",
        },
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def move_master_on(repo_row) -> str:
    """A new commit on master of `repo_row` (the parent moves on after the fork)."""
    tree = git(repo_row, "rev-parse", "master^{tree}")
    new = git(repo_row, "commit-tree", tree, "-p", "master", "-m", "Parent moves on")
    git(repo_row, "update-ref", "refs/heads/master", new)
    return new


@pytest.fixture
def fork(project, people):
    from lindos.repos.actions import do_fork_repository

    return do_fork_repository(project.row, name="bob/project", owner=people["bob"])


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return found.group(1) if found else None


def test_from_a_fork_the_parent_is_the_default_target(client, project, fork, people):
    git(project.row, "update-ref", "refs/tags/v1", "master")
    client.force_login(people["bob"])
    page = client.get("/bob/project/pull-request/new").content.decode()
    assert options(page, "target_repo") == ["project", "bob/project"]
    assert selected(page, "target_repo") == "project"
    assert "project (parent)" in page and "bob/project (this repository)" in page
    assert options(page, "source_repo") == ["bob/project"]
    # Lists, grouped: branches (default first), then tags.
    assert options(page, "target_ref") == ["branch:master", "branch:feature", "tag:v1"]
    assert '<optgroup label="Branches">' in page and '<optgroup label="Tags">' in page
    assert selected(page, "target_ref") == "branch:master"
    assert options(page, "source_ref") == ["branch:master", "branch:feature"]


def test_without_a_parent_the_target_is_the_repository_and_the_source_another_branch(
    client, project, fork, people
):
    client.force_login(people["carol"])
    page = client.get("/project/pull-request/new").content.decode()
    assert options(page, "target_repo") == ["project"]
    assert options(page, "source_repo") == ["project", "bob/project"]
    assert selected(page, "source_ref") == "branch:feature"
    assert selected(page, "target_ref") == "branch:master"


def test_a_revision_asked_for_is_offered_and_chosen(client, project, people):
    client.force_login(people["carol"])
    page = client.get(f"/project/pull-request/new?ref={project.ids[2][:10]}").content.decode()
    assert f"rev:{project.ids[2]}" in options(page, "source_ref")
    assert selected(page, "source_ref") == f"rev:{project.ids[2]}"


def test_preview_of_a_fork_whose_parent_moved_on_writes_nothing(client, project, fork, people):
    moved = move_master_on(project.row)
    refs_before = git(project.row, "for-each-ref")
    client.force_login(people["bob"])
    response = client.get(
        "/bob/project/pull-request/new/preview",
        {
            "source_repo": "bob/project",
            "source_ref": "branch:feature",
            "target_repo": "project",
            "target_ref": "branch:master",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 changesets from bob/project into master" in page
    assert "Feature one" in page and "Feature two" in page
    assert "Combined diff: 2 files" in page and "feature.txt" in page
    assert "Parent moves on" not in page
    # Nothing was fetched into the parent, nothing was written into the fork.
    assert git(project.row, "for-each-ref") == refs_before
    assert subprocess.run(git_command(fork.path, "cat-file", "-e", moved), env=git_env()).returncode != 0
    assert (
        subprocess.run(
            git_command(project.row.path, "cat-file", "-e", project.ids[3]), env=git_env()
        ).returncode
        == 0
    )  # (the parent has feature itself)


def test_preview_says_why_there_is_nothing(client, project, people):
    client.force_login(people["carol"])
    page = client.get(
        "/project/pull-request/new/preview", {"source_ref": "branch:master", "target_ref": "branch:master"}
    ).content.decode()
    assert "Nothing to merge: every changeset is already in master." in page
    page = client.get(
        "/project/pull-request/new/preview", {"source_ref": "branch:nope", "target_ref": "branch:master"}
    ).content.decode()
    assert "&#x27;nope&#x27; is not a branch of project." in page


def test_preview_without_javascript_then_create(client, project, fork, people):
    client.force_login(people["bob"])
    data = {
        "source_repo": "bob/project",
        "source_ref": "branch:feature",
        "target_repo": "project",
        "target_ref": "branch:master",
        "title": "",
        "reviewers": "carol",
        "preview": "1",
    }
    response = client.post("/bob/project/pull-request/new", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 changesets from bob/project into master" in page and "Feature two" in page
    assert "This field is required" not in page  # the title is asked for on creation only
    assert PullRequest.objects.count() == 0
    del data["preview"]
    response = client.post("/bob/project/pull-request/new", {**data, "title": "From my fork"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    pr = PullRequest.objects.get()
    assert (pr.source_repo, pr.target_repo, pr.source_ref_kind, pr.source_ref, pr.target_branch) == (
        fork,
        project.row,
        "branch",
        "feature",
        "master",
    )
    assert response["Location"] == f"/project/pull-request/{pr.pk}/from-my-fork"


def test_a_tag_as_the_source_is_kept_by_name(client, project, people):
    git(project.row, "update-ref", "refs/tags/feature-1.0", project.ids[3])
    client.force_login(people["bob"])
    response = client.post(
        "/project/pull-request/new",
        {
            "source_repo": "project",
            "source_ref": "tag:feature-1.0",
            "target_ref": "branch:master",
            "title": "Tagged",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    pr = PullRequest.objects.get()
    assert (pr.source_ref_kind, pr.source_ref, pr.source_label) == ("tag", "feature-1.0", "feature-1.0")
    assert pr.latest_iteration().revisions == project.ids[2:]


def test_refs_lists_one_offered_repository(client, project, fork, people):
    client.force_login(people["bob"])
    response = client.get("/bob/project/pull-request/new/refs", {"repo": "project"})
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "default": "branch:master",
        "groups": [
            {"label": "Branches", "options": [["branch:master", "master"], ["branch:feature", "feature"]]}
        ],
    }


def test_strangers_and_private_names_get_404(client, project, fork, people, make_repo):
    make_repo("secret", owner=people["olga"], private=True)
    unrelated = make_repo("unrelated", owner=people["bob"])
    client.force_login(people["carol"])
    for name in ("secret", "unrelated", "nope", "project\x00"):
        assert client.get("/project/pull-request/new/refs", {"repo": name}).status_code == 404
    assert client.get("/secret/pull-request/new").status_code == 404
    assert client.get("/secret/pull-request/new/preview").status_code == 404
    assert client.get("/secret/pull-request/new/refs", {"repo": "secret"}).status_code == 404
    client.logout()
    assert client.get("/project/pull-request/new/preview").status_code == 302  # log in first
    assert client.get("/project/pull-request/new/refs?repo=project").status_code == 302
    assert unrelated.name not in client.get("/project/pull-request/new").content.decode()


def test_a_private_fork_is_not_offered_to_those_who_cannot_read_it(client, project, people):
    from lindos.repos.actions import do_fork_repository

    do_fork_repository(project.row, name="bob/hidden", owner=people["bob"], private=True)
    client.force_login(people["carol"])
    page = client.get("/project/pull-request/new").content.decode()
    assert "bob/hidden" not in page
    answers = []
    for name in ("bob/hidden", "bob/nothing"):
        response = client.post(
            "/project/pull-request/new",
            {
                "source_repo": name,
                "source_ref": "branch:feature",
                "target_ref": "branch:master",
                "title": "x",
            },
        )
        assert response.status_code == 400
        answers.append(
            re.findall(
                r'<ul class="errorlist"[^>]*>.*?</ul>', response.content.decode().replace(name, "NAME"), re.S
            )
        )
    assert answers[0] == answers[1] != []  # a private name answers as a missing one
    assert PullRequest.objects.count() == 0


def test_a_fork_of_a_fork_cannot_target_its_grandparent(client, project, fork, people):
    from lindos.repos.actions import do_fork_repository

    do_fork_repository(fork, name="carol/project", owner=people["carol"])
    client.force_login(people["bob"])
    response = client.post(
        "/bob/project/pull-request/new",
        {
            "source_repo": "carol/project",
            "source_ref": "branch:feature",
            "target_repo": "project",
            "target_ref": "branch:master",
            "title": "Skip a generation",
        },
    )
    assert response.status_code == 400
    assert "carol/project is not a fork of project" in response.content.decode()
    assert PullRequest.objects.count() == 0


@pytest.mark.parametrize(
    "source_ref,target_ref",
    [
        ("branch:" + "x" * 5000, "branch:master"),
        ("rev:\x00", "branch:master"),
        ("rev:" + "g" * 40, "branch:master"),
        ("tag:<script>", "branch:master"),
        ("branch:feature", "rev:" + "0" * 40),
        ("branch:feature", "book:master"),
        ("", ""),
        ("branch:feature", "branch:\r\nX-Injected: 1"),
    ],
)
def test_odd_refs_are_refused_clearly(client, project, people, source_ref, target_ref):
    client.force_login(people["bob"])
    response = client.post(
        "/project/pull-request/new",
        {"source_repo": "project", "source_ref": source_ref, "target_ref": target_ref, "title": "odd"},
    )
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert PullRequest.objects.count() == 0
    preview = client.get(
        "/project/pull-request/new/preview", {"source_ref": source_ref, "target_ref": target_ref}
    )
    assert preview.status_code == 200 and 'class="empty preview-error"' in preview.content.decode()


def test_reviewer_removal_is_a_check_box_nobody_ticked(client, project, people):
    client.force_login(people["bob"])
    client.post(
        "/project/pull-request/new",
        {
            "source_ref": "branch:feature",
            "target_ref": "branch:master",
            "title": "t",
            "reviewers": "alice carol",
        },
    )
    pr = PullRequest.objects.get()
    page = client.get(pr.url).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="remove"[^>]*>', page)
    assert len(boxes) == 2 and not any("checked" in b for b in boxes)
    assert '<select name="remove"' not in page

"""``/REPO/compare`` and ``/REPO/compare/TYPE@NAME...TYPE@NAME``: the
changesets between two revisions, within a repository and across a fork,
their diff, the pull request button, and what odd or private input gets.
Real git and hg repositories, one set per test."""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from lindos.repos.models import Repository
from lindos.vcs import open_repository
from lindos.vcs.testing import make_git_repo, make_hg_repo
from tests.repos.fixtures import make_user, repo_root  # noqa: F401

pytestmark = pytest.mark.django_db

HISTORY = [
    {
        "message": "Initial import",
        "author": "Zoe <zoe@example.com>",
        "files": {"README": b"hi\n", "app.py": b"1\n"},
    },
    {
        "message": "Feature work",
        "author": "Bob <bob@example.com>",
        "branch": "feature",
        "files": {"f.txt": b"f\n"},
    },
    {"message": "Main moves on", "author": "Zoe <zoe@example.com>", "files": {"app.py": b"2\n"}, "tag": "v2"},
]


@dataclasses.dataclass
class Project:
    row: Repository
    ids: list
    owner: object

    @property
    def main(self):
        return "master" if self.row.kind == "git" else "default"


@pytest.fixture(params=["git", "hg"])
def project(request, repo_root, make_user):  # noqa: F811
    owner = make_user("olga")
    make = make_git_repo if request.param == "git" else make_hg_repo
    ids = make(repo_root / "team" / "project", HISTORY)
    row = Repository.objects.create(name="team/project", kind=request.param, owner=owner)
    return Project(row, ids, owner)


def fork_with_commit(project, owner, *, private=False, name="bob/project"):
    """A fork of the project with one more changeset on its main branch."""
    from lindos.repos.actions import do_fork_repository

    fork = do_fork_repository(project.row, name=name, owner=owner, private=private)
    vcs = open_repository(fork.path)
    new = vcs.commit_files(
        branch=project.main,
        parent=vcs.branches[project.main],
        files={"fork.txt": b"from the fork\n"},
        message="Fork work",
        author="Bob <bob@example.com>",
    )
    return fork, new


def changeset_ids(html: str) -> list[str]:
    return re.findall(r'href="/[^"]*/changeset/([0-9a-f]{40})"', html.split('class="table changes"', 1)[-1])


def test_branches_of_one_repository(client, project):
    url = f"/team/project/compare/branch@{project.main}...branch@feature"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"1 changeset in team/project@feature not in team/project@{project.main}" in html
    assert project.ids[1] in html and "Feature work" in html
    assert "Main moves on" not in html
    # Kallithea's default diff goes tip to tip: it undoes main's change too
    assert "f.txt" in html and "app.py" in html
    assert f'Merge ancestor: <a class="mono" href="/team/project/changeset/{project.ids[0]}"' in html
    # the merge diff is what a pull request would show
    html = client.get(url + "?merge=1").content.decode()
    assert "f.txt" in html and "app.py</span>" not in html
    # swapped: what main has that feature lacks
    html = client.get(f"/team/project/compare/branch@feature...branch@{project.main}").content.decode()
    assert "Main moves on" in html and "Feature work" not in html


def test_tags_and_revisions_name_sides_too(client, project):
    html = client.get(f"/team/project/compare/rev@{project.ids[0][:12]}...tag@v2").content.decode()
    assert "1 changeset in team/project@v2" in html and "Main moves on" in html


def test_nothing_between(client, project):
    html = client.get(f"/team/project/compare/branch@{project.main}...rev@{project.ids[0]}").content.decode()
    assert "0 changesets" in html and "No changesets" in html
    assert "Create pull request" not in html


def test_the_button_opens_the_new_pull_request_filled_in(client, project):
    client.force_login(project.owner)
    html = client.get(f"/team/project/compare/branch@{project.main}...branch@feature").content.decode()
    href = re.search(r'id="compare-pull-request" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    assert urlsplit(href).path == "/team/project/pull-request/new"
    assert query == {
        "source_repo": ["team/project"],
        "target_repo": ["team/project"],
        "ref": ["feature"],
        "target_ref": [f"branch:{project.main}"],
    }
    form = client.get(href).content.decode()
    assert re.search(r'<option value="branch:feature"[^>]*selected', form.split('name="source_ref"')[1])
    target = form.split('name="target_ref"')[1].split("</select>")[0]
    assert re.search(rf'<option value="branch:{project.main}"[^>]*selected', target)


def test_no_button_for_visitors(client, project):
    html = client.get(f"/team/project/compare/branch@{project.main}...branch@feature").content.decode()
    assert "Create pull request" not in html


def test_across_a_fork(client, project, make_user):  # noqa: F811
    bob = make_user("bob")
    fork, new = fork_with_commit(project, bob)
    client.force_login(bob)
    url = f"/team/project/compare/branch@{project.main}...branch@{project.main}?other_repo=bob/project"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"1 changeset in bob/project@{project.main} not in team/project@{project.main}" in html
    assert changeset_ids(html) == [new]
    assert f'href="/bob/project/changeset/{new}"' in html
    assert "fork.txt" in html
    href = re.search(r'id="compare-pull-request" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query)["source_repo"] == ["bob/project"]
    # nothing was fetched into the parent
    assert new not in {cs.id for cs in open_repository(project.row.path).iter_changesets(limit=None)}
    # and from the fork, its parent is "other": what the parent has that the fork lacks
    html = client.get(
        f"/bob/project/compare/branch@{project.main}...branch@feature?other_repo=team/project"
    ).content.decode()
    assert "1 changeset in team/project@feature not in bob/project" in html
    assert "Create pull request" not in html  # a parent does not propose to its fork


def test_a_private_fork_is_a_404_for_others(client, project, make_user):  # noqa: F811
    bob, carol = make_user("bob"), make_user("carol")
    fork_with_commit(project, bob, private=True, name="bob/secret")
    url = f"/team/project/compare/branch@{project.main}...branch@{project.main}?other_repo=bob/secret"
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert "bob/secret" not in client.get("/team/project/compare").content.decode()
    client.force_login(bob)
    assert client.get(url).status_code == 200


def test_a_private_repository_is_a_404(client, project, make_user):  # noqa: F811
    project.row.private = True
    project.row.save()
    client.force_login(make_user("carol"))
    assert client.get(f"/team/project/compare/branch@{project.main}...branch@feature").status_code == 404
    assert client.get("/team/project/compare").status_code == 404


@pytest.mark.parametrize(
    "tail, status, text",
    [
        ("branch@nope...branch@feature", 404, "Changeset for branch nope not found in team/project"),
        ("branch@MAIN...book@feature", 404, "Changeset for book feature not found"),
        ("branch@MAIN...rev@0000", 404, "Changeset for rev 0000 not found"),
        ("branch@MAIN...tag@<script>x", 404, "Changeset for tag &lt;script&gt;x not found"),
        ("branch@MAIN...branch@feature?other_repo=nobody/nothing", 404, ""),
        ("branch@MAIN...branch@feature?other_repo=a%00b", 404, ""),
        ("wat@MAIN...branch@feature", 404, ""),
    ],
)
def test_unknown_names_are_404s(client, project, tail, status, text):
    page = client.get("/team/project/compare/" + tail.replace("MAIN", project.main))
    assert page.status_code == status
    assert text in page.content.decode()
    assert "<script>x" not in page.content.decode()


def test_unrelated_histories_get_a_message(client, project, repo_root, make_user):  # noqa: F811
    make = make_git_repo if project.row.kind == "git" else make_hg_repo
    make(repo_root / "other", [{"message": "Elsewhere", "files": {"x": b"x\n"}}])
    Repository.objects.create(name="other", kind=project.row.kind, owner=make_user("ollie"))
    page = client.get(f"/team/project/compare/branch@{project.main}...branch@{project.main}?other_repo=other")
    assert page.status_code == 400
    html = page.content.decode()
    assert "no common history" in html or "pull it first" in html


def test_repositories_of_different_kinds_get_a_message(client, project, repo_root, make_user):  # noqa: F811
    other_kind = "hg" if project.row.kind == "git" else "git"
    make = make_git_repo if other_kind == "git" else make_hg_repo
    make(repo_root / "other", [{"message": "Elsewhere", "files": {"x": b"x\n"}}])
    Repository.objects.create(name="other", kind=other_kind, owner=make_user("ollie"))
    page = client.get(f"/team/project/compare/branch@{project.main}...branch@feature?other_repo=other")
    assert page.status_code == 400
    assert "Cannot compare repositories of different types" in page.content.decode()


def test_the_form_goes_to_the_comparison(client, project, make_user):  # noqa: F811
    bob = make_user("bob")
    fork_with_commit(project, bob)
    page = client.get("/team/project/compare")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="branch:feature"' in html and '<option value="tag:v2"' in html
    assert '<option value="bob/project"' in html
    answer = client.get(
        "/team/project/compare",
        {
            "org_ref": f"branch:{project.main}",
            "other_repo": "bob/project",
            "other_ref": f"branch:{project.main}",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == (
        f"/team/project/compare/branch@{project.main}...branch@{project.main}?other_repo=bob%2Fproject"
    )
    assert client.get(answer["Location"]).status_code == 200
    # "Choose" reloads the form with the other repository's refs
    html = client.get("/team/project/compare", {"other_repo": "bob/project", "pick": "1"}).content.decode()
    assert '<label for="compare_other">bob/project@</label>' in html


def test_only_reading_methods(client, project):
    assert client.post(f"/team/project/compare/branch@{project.main}...branch@feature").status_code == 405


def test_hg_bookmarks_are_sides(client, project):
    import subprocess

    from lindos.vcs.testing import hg_binary

    if project.row.kind != "hg":
        pytest.skip("git has no bookmarks")
    subprocess.run(
        [hg_binary(), "-R", project.row.path, "bookmark", "-r", project.ids[1], "wip"],
        env={"HGRCPATH": "", "HGUSER": "t <t@x>", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    html = client.get("/team/project/compare/branch@default...book@wip").content.decode()
    assert "1 changeset in team/project@wip not in team/project@default" in html
    assert '<option value="book:wip"' in html


def test_an_empty_repository_has_nothing_to_compare(client, make_user, repo_root):  # noqa: F811
    from lindos.repos.actions import do_create_repository

    do_create_repository(name="empty", kind="git", owner=make_user("erin"))
    assert client.get("/empty/compare").status_code == 200
    page = client.get("/empty/compare/branch@master...branch@master")
    assert page.status_code == 404 and "There are no changesets yet in empty." in page.content.decode()


def form(client, **fields):
    """The compare form of team/project, submitted with ``fields``."""
    return client.get("/team/project/compare", fields)


def test_a_typed_revision_goes_to_the_comparison(client, project):
    main, feature_id = project.main, project.ids[1]
    for typed, side in [
        (feature_id[:7], f"rev@{feature_id}"),  # a short hash: the full id, which stays unambiguous
        (feature_id, f"rev@{feature_id}"),
        (f"  {feature_id[:12]} ", f"rev@{feature_id}"),
        ("feature", "branch@feature"),  # a name keeps following the name
        ("v2", "tag@v2"),
    ]:
        answer = form(client, org_ref=f"branch:{main}", other_ref=f"branch:{main}", other_rev=typed)
        assert answer.status_code == 302, typed
        assert answer["Location"] == f"/team/project/compare/branch@{main}...{side}"
    # typed on the left, chosen on the right
    answer = form(client, org_ref="branch:feature", org_rev=project.ids[0][:8], other_ref="branch:feature")
    assert answer["Location"] == f"/team/project/compare/rev@{project.ids[0]}...branch@feature"
    html = client.get(answer["Location"]).content.decode()
    assert "1 changeset in team/project@feature" in html and "Feature work" in html
    # the page of a bare revision has it chosen in its list
    assert re.search(rf'<option value="rev:{project.ids[0]}" selected>{project.ids[0][:12]}<', html)


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("nope", "'nope'"),
        ("<script>alert(1)</script>", "'<script>alert(1)</script>'"),
        ("MAIN..feature", "MAIN..feature"),
        ("../../etc/passwd", "../../etc/passwd"),
        ("HEAD~1", "HEAD~1"),
        ("--all", "--all"),
        ("a\x00b", "a\\x00b"),
        ("x" * 10_000, "A revision is at most 255 characters long."),
        ("//evil.example/x", "//evil.example/x"),
        ("http://evil.example/compare", "http://evil.example/compare"),
        ("X-Evil: 1\r\nSet-Cookie: a=b", "X-Evil: 1\\r\\nSet-Cookie: a=b"),
        ("0000", "'0000'"),
    ],
)
def test_unknown_typed_revisions_get_a_message_on_the_form(client, project, typed, shown):
    typed, shown = typed.replace("MAIN", project.main), shown.replace("MAIN", project.main)
    for side in ("org", "other"):
        page = form(client, org_ref="branch:feature", other_ref="branch:feature", **{f"{side}_rev": typed})
        assert page.status_code == 200 and "Location" not in page
        html = page.content.decode()
        assert 'class="empty compare-error" role="alert"' in html and shown in unescape(html)
        if len(typed) <= 255:
            assert "There is no branch, bookmark, tag or changeset" in html and "in team/project." in html
        assert "<script>alert" not in html and "Set-Cookie: a=b\r" not in html
        # the form is shown again, as it was submitted (at most 255 characters of the text)
        assert f'name="{side}_rev" value="' in html and len(html) < 100_000
        assert '<option value="branch:feature" selected>' in html


def test_a_typed_revision_on_the_fork_side(client, project, make_user):  # noqa: F811
    bob = make_user("bob")
    fork, new = fork_with_commit(project, bob)
    main = project.main
    answer = form(client, org_ref=f"branch:{main}", other_repo="bob/project", other_rev=new[:10])
    assert answer["Location"] == f"/team/project/compare/branch@{main}...rev@{new}?other_repo=bob%2Fproject"
    html = client.get(answer["Location"]).content.decode()
    assert changeset_ids(html) == [new]
    assert '<option value="bob/project" selected>' in html
    # the fork's changeset is not the parent's: typed on the left, it is unknown there
    page = form(client, org_rev=new, other_repo="bob/project", other_ref=f"branch:{main}")
    assert page.status_code == 200
    assert f"There is no branch, bookmark, tag or changeset '{new}' in team/project." in unescape(
        page.content.decode()
    )


def test_a_private_other_repo_is_as_absent_on_the_form(client, project, make_user):  # noqa: F811
    bob, carol = make_user("bob"), make_user("carol")
    _fork, new = fork_with_commit(project, bob, private=True, name="bob/secret")
    client.force_login(carol)

    def seen(page, name):  # the page, but for the name asked for and its CSRF token
        return page.status_code, re.sub(
            r'csrfmiddlewaretoken" value="\w+', "", page.content.decode()
        ).replace(name, "NAME")

    answers = {}
    for name in ("bob/secret", "bob/nothing"):
        for typed in (new, new[:8], "nope"):
            page = form(client, org_ref=f"branch:{project.main}", other_repo=name, other_rev=typed)
            answers[name, typed] = seen(page, name)
            assert page.status_code == 404 and "Location" not in page
            assert "bob/secret" not in page.content.decode() and new not in page.content.decode()
        answers[name, "pick"] = seen(form(client, other_repo=name, pick="1"), name)
    # the same answers, whether it exists or not, whatever was typed
    assert {v for (n, _), v in answers.items() if n == "bob/secret"} == {
        v for (n, _), v in answers.items() if n == "bob/nothing"
    }
    client.force_login(bob)
    answer = form(client, org_ref=f"branch:{project.main}", other_repo="bob/secret", other_rev=new[:8])
    assert answer["Location"].endswith(f"rev@{new}?other_repo=bob%2Fsecret")


def test_swap_on_the_form(client, project, make_user):  # noqa: F811
    main = project.main
    answer = form(client, org_ref=f"branch:{main}", other_ref="branch:feature", swap="1")
    assert answer["Location"] == f"/team/project/compare/branch@feature...branch@{main}"
    answer = form(client, org_ref=f"branch:{main}", other_rev=project.ids[0][:8], swap="1")
    assert answer["Location"] == f"/team/project/compare/rev@{project.ids[0]}...branch@{main}"
    # across a fork, the fork's page compares with this one
    fork_with_commit(project, make_user("bob"))
    answer = form(client, org_ref="tag:v2", other_repo="bob/project", other_ref=f"branch:{main}", swap="1")
    assert answer["Location"] == f"/bob/project/compare/branch@{main}...tag@v2?other_repo=team%2Fproject"
    # the form has the button; a comparison's page swaps with a link
    assert 'name="swap" value="1"' in form(client).content.decode()
    html = client.get(f"/team/project/compare/branch@{main}...branch@feature").content.decode()
    assert f'href="/team/project/compare/branch@feature...branch@{main}" id="compare-swap"' in html


def test_an_incomplete_form_is_shown_again(client, project):
    for fields in (
        {"org_ref": "branch:feature"},
        {"other_rev": "   "},
        {"org_ref": "branch:", "other_ref": "x"},
    ):
        page = form(client, **fields)
        assert page.status_code == 200 and "compare-error" not in page.content.decode()

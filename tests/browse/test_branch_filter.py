"""The branch filter selects the branch the shown revision is on."""

import re

import pytest

from lindos.repos.browse.branch_filter import branch_of, filter_state
from lindos.vcs import open_repository


def selected(response) -> list[str]:
    html = response.content.decode()
    select = re.search(r'<select id="branch-filter".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', select)


@pytest.mark.parametrize(
    "tail", ["files/tip/", "files/tip/src/app.py", "annotate/tip/src/app.py", "files/{tip}/src/app.py"]
)
def test_tip_or_an_id_selects_the_default_branch(client, browse_repo, tail):
    response = client.get(browse_repo.url(tail.format(tip=browse_repo.tip)))
    assert selected(response) == [browse_repo.default_branch]


def test_a_named_revision_selects_its_name(client, browse_repo):
    assert selected(client.get(browse_repo.url("files/feature/feature.txt"))) == ["feature"]
    assert selected(client.get(browse_repo.url("files/v1.0/"))) == ["v1.0"]


def test_an_older_changeset_selects_the_branch_holding_it(client, browse_repo):
    response = client.get(browse_repo.url(f"files/{browse_repo.ids[5]}/"))
    assert selected(response) == [browse_repo.default_branch]


def test_a_revision_on_no_branch_gets_its_own_entry(tmp_path):
    from lindos.vcs.testing import make_git_repo

    ids = make_git_repo(tmp_path / "r", [{"message": "one"}, {"message": "two", "branch": "b"}])
    repo = open_repository(str(tmp_path / "r"))
    import subprocess

    from lindos.vcs.process import git_command, git_env

    subprocess.run(
        git_command(repo.git_dir, "branch", "-D", "b"), env=git_env(), check=True, capture_output=True
    )
    subprocess.run(git_command(repo.git_dir, "tag", "t", ids[1]), env=git_env(), check=True)
    repo = open_repository(str(tmp_path / "r"))
    cs = repo.get_changeset(ids[1])
    assert branch_of(repo, cs) is None
    state = filter_state(repo, ids[1], cs)
    assert state.current == ids[1]
    assert state.revision_option == {"value": ids[1], "label": f"revision {ids[1][:12]}"}
    assert filter_state(repo, "t", cs).current == "t"


def test_choosing_a_branch_navigates(client, browse_repo):
    response = client.get(browse_repo.url("files/tip/src/app.py?at=feature"))
    assert response.status_code == 302
    assert response["Location"] == "/group/project/files/feature/src/app.py"


def test_changelog_filter_selects_all_branches_or_the_branch(client, browse_repo):
    assert selected(client.get(browse_repo.url("changelog"))) == [""]
    assert selected(client.get(browse_repo.url("changelog?branch=feature"))) == ["feature"]
    assert selected(client.get(browse_repo.url("changelog/tip/src/app.py"))) == [browse_repo.default_branch]


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_names_that_look_like_markup_stay_text(client, tmp_path, settings, make_user, kind):
    from lindos.vcs.testing import make_git_repo, make_hg_repo

    from .conftest import register

    name = 'x"><b>bold</b>'
    (make_git_repo if kind == "git" else make_hg_repo)(
        tmp_path / "m",
        [
            {"message": "one", "files": {"a": b"1"}},
            {"message": "<i>two</i>", "branch": name, "files": {"a": b"2"}},
        ],
    )
    register(settings, str(tmp_path), "m", kind, make_user("owner"))
    for url in ("/m/changelog", "/m/changelog?branch=" + name, "/m/branches", "/m/files/tip/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<b>bold</b>" not in html and "<i>two</i>" not in html, url
    assert (
        '&quot;&gt;&lt;b&gt;bold&lt;/b&gt;" selected>'
        in client.get("/m/changelog?branch=" + name).content.decode()
    )

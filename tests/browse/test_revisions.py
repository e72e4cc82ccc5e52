"""REV/PATH resolution: hashes, refs (with slashes), tip, and 404s."""

import pytest
from django.http import Http404

from lindos.repos.browse.revisions import landing_rev, split_rev_path
from lindos.vcs import open_repository
from lindos.vcs.testing import make_git_repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    path = tmp_path_factory.mktemp("rev") / "r.git"
    ids = make_git_repo(
        path,
        [
            {"files": {"a/b.txt": b"1\n"}},
            {"files": {"a/b.txt": b"2\n"}, "branch": "feature/x"},
        ],
    )
    return open_repository(str(path)), ids


def test_revision_forms(repo):
    vcs, ids = repo
    assert split_rev_path(vcs, "tip/a/b.txt")[0].id == ids[0]
    assert split_rev_path(vcs, "")[1:] == ("tip", "")
    assert split_rev_path(vcs, f"{ids[1][:8]}/a")[0].id == ids[1]
    cs, rev, path = split_rev_path(vcs, "feature/x/a/b.txt")
    assert (cs.id, rev, path) == (ids[1], "feature/x", "a/b.txt")
    assert split_rev_path(vcs, "tip", default="feature/x")[0].id == ids[1]


@pytest.mark.parametrize("rest", ["nope/a", "feature/a", "feature", "0" * 40])
def test_unknown_revisions_404(repo, rest):
    with pytest.raises(Http404):
        split_rev_path(repo[0], rest)


def test_landing_rev_forms():
    class Row:
        landing_rev = ""

    row = Row()
    assert landing_rev(row) is None
    for value, want in (("rev:tip", None), ("branch:stable", "stable"), ("v1.0", "v1.0")):
        row.landing_rev = value
        assert landing_rev(row) == want

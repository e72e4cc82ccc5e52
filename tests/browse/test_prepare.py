"""Preparing a push's pages: after it, the first views of the changeset,
its files and their annotation neither lex nor blame; a huge push stops
at its bounds."""

import pytest

from lindos.repos.browse import highlight, prepare
from lindos.vcs.base import Changeset


@pytest.fixture
def counted(monkeypatch):
    """Counts the expensive steps: Pygments lexing, blame, diffing."""
    calls = {"lex": 0, "blame": 0, "diff": 0}
    real_lex = highlight.render_highlighted
    real_blame = Changeset.annotate

    def lex(*args):
        calls["lex"] += 1
        return real_lex(*args)

    def blame(self, path):
        calls["blame"] += 1
        return real_blame(self, path)

    monkeypatch.setattr(highlight, "render_highlighted", lex)
    monkeypatch.setattr(Changeset, "annotate", blame)
    from lindos.vcs.git.changeset import GitChangeset
    from lindos.vcs.hg.changeset import HgChangeset

    real_diffs = {cls: cls.diff_against_parent for cls in (GitChangeset, HgChangeset)}

    def diff(self):
        calls["diff"] += 1
        return real_diffs[type(self)](self)

    for cls in real_diffs:
        monkeypatch.setattr(cls, "diff_against_parent", diff)
    return calls


def test_first_views_after_preparation_do_no_work(client, browse_repo, counted):
    ids = browse_repo.ids
    report = prepare.prepare_push(browse_repo.row.pk, [(ids[-2], ids[-1])])
    assert (report.changesets, report.files, report.annotations) == (1, 1, 1)
    assert counted["blame"] == 1 and counted["lex"] >= 1 and counted["diff"] == 1
    counted.update(lex=0, blame=0, diff=0)
    for tail in (
        f"changeset/{ids[-1]}",
        f"files/{ids[-1]}/src/app.py",
        "files/tip/src/app.py",
        f"annotate/{ids[-1]}/src/app.py",
        "annotate/tip/src/app.py",
        "summary",
    ):
        assert client.get(browse_repo.url(tail)).status_code == 200
    assert counted == {"lex": 0, "blame": 0, "diff": 0}


def test_every_new_changeset_is_prepared_heads_first(browse_repo):
    ids = browse_repo.ids
    from lindos.vcs import open_repository

    vcs_repo = open_repository(browse_repo.row.path)
    found = prepare.new_changesets(vcs_repo, [(ids[-6], ids[-1])])
    assert [cs.id for cs, _ in found] == [ids[-1], ids[-2], ids[-3], ids[-4], ids[-5]]
    assert [is_head for _, is_head in found] == [True, False, False, False, False]
    # A new branch contributes its head only; deleted ones were dropped earlier.
    assert [cs.id for cs, _ in prepare.new_changesets(vcs_repo, [(None, ids[3])])] == [ids[3]]
    assert len(prepare.new_changesets(vcs_repo, [(ids[0], ids[-1])], limit=4)) == 4


def test_a_huge_push_stops_at_its_bounds(browse_repo, counted, monkeypatch):
    ids = browse_repo.ids
    monkeypatch.setattr(prepare, "MAX_FILES", 0)
    report = prepare.prepare_push(browse_repo.row.pk, [(ids[-2], ids[-1])])
    assert report.files == 0 and report.skipped == [f"{ids[-1][:12]}: 1 file(s) past 0"]
    assert counted["blame"] == 0

    report = prepare.prepare_push(browse_repo.row.pk, [(ids[0], ids[-1])], budget=0)
    assert report.out_of_time and report.changesets == 0


def test_unknown_repository_or_changeset_prepares_nothing(browse_repo, counted):
    assert prepare.prepare_push(10**9, [(None, browse_repo.tip)]) is None
    report = prepare.prepare_push(browse_repo.row.pk, [(None, "f" * 40)])
    assert report.changesets == 0 and counted == {"lex": 0, "blame": 0, "diff": 0}


def test_large_files_are_not_annotated_past_display(browse_repo, counted, monkeypatch):
    from lindos.repos.browse import files

    monkeypatch.setattr(files, "DISPLAY_LIMIT", 5)
    report = prepare.prepare_push(browse_repo.row.pk, [(browse_repo.ids[-2], browse_repo.tip)])
    assert report.files == 0 and counted["blame"] == 0


def test_a_push_refreshes_the_history_indexes(tmp_path, settings, make_user):
    """git: the commit-graph file the changelog graph pages through."""
    import os

    from lindos.vcs.testing import make_git_repo

    from .conftest import register

    (tmp_path / "g").mkdir()
    ids = make_git_repo(tmp_path / "g" / "r", [{"message": "one"}, {"message": "two"}])
    row = register(settings, str(tmp_path), "g/r", "git", make_user("owner"))
    info = tmp_path / "g" / "r" / "objects" / "info"
    assert not (info / "commit-graph").exists() and not (info / "commit-graphs").exists()
    prepare.prepare_push(row.pk, [(ids[0], ids[1])])
    assert (info / "commit-graph").exists() or os.listdir(info / "commit-graphs")

"""The VCS interface contract, run against git and hg alike.

Every test takes ``vcs_repo`` (and ``ids``) from ``conftest.py``, which is
parametrized over both backends: one suite, two implementations.
"""

from __future__ import annotations

import datetime
import io
import tarfile
import zipfile

import pytest

from lindos.vcs import (
    BranchMoved,
    ChangedFile,
    CommitRefused,
    DirNode,
    FileNode,
    PathNotFound,
    RepositoryNotFound,
    RevisionNotFound,
    VCSError,
    clone_repository,
    detect_kind,
    init_repository,
    open_repository,
)
from lindos.vcs.testing import BASE_TIME, make_git_repo, make_hg_repo

from .conftest import APP_V0, APP_V4, BOB, PNG, ZOE

UTC = datetime.UTC


def at(index: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(BASE_TIME + 60 * index, UTC)


# -- opening ------------------------------------------------------------------


def test_open_detects_kind(built, vcs_repo):
    assert detect_kind(built.path) == built.kind
    assert vcs_repo.kind == built.kind
    assert vcs_repo.path == built.path


def test_open_refuses_a_plain_directory(tmp_path):
    with pytest.raises(RepositoryNotFound):
        open_repository(str(tmp_path))
    with pytest.raises(RepositoryNotFound):
        open_repository(str(tmp_path / "missing"))


# -- revisions ----------------------------------------------------------------


def test_default_revision_is_default_branch_tip(vcs_repo, ids):
    assert vcs_repo.get_changeset().id == ids[4]
    assert vcs_repo.default_branch in ("master", "default")
    assert vcs_repo.branches[vcs_repo.default_branch] == ids[4]


@pytest.mark.parametrize("name, index", [("feature", 3), ("v1.0", 2)])
def test_revision_by_branch_and_tag(vcs_repo, ids, name, index):
    assert vcs_repo.get_changeset(name).id == ids[index]


def test_revision_by_full_and_short_hash(vcs_repo, ids):
    cs = vcs_repo.get_changeset(ids[1])
    assert cs.id == ids[1]
    assert cs.short_id == ids[1][:12]
    assert vcs_repo.get_changeset(cs.short_id).id == ids[1]


@pytest.mark.parametrize(
    "rev",
    [
        "nope",
        "deadbeefdeadbeef",
        "0" * 40,
        "f" * 40,
        "",
        "HEAD~1",
        "feature^",
        "tip\x00",
        "master..feature",
        # too long for an id, or hg's wdir id
        "a" * 64,
        "f" * 64,
        "c" * 41,
        "d" * 63,
        "ffff",
        "f" * 39,
        "a" * 5000,
        "..",
        "^",
        "~",
        "@{-1}",
        ":/Initial",
        "é",
        "\udcff",
        "\n",
        " ",
        "A" * 40,
    ],
)
def test_unknown_revision(vcs_repo, rev):
    with pytest.raises(RevisionNotFound):
        vcs_repo.get_changeset(rev)


def test_file_id_is_not_a_revision(vcs_repo):
    blob_id = vcs_repo.get_changeset().get_node("README.rst").blob_id
    with pytest.raises(RevisionNotFound):
        vcs_repo.get_changeset(blob_id)


def test_refs(vcs_repo, ids):
    assert vcs_repo.branches == {vcs_repo.default_branch: ids[4], "feature": ids[3]}
    assert vcs_repo.tags == {"v1.0": ids[2]}


# -- changeset fields ---------------------------------------------------------


def test_changeset_fields(vcs_repo, ids):
    first = vcs_repo.get_changeset(ids[0])
    assert first.author == ZOE
    assert first.author_name == "Zoë Ærøskøbing"
    assert first.author_email == "zoe@example.com"
    assert first.message == "Initial import"
    assert first.date == at(0)
    assert first.date.tzinfo is not None
    assert first.parents == []
    assert vcs_repo.get_changeset(ids[3]).parents == [ids[2]]


def test_latin1_message_is_decoded(vcs_repo, ids):
    cs = vcs_repo.get_changeset(ids[1])
    assert cs.message.rstrip() == "Café fix\n\nLatin-1 body."
    assert cs.summary == "Café fix"
    assert cs.author == BOB


def test_changeset_branch_and_tags(vcs_repo, ids):
    assert vcs_repo.get_changeset(ids[3]).branch == "feature"
    assert vcs_repo.get_changeset(ids[4]).branch == vcs_repo.default_branch
    assert vcs_repo.get_changeset(ids[2]).tags == ["v1.0"]
    assert vcs_repo.get_changeset(ids[1]).tags == []


def test_named_refs_list_branches_default_first_then_bookmarks_then_tags(vcs_repo, ids):
    refs = vcs_repo.named_refs()
    assert [(r.kind, r.name) for r in refs] == [
        ("branch", vcs_repo.default_branch),
        ("branch", "feature"),
        ("tag", "v1.0"),
    ]
    assert [r.id for r in refs] == [vcs_repo.branches[vcs_repo.default_branch], ids[3], ids[2]]
    assert [r.value for r in refs] == [f"branch:{vcs_repo.default_branch}", "branch:feature", "tag:v1.0"]


# -- tree ---------------------------------------------------------------------


def test_root_listing_puts_dirs_first(vcs_repo):
    root = vcs_repo.get_changeset().get_node("")
    assert isinstance(root, DirNode)
    # hg keeps its tags in a tracked .hgtags file; git has no such file.
    assert [(n.kind, n.name) for n in root.entries() if n.name != ".hgtags"] == [
        ("dir", "docs"),
        ("dir", "images"),
        ("dir", "src"),
        ("file", "README.rst"),
        ("file", "link-to-readme"),
    ]


def test_subdirectory_listing(vcs_repo):
    docs = vcs_repo.get_changeset().get_node("docs/")
    assert docs.path == "docs"
    assert [n.path for n in docs.entries()] == ["docs/manual.txt", "docs/naïve.txt"]
    assert all(n.size > 0 for n in docs.entries())


def test_iter_files_lists_every_file_of_the_tree_once(vcs_repo, ids):
    tip = vcs_repo.get_changeset()
    files = {n.path: n for n in tip.iter_files() if n.path != ".hgtags"}
    assert sorted(files) == [
        "README.rst",
        "docs/manual.txt",
        "docs/naïve.txt",
        "images/logo.png",
        "link-to-readme",
        "src/app.py",
    ]
    assert files["src/app.py"].content == APP_V4
    assert files["link-to-readme"].is_symlink
    assert files["README.rst"].blob_id == tip.get_node("README.rst").blob_id
    # An older changeset's tree, not the tip's.
    assert "latin1.txt" in {n.path for n in vcs_repo.get_changeset(ids[1]).iter_files()}


def test_file_node(vcs_repo, ids):
    node = vcs_repo.get_changeset().get_node("src/app.py")
    assert isinstance(node, FileNode)
    assert (node.name, node.content, node.size) == ("app.py", APP_V4, len(APP_V4))
    assert not node.is_binary
    assert node.mimetype == "text/x-python"
    assert vcs_repo.get_changeset(ids[0]).get_file_content("src/app.py") == APP_V0


def test_binary_file(vcs_repo):
    node = vcs_repo.get_changeset().get_node("images/logo.png")
    assert node.content == PNG
    assert node.is_binary
    assert node.mimetype == "image/png"


def test_non_utf8_file_and_non_ascii_name(vcs_repo, ids):
    latin = vcs_repo.get_changeset(ids[1]).get_node("latin1.txt")
    assert latin.content == b"caf\xe9\n"
    assert not latin.is_binary
    assert latin.mimetype == "text/plain"
    assert vcs_repo.get_changeset().get_file_content("docs/naïve.txt") == "naïve café\n".encode()


def test_symlink_is_shown_as_its_target(vcs_repo):
    link = vcs_repo.get_changeset().get_node("link-to-readme")
    assert link.is_symlink
    assert link.content == b"README.rst"
    assert link.mimetype == "text/plain"


def test_blob_id_is_stable_while_content_is(vcs_repo, ids):
    first, last = vcs_repo.get_changeset(ids[0]), vcs_repo.get_changeset()
    assert first.get_node("README.rst").blob_id == last.get_node("README.rst").blob_id
    assert first.get_node("src/app.py").blob_id != last.get_node("src/app.py").blob_id


def test_last_changeset_of_a_file(vcs_repo, ids):
    node = vcs_repo.get_changeset(ids[2]).get_node("src/app.py")
    assert node.last_changeset().id == ids[1]


@pytest.mark.parametrize("path", ["nope.txt", "src/nope", "README.rst/x"])
def test_unknown_path(vcs_repo, path):
    with pytest.raises(PathNotFound):
        vcs_repo.get_changeset().get_node(path)


@pytest.mark.parametrize(
    "path",
    ["../README.rst", "src/../README.rst", "/README.rst", "src//app.py", "./README.rst", "README.rst\x00"],
)
def test_unsafe_path_refused(vcs_repo, path):
    with pytest.raises(PathNotFound):
        vcs_repo.get_changeset().get_node(path)


def test_directory_is_not_file_content(vcs_repo):
    with pytest.raises(PathNotFound):
        vcs_repo.get_changeset().get_file_content("src")


def test_deleted_file_is_gone(vcs_repo, ids):
    assert vcs_repo.get_changeset(ids[1]).get_node("latin1.txt")
    with pytest.raises(PathNotFound):
        vcs_repo.get_changeset(ids[4]).get_node("latin1.txt")


# -- history ------------------------------------------------------------------


def test_history_newest_first(vcs_repo, ids):
    page = vcs_repo.iter_changesets(limit=2)
    assert [cs.id for cs in page][:1] == [ids[4]]
    assert len(page) == 2
    everything = vcs_repo.iter_changesets(limit=None)
    assert everything[-1].id == ids[0]
    assert ids[3] not in [cs.id for cs in everything]


def test_history_of_one_file(vcs_repo, ids):
    history = vcs_repo.iter_changesets(path="src/app.py")
    assert [cs.id for cs in history] == [ids[4], ids[1], ids[0]]
    on_feature = vcs_repo.iter_changesets(branch="feature", path="src/app.py")
    assert [cs.id for cs in on_feature] == [ids[3], ids[1], ids[0]]
    paged = vcs_repo.iter_changesets(path="src/app.py", offset=1, limit=1)
    assert [cs.id for cs in paged] == [ids[1]]


def test_history_of_a_directory_and_a_deleted_file(vcs_repo, ids):
    assert [cs.id for cs in vcs_repo.iter_changesets(path="docs")] == [ids[2], ids[0]]
    assert [cs.id for cs in vcs_repo.iter_changesets(path="latin1.txt")] == [ids[4], ids[1]]


def test_history_from_a_revision(vcs_repo, ids):
    history = vcs_repo.iter_changesets(start_rev=ids[1])
    assert [cs.id for cs in history] == [ids[1], ids[0]]
    with pytest.raises(RevisionNotFound):
        vcs_repo.iter_changesets(start_rev="nope")


def test_count_changesets(vcs_repo):
    total = len(vcs_repo.iter_changesets(limit=None))
    assert vcs_repo.count_changesets() == total
    assert vcs_repo.count_changesets(cap=2) == 2
    assert vcs_repo.count_changesets("feature") == len(vcs_repo.iter_changesets(branch="feature", limit=None))


# -- annotate -----------------------------------------------------------------


def test_annotate(vcs_repo, ids):
    lines = vcs_repo.get_changeset().annotate("src/app.py")
    assert [(l.line_no, l.changeset_id, l.line) for l in lines] == [
        (1, ids[0], b"import os"),
        (2, ids[1], b"import sys"),
        (3, ids[0], b""),
        (4, ids[0], b"def main():"),
        (5, ids[4], b"    return 42"),
        (6, ids[1], b""),
        (7, ids[1], b"print(main())"),
    ]
    assert lines[0].author == ZOE and lines[1].author == BOB
    assert lines[1].date == at(1)


def test_annotate_unknown_path(vcs_repo):
    with pytest.raises(PathNotFound):
        vcs_repo.get_changeset().annotate("nope.txt")


# -- changes and diffs --------------------------------------------------------


def test_changed_files(vcs_repo, ids):
    def changes(i):
        return sorted(vcs_repo.get_changeset(ids[i]).changed_files())

    assert changes(1) == [ChangedFile("A", "latin1.txt", None), ChangedFile("M", "src/app.py", None)]
    assert changes(2) == [ChangedFile("R", "docs/manual.txt", "docs/guide.txt")]
    assert changes(4) == [ChangedFile("D", "latin1.txt", None), ChangedFile("M", "src/app.py", None)]
    assert {c.status for c in changes(0)} == {"A"}
    assert len(changes(0)) == 6


def test_file_stats(vcs_repo, ids):
    stats = {s.path: s for s in vcs_repo.get_changeset(ids[1]).file_stats()}
    assert stats["src/app.py"][1:] == (3, 0, False)
    assert stats["latin1.txt"][1:] == (1, 0, False)
    first = {s.path: s for s in vcs_repo.get_changeset(ids[0]).file_stats()}
    assert first["images/logo.png"].binary
    assert first["docs/guide.txt"][1:] == (20, 0, False)


def test_diff_against_parent(vcs_repo, ids):
    diff = vcs_repo.get_changeset(ids[4]).diff_against_parent()
    assert b"diff --git a/src/app.py b/src/app.py\n" in diff
    assert b"--- a/src/app.py\n+++ b/src/app.py\n" in diff
    assert b"\n-    return 1\n+    return 42\n" in diff
    assert b"deleted file mode 100644" in diff
    assert b"\n-caf\xe9\n" in diff


def test_diff_of_root_changeset_and_binary(vcs_repo, ids):
    diff = vcs_repo.get_changeset(ids[0]).diff_against_parent()
    assert b"+++ b/src/app.py\n" in diff
    assert b"images/logo.png" in diff
    assert b"Binary file" in diff
    assert PNG not in diff


def test_diff_shows_renames(vcs_repo, ids):
    diff = vcs_repo.get_changeset(ids[2]).diff_against_parent()
    assert b"rename from docs/guide.txt\nrename to docs/manual.txt\n" in diff


def test_diff_between_changesets(vcs_repo, ids):
    diff = vcs_repo.diff(ids[0], "feature")
    assert b"+    return 2\n" in diff
    assert b"+new\n" in diff
    assert b"rename to docs/manual.txt" in diff
    assert vcs_repo.diff(ids[3], ids[3]) == b""


# -- ancestry -----------------------------------------------------------------


def test_ancestor(vcs_repo, ids):
    assert vcs_repo.ancestor("feature", vcs_repo.default_branch) == ids[2]
    assert vcs_repo.ancestor(ids[1], ids[4]) == ids[1]


def test_changesets_between(vcs_repo, ids):
    assert [cs.id for cs in vcs_repo.changesets_between(vcs_repo.default_branch, "feature")] == [ids[3]]
    from_start = vcs_repo.changesets_between(ids[0], ids[4])
    assert [cs.id for cs in from_start][:2] == [ids[1], ids[2]]
    assert from_start[-1].id == ids[4]
    assert vcs_repo.changesets_between(ids[4], ids[1]) == []


def test_contains(vcs_repo, ids):
    assert vcs_repo.contains(ids[0], ids[4])
    assert vcs_repo.contains(ids[4], ids[4])
    assert not vcs_repo.contains(ids[4], ids[0])
    assert not vcs_repo.contains(ids[3], ids[4])


# -- archives -----------------------------------------------------------------


def _archive_files(data: bytes, fmt: str) -> dict[str, bytes]:
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    mode = {"tar.gz": "r:gz", "tar.bz2": "r:bz2"}[fmt]
    with tarfile.open(fileobj=io.BytesIO(data), mode=mode) as tf:
        return {m.name: tf.extractfile(m).read() for m in tf.getmembers() if m.isfile()}


@pytest.mark.parametrize("fmt", ["zip", "tar.gz", "tar.bz2"])
def test_archive(vcs_repo, ids, fmt):
    data = b"".join(vcs_repo.archive(ids[4], fmt, prefix="proj-42"))
    files = _archive_files(data, fmt)
    assert files["proj-42/src/app.py"] == APP_V4
    assert files["proj-42/images/logo.png"] == PNG
    assert "proj-42/latin1.txt" not in files
    assert "proj-42/.hg_archival.txt" not in files


ODD_NAMES = [
    {
        "files": {
            b"caf\xe9.txt": b"latin-1 name\n",
            "na\u00efve/a #1?.txt": b"utf-8 dir\n",
            "plain.txt": b"ascii\n",
        },
        "symlinks": {"link": "plain.txt"},
    }
]


@pytest.fixture(scope="module")
def odd_name_repos(tmp_path_factory):
    """kind -> repository of ``ODD_NAMES``, one per backend."""
    root = tmp_path_factory.mktemp("odd-names")
    make_git_repo(root / "git", ODD_NAMES)
    make_hg_repo(root / "hg", ODD_NAMES)
    return {kind: open_repository(str(root / kind)) for kind in ("git", "hg")}


def _archive_names(data: bytes, fmt: str) -> list[bytes]:
    """Member names as the bytes stored in the archive, directories with
    a trailing slash."""
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            # zipfile decodes a name without the UTF-8 flag as CP437.
            return sorted(
                i.filename.encode("utf-8" if i.flag_bits & 0x800 else "cp437") for i in zf.infolist()
            )
    mode = {"tar.gz": "r:gz", "tar.bz2": "r:bz2"}[fmt]
    with tarfile.open(fileobj=io.BytesIO(data), mode=mode, encoding="utf-8", errors="surrogateescape") as tf:
        return sorted(
            m.name.encode("utf-8", "surrogateescape") + (b"/" if m.isdir() else b"") for m in tf.getmembers()
        )


@pytest.mark.parametrize("fmt", ["zip", "tar.gz", "tar.bz2"])
def test_archive_keeps_names_that_are_not_utf8(odd_name_repos, fmt):
    listed = {}
    for kind, repo in odd_name_repos.items():
        data = b"".join(repo.archive(None, fmt, prefix="odd-1"))
        listed[kind] = _archive_names(data, fmt)
        if fmt != "zip":
            tf = tarfile.open(fileobj=io.BytesIO(data), mode="r:*", errors="surrogateescape")
            member = tf.getmember("odd-1/caf\udce9.txt")
            assert tf.extractfile(member).read() == b"latin-1 name\n"
            assert tf.getmember("odd-1/link").linkname == "plain.txt"
    assert (
        listed["hg"]
        == listed["git"]
        == [
            b"odd-1/",
            b"odd-1/caf\xe9.txt",
            b"odd-1/link",
            "odd-1/na\u00efve/".encode(),
            "odd-1/na\u00efve/a #1?.txt".encode(),
            b"odd-1/plain.txt",
        ]
    )


def test_archive_refuses_bad_arguments(vcs_repo):
    with pytest.raises(VCSError):
        vcs_repo.archive(None, "rar")
    with pytest.raises(RevisionNotFound):
        vcs_repo.archive("nope", "zip")
    with pytest.raises(PathNotFound):
        vcs_repo.archive(None, "zip", prefix="../evil")


# -- creating repositories ----------------------------------------------------


def test_init_creates_an_empty_repository(built, tmp_path):
    repo = init_repository(str(tmp_path / "new"), built.kind)
    assert repo.kind == built.kind
    assert repo.is_empty()
    assert repo.branches == {} and repo.tags == {}
    assert repo.default_branch == {"git": "master", "hg": "default"}[built.kind]
    assert repo.iter_changesets() == []
    assert repo.count_changesets() == 0
    with pytest.raises(RevisionNotFound):
        repo.get_changeset()
    with pytest.raises(VCSError):
        init_repository(str(tmp_path / "new"), built.kind)


def test_clone_copies_history(built, vcs_repo, ids, tmp_path):
    fork = clone_repository(built.path, str(tmp_path / "fork"), built.kind)
    assert fork.kind == built.kind
    assert not fork.is_empty()
    assert fork.branches == vcs_repo.branches
    assert fork.tags == vcs_repo.tags
    assert fork.get_changeset().id == ids[4]
    assert fork.size_on_disk() > 0


@pytest.mark.parametrize("make", [make_git_repo, make_hg_repo], ids=["git", "hg"])
def test_big_file_is_read_in_chunks(tmp_path, make):
    """Over STREAM_THRESHOLD, iter_content and head never keep the file on
    the node (git streams it from ``git cat-file``)."""
    from lindos.vcs.nodes import CHUNK_SIZE, STREAM_THRESHOLD

    data = b"\x00" + bytes(range(256)) * (STREAM_THRESHOLD // 128)
    make(tmp_path / "r", [{"message": "big", "files": {"big": data, "small": b"abc"}}])
    cs = open_repository(str(tmp_path / "r")).get_changeset()
    node = cs.get_node("big")
    assert node.head(5) == data[:5] and node.is_binary
    chunks = list(node.iter_content())
    assert b"".join(chunks) == data
    assert max(len(c) for c in chunks) <= CHUNK_SIZE
    assert "content" not in node.__dict__
    small = cs.get_node("small")
    assert list(small.iter_content()) == [b"abc"] and small.head(2) == b"ab"
    # a download stopped early stops the reader too
    stream = node.iter_content()
    next(stream)
    stream.close()


# -- heads, phases, hg's names --------------------------------------------------


def test_heads_are_the_tips_without_children(vcs_repo, ids):
    assert set(vcs_repo.heads) == {ids[3], ids[4]}
    assert vcs_repo.heads[0] == ids[4]  # newest first
    assert vcs_repo.closed_branches == {}


def test_phase(built, vcs_repo, ids):
    # hg commits start as drafts; git has no phases
    assert vcs_repo.get_changeset(ids[0]).phase == ("draft" if built.kind == "hg" else None)


def test_tip_is_mercurials_newest_changeset(built, vcs_repo, ids):
    if built.kind == "hg":
        assert vcs_repo.get_changeset("tip").id == ids[4]
    else:
        with pytest.raises(RevisionNotFound):
            vcs_repo.get_changeset("tip")


# -- the changelog graph, children, one file's diff ----------------------------

#: A history with a merge: 0-1 on the default branch, 2 on "topic" from 1,
#: 3 on the default branch, 4 merges "topic" into the default branch.
MERGE_HISTORY = [
    {"message": "root", "files": {"a.txt": b"a\n"}},
    {"message": "second", "files": {"a.txt": b"a\nb\n"}},
    {"message": "topic work", "branch": "topic", "files": {"t.txt": b"t\n"}},
    {"message": "main work", "files": {"m.txt": b"m\n"}},
    {"message": "merge topic", "merge": "topic", "files": {"m.txt": b"m\nmerged\n"}},
]


@pytest.fixture(scope="session")
def merge_repos(tmp_path_factory):
    root = tmp_path_factory.mktemp("merges")
    return {
        "git": (str(root / "m.git"), make_git_repo(root / "m.git", MERGE_HISTORY)),
        "hg": (str(root / "m-hg"), make_hg_repo(root / "m-hg", MERGE_HISTORY)),
    }


def assert_topological(changesets):
    position = {cs.id: i for i, cs in enumerate(changesets)}
    for cs in changesets:
        for parent in cs.parents:
            if parent in position:
                assert position[parent] > position[cs.id], f"{parent} listed above its child {cs.id}"


def test_graph_of_every_branch(vcs_repo, ids):
    rows = vcs_repo.graph_changesets()
    listed = [cs.id for cs in rows]
    assert set(ids) <= set(listed)  # the feature branch's changeset too
    assert len(listed) == len(set(listed))
    assert_topological(rows)
    paged = [
        cs.id
        for offset in range(0, len(listed), 2)
        for cs in vcs_repo.graph_changesets(offset=offset, limit=2)
    ]
    assert paged == listed
    assert vcs_repo.graph_changesets(offset=len(listed)) == []
    assert vcs_repo.graph_changesets(limit=0) == []


def test_graph_of_one_branch_is_its_history(vcs_repo, ids):
    listed = [cs.id for cs in vcs_repo.graph_changesets("feature")]
    assert listed[0] == ids[3]
    assert ids[4] not in listed
    assert set(ids[:4]) <= set(listed)
    with pytest.raises(RevisionNotFound):
        vcs_repo.graph_changesets("no-such-branch")


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_graph_lists_a_merge_above_both_parents(merge_repos, kind):
    path, mids = merge_repos[kind]
    repo = open_repository(path)
    rows = repo.graph_changesets()
    assert [cs.id for cs in rows][0] == mids[4]
    assert rows[0].parents == [mids[3], mids[2]]
    assert_topological(rows)
    assert {cs.id for cs in rows} == set(mids)


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_children(merge_repos, kind):
    path, mids = merge_repos[kind]
    repo = open_repository(path)
    assert repo.children_ids(mids[1]) == [mids[2], mids[3]]
    assert repo.children_ids(mids[2]) == [mids[4]]
    assert repo.children_ids(mids[4]) == []
    with pytest.raises(RevisionNotFound):
        repo.children_ids("0" * 40)


def test_file_diff_between_two_revisions(vcs_repo, ids):
    diff = vcs_repo.file_diff(ids[0], ids[4], "src/app.py")
    assert b"-    return 1\n" in diff
    assert b"+    return 42\n" in diff
    assert diff.count(b"diff --git") == 1  # only that file


def test_file_diff_from_or_to_nothing(vcs_repo, ids):
    added = vcs_repo.file_diff(None, ids[0], "src/app.py")
    assert b"new file mode" in added and b"+import os\n" in added
    removed = vcs_repo.file_diff(ids[1], ids[4], "latin1.txt")  # deleted in 4
    assert b"deleted file mode" in removed and b"-caf\xe9\n" in removed
    assert vcs_repo.file_diff(ids[0], ids[0], "src/app.py") == b""


def test_file_diff_context(vcs_repo, ids):
    full = vcs_repo.file_diff(ids[0], ids[4], "src/app.py", context=1000)
    assert b" import os\n" in full  # unchanged first line shown
    bare = vcs_repo.file_diff(ids[0], ids[4], "src/app.py", context=0)
    assert b"\n def main():\n" not in bare and b"\n import os\n" not in bare


@pytest.mark.parametrize("path", ["src", "", "missing.txt", "../etc/passwd"])
def test_file_diff_needs_a_file(vcs_repo, ids, path):
    with pytest.raises(PathNotFound):
        vcs_repo.file_diff(ids[0], ids[4], path)


def test_file_diff_of_an_unknown_revision(vcs_repo, ids):
    with pytest.raises(RevisionNotFound):
        vcs_repo.file_diff("nope", ids[4], "src/app.py")


def test_refresh_indexes_keeps_the_graph(built, tmp_path, ids):
    copy = clone_repository(built.path, str(tmp_path / "copy"), built.kind)
    before = [cs.id for cs in copy.graph_changesets()]
    copy.refresh_indexes()
    after = [cs.id for cs in open_repository(copy.path).graph_changesets()]
    assert sorted(after) == sorted(before)
    assert_topological(open_repository(copy.path).graph_changesets())


def test_branches_containing(vcs_repo, ids):
    default = vcs_repo.default_branch
    assert vcs_repo.branches_containing(ids[3]) == ["feature"]
    assert vcs_repo.branches_containing(ids[4]) == [default]
    if vcs_repo.kind == "git":  # reachable from both tips
        assert vcs_repo.branches_containing(ids[1]) == sorted([default, "feature"])
    else:  # on its one named branch
        assert vcs_repo.branches_containing(ids[1]) == [default]
    with pytest.raises(RevisionNotFound):
        vcs_repo.branches_containing("nope")


# -- commits written by the server (commit_files) -------------------------------

EDITOR = "Web Editor <editor@example.com>"
WHEN = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))


@pytest.fixture
def writable(built, tmp_path):
    """A private copy of the shared history, to write into."""
    import shutil

    path = tmp_path / "copy"
    shutil.copytree(built.path, path, symlinks=True)
    return open_repository(str(path))


def commit_on(repo, branch, files, *, parent=None, message="Edit from the web"):
    parent = repo.branches[branch] if parent is None else parent
    return repo.commit_files(
        branch=branch, parent=parent, files=files, message=message, author=EDITOR, date=WHEN
    )


def test_commit_files_edits_adds_and_deletes_on_a_branch(writable, ids):
    branch = writable.default_branch
    new = commit_on(
        writable,
        branch,
        {"src/app.py": b"print('edited')\n", "new/dir/file.txt": b"fresh\n", "docs/naïve.txt": None},
        message="Edit, add and delete\n\nCafé body.",
    )
    repo = open_repository(writable.path)  # a fresh handle sees the moved branch
    assert repo.branches[branch] == new
    cs = repo.get_changeset(new)
    assert cs.parents == [writable.branches[branch]]
    assert cs.author == EDITOR and cs.message.strip() == "Edit, add and delete\n\nCafé body."
    assert cs.date == WHEN and cs.date.utcoffset() == datetime.timedelta(hours=2)
    assert cs.branch == branch
    assert cs.get_file_content("src/app.py") == b"print('edited')\n"
    assert cs.get_file_content("new/dir/file.txt") == b"fresh\n"
    with pytest.raises(PathNotFound):
        cs.get_node("docs/naïve.txt")
    assert cs.get_file_content("images/logo.png") == PNG  # the rest of the tree is kept
    assert {(c.status, c.path) for c in cs.changed_files()} == {
        ("M", "src/app.py"),
        ("A", "new/dir/file.txt"),
        ("D", "docs/naïve.txt"),
    }
    assert repo.branches["feature"] == ids[3]  # other branches untouched
    assert repo.iter_changesets(limit=2)[1].id == ids[4] or writable.kind == "hg"


def test_commit_files_on_another_branch(writable, ids):
    new = commit_on(writable, "feature", {"feature.txt": b"more\n"})
    repo = open_repository(writable.path)
    assert repo.branches["feature"] == new
    assert repo.get_changeset(new).parents == [ids[3]]
    assert repo.get_changeset(new).branch == "feature"
    assert repo.branches[repo.default_branch] == writable.branches[writable.default_branch]


def test_commit_files_keeps_the_executable_bit(built, tmp_path):
    import os
    import subprocess

    from lindos.vcs.testing import hg_binary

    work = tmp_path / "x"
    work.mkdir()
    (work / "run.sh").write_bytes(b"echo 1\n")
    os.chmod(work / "run.sh", 0o755)
    env = {**os.environ, "HGRCPATH": "", "HGUSER": EDITOR, "GIT_CONFIG_GLOBAL": os.devnull}
    env.update(GIT_AUTHOR_NAME="E", GIT_AUTHOR_EMAIL="e@x", GIT_COMMITTER_NAME="E", GIT_COMMITTER_EMAIL="e@x")
    if built.kind == "git":
        steps = [
            ["git", "init", "-q", "-b", "master"],
            ["git", "add", "run.sh"],
            ["git", "commit", "-qm", "one"],
        ]
    else:
        steps = [[hg_binary(), "init"], [hg_binary(), "commit", "-qAm", "one"]]
    for step in steps:
        subprocess.run(step, cwd=work, env=env, check=True, capture_output=True)
    repo = open_repository(str(work))
    assert repo.get_changeset().get_node("run.sh").is_executable
    new = commit_on(repo, repo.default_branch, {"run.sh": b"echo 2\n"})
    node = open_repository(str(work)).get_changeset(new).get_node("run.sh")
    assert node.is_executable and node.content == b"echo 2\n"


def test_hg_commit_from_the_server_is_public_like_a_push(built, writable):
    new = commit_on(writable, writable.default_branch, {"README.rst": b"Hi\n"})
    phase = open_repository(writable.path).get_changeset(new).phase
    assert phase == ("public" if built.kind == "hg" else None)


def test_commit_files_refuses_a_stale_parent(writable, ids):
    branch = writable.default_branch
    before = writable.branches[branch]
    with pytest.raises(BranchMoved):
        commit_on(writable, branch, {"README.rst": b"lost?\n"}, parent=ids[1])
    assert open_repository(writable.path).branches[branch] == before


def test_the_atomic_step_refuses_a_branch_moved_after_the_check(built, writable, ids):
    """The backends' own check, under the lock or compare-and-swap: a push
    that lands between ``commit_files``'s check and the move keeps its
    commit, ours is refused."""
    branch = writable.default_branch
    pushed = commit_on(writable, branch, {"README.rst": b"pushed first\n"})
    stale = writable.branches[branch]  # this handle still sees the old tip
    with pytest.raises(BranchMoved):
        writable._commit(branch, stale, {"README.rst": b"second\n"}, "late", EDITOR, WHEN)
    repo = open_repository(writable.path)
    assert repo.branches[branch] == pushed
    assert repo.get_changeset(branch).get_file_content("README.rst") == b"pushed first\n"


@pytest.mark.parametrize("name", ["v1.0", "HEAD", "tip", "refs/heads/feature", "nope", ""])
def test_commit_files_needs_a_branch(writable, ids, name):
    with pytest.raises(CommitRefused):
        writable.commit_files(
            branch=name, parent=ids[4], files={"README.rst": b"x\n"}, message="m", author=EDITOR
        )


@pytest.mark.parametrize(
    "files",
    [
        {"../outside": b"x"},
        {"docs/../x": b"x"},
        {"/etc/passwd": b"x"},
        {"a\x00b": b"x"},
        {"": b"x"},
        {"a\nb": b"x"},
        {".git/config": b"x"},
        {"sub/.HG/hgrc": b"x"},
        {"README.rst/inside": b"x"},  # through a file
        {"docs": b"x"},  # onto a directory
        {"link-to-readme": b"x"},  # a symlink
        {"missing.txt": None},  # delete what is not there
        {"README.rst": b"Hello\n=====\n"},  # no change
        {},
    ],
)
def test_commit_files_refuses_bad_changes(writable, files):
    branch = writable.default_branch
    before = writable.branches[branch]
    with pytest.raises(CommitRefused):
        commit_on(writable, branch, files)
    assert open_repository(writable.path).branches[branch] == before


def test_commit_files_starts_an_empty_repository(built, tmp_path):
    repo = init_repository(str(tmp_path / "empty"), built.kind)
    branch = repo.default_branch
    with pytest.raises(CommitRefused):
        repo.commit_files(branch="other", parent=None, files={"a": b"1"}, message="m", author=EDITOR)
    with pytest.raises(CommitRefused):
        repo.commit_files(branch=branch, parent=None, files={"a": None}, message="m", author=EDITOR)
    new = repo.commit_files(
        branch=branch, parent=None, files={"a.txt": b"1\n"}, message="First", author=EDITOR
    )
    repo = open_repository(str(tmp_path / "empty"))
    assert repo.branches == {branch: new}
    assert repo.get_changeset().get_file_content("a.txt") == b"1\n"
    assert repo.get_changeset().parents == []

"""``/REPO/changeset/REV``, ``/REPO/raw-changeset/REV`` and
``/REPO/changeset-patch/REV``."""

import re
import subprocess

from lindos.repos.browse import changeset as changeset_views
from lindos.repos.browse import diffs


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_changeset_page(client, browse_repo):
    ids = browse_repo.ids
    page = get(client, browse_repo.url(f"changeset/{ids[-1][:12]}"))
    seen = visible(page)
    assert f"Changeset {ids[-1][:12]}" in seen
    assert "Answer 42" in seen
    assert "Zoë Ærøskøbing" in seen and "zoe@example.com" in seen
    assert "2023-11-14" in seen
    # parent linked (git: the last note; hg likewise)
    assert f'href="/group/project/changeset/{ids[-2]}"' in page
    # per-file stats and the diff, highlighted
    assert "1 file changed, +1 -1" in seen
    assert "src/app.py" in seen
    assert '<tr class="del" data-path="src/app.py" data-old="5" data-new="">' in page
    assert '<tr class="add" data-path="src/app.py" data-old="" data-new="5">' in page
    assert '<span class="mi">42</span>' in page
    assert "@@ -2,7 +2,7 @@" in seen


def test_changeset_by_branch_tag_and_latin1_message(client, browse_repo):
    assert "Feature work" in get(client, browse_repo.url("changeset/feature"))
    assert "Make main print" in get(client, browse_repo.url("changeset/v1.0"))
    page = visible(get(client, browse_repo.url(f"changeset/{browse_repo.ids[1]}")))
    assert "Café crème fix" in page and "Latin-1 body." in page
    assert "latin1.txt" in page and "café crème" in page


def test_root_changeset_lists_added_files_including_binary(client, browse_repo):
    page = visible(get(client, browse_repo.url(f"changeset/{browse_repo.ids[0]}")))
    assert "No parent (root changeset)" in page
    assert "7 files changed" in page
    assert "Binary file changed." in page


def test_unknown_changeset_is_404(client, browse_repo):
    for tail in ("changeset/deadbeef", "changeset/nope", "raw-changeset/nope", "changeset-patch/nope"):
        assert client.get(browse_repo.url(tail)).status_code == 404


def test_large_diff_shows_view_raw(client, browse_repo, monkeypatch):
    monkeypatch.setattr(diffs, "MAX_FILE_LINES", 3)
    page = visible(get(client, browse_repo.url(f"changeset/{browse_repo.tip}")))
    assert "Diff too large, view raw." in page
    assert "+1 -1" in page  # counts are still shown
    monkeypatch.setattr(diffs, "MAX_DIFF_BYTES", 10)
    monkeypatch.setattr(diffs, "_CACHE_VERSION", "small")
    page = visible(get(client, browse_repo.url(f"changeset/{browse_repo.ids[0]}")))
    assert "diff too large, view raw" in page
    assert "README.md" in page


def test_raw_changeset_is_the_plain_diff(client, browse_repo):
    response = client.get(browse_repo.url(f"raw-changeset/{browse_repo.tip}"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content
    assert body.startswith(b"diff --git a/src/app.py b/src/app.py\n")
    assert b"-    return 1\n+    return 42\n" in body


def test_changeset_patch_applies_with_git_am(client, git_repo, tmp_path):
    response = client.get(git_repo.url(f"changeset-patch/{git_repo.tip}"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content
    assert body.startswith(f"From {git_repo.tip} Mon Sep 17 00:00:00 2001\n".encode())
    assert "From: Zoë Ærøskøbing <zoe@example.com>\n".encode() in body
    assert b"Subject: [PATCH] Answer 42\n" in body
    # Apply it on a clone of the parent: git am must recreate the same tree.
    work = tmp_path / "work"
    from django.conf import settings

    origin = f"{settings.LINDOS.base_path}/group/project"
    subprocess.run(["git", "clone", "-q", origin, str(work)], check=True)
    git = ["git", "-C", str(work), "-c", "user.name=T", "-c", "user.email=t@e"]
    subprocess.run([*git, "checkout", "-q", git_repo.ids[-2]], check=True)
    (tmp_path / "p.patch").write_bytes(body)
    subprocess.run([*git, "am", "-q", str(tmp_path / "p.patch")], check=True)
    tree = subprocess.run([*git, "rev-parse", "HEAD^{tree}"], capture_output=True, check=True).stdout
    want = subprocess.run(
        [*git, "rev-parse", git_repo.tip + "^{tree}"], capture_output=True, check=True
    ).stdout
    assert tree == want
    log = subprocess.run([*git, "log", "-1", "--format=%an|%s"], capture_output=True, check=True).stdout
    assert log.decode() == "Zoë Ærøskøbing|Answer 42\n"


def test_review_hook_extends_the_page(client, git_repo, monkeypatch):
    seen = []

    def hook(request, repo, cs, context):
        seen.append((repo.name, cs.id))
        context["changeset_includes"].append("repos/browse/_journal.html")
        context["journal"] = []

    monkeypatch.setattr(changeset_views, "_hooks", [])
    changeset_views.register_changeset_hook(hook)
    page = get(client, git_repo.url(f"changeset/{git_repo.tip}"))
    assert seen == [("group/project", git_repo.tip)]
    assert "Recent activity" in page

"""``/REPO/files/REV/PATH``: directory listings and the file view."""

import re

import pytest

from lindos.repos.browse import highlight

from .conftest import APP_V2, NOTES, README


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def visible(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, spaces squeezed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_root_listing_has_names_sizes_and_last_changes(client, browse_repo):
    page = text(client.get(browse_repo.url("files/tip/")))
    seen = visible(page)
    assert f"Files @ {browse_repo.tip[:12]}" in seen
    for name in ("src/", "docs/", "img/", "README.md", "latin1.txt", "notes.txt"):
        assert name in seen
    assert "feature.txt" not in seen  # only on the feature branch
    # name, size, last change (id and message)
    ids = browse_repo.ids
    assert f"latin1.txt 11 B {ids[1][:12]} Café crème fix" in seen
    assert f"notes.txt 8 B {ids[-2][:12]} Note {NOTES - 1}" in seen
    assert f"src/ {ids[-1][:12]} Answer 42" in seen
    assert f'href="/group/project/changeset/{ids[1]}"' in page


def test_files_without_rev_and_subdirectory(client, browse_repo):
    assert "README.md" in text(client.get(browse_repo.url("files")))
    page = text(client.get(browse_repo.url("files/tip/src")))
    assert "app.py" in page
    seen = visible(page)
    assert "Location: group/project/src" in seen
    assert 'href="/group/project/files/tip/"' in page  # breadcrumb to the root


def test_file_view_header_is_kallitheas(client, browse_repo):
    short = browse_repo.tip[:12]
    page = text(client.get(browse_repo.url(f"files/{short}/src/app.py")))
    seen = visible(page)
    assert f"Files @ {short}" in seen
    assert "Branch filter:" in seen
    assert "Location: group/project/src/app.py" in seen
    assert f'href="/group/project/files/{short}/src"' in page  # clickable location
    # the changeset that last changed the file: id, size, type, actions
    size = len(APP_V2)
    assert f"{short} {size} B text/x-python Show Annotation Show as Raw Download as Raw" in seen
    assert "Zoë Ærøskøbing" in seen and "Answer 42" in seen
    assert f'href="/group/project/annotate/{short}/src/app.py"' in page
    assert f'href="/group/project/raw/{short}/src/app.py"' in page
    assert f'href="/group/project/rawfile/{short}/src/app.py"' in page
    # highlighted, numbered lines with anchors
    assert '<tr id="L1"><td class="ln"><a href="#L1">1</a>' in page
    assert '<span class="kn">import</span>' in page
    assert 'return</span> <span class="mi">42</span>' in page


def test_file_view_shows_the_files_last_change_not_the_tip(client, browse_repo):
    page = visible(text(client.get(browse_repo.url("files/tip/docs/guide.rst"))))
    assert f"Files @ {browse_repo.tip[:12]}" in page
    assert f"{browse_repo.ids[0][:12]} 24 B text/prs.fallenstein.rst" in page
    assert "Initial import" in page


def test_file_at_branch_tag_and_short_hash(client, browse_repo):
    assert "feature" in text(client.get(browse_repo.url("files/feature/feature.txt")))
    page = visible(text(client.get(browse_repo.url("files/v1.0/src/app.py"))))
    assert f"Files @ {browse_repo.ids[2][:12]}" in page
    assert "Make main print" in page and "return 1" in page
    page = text(client.get(browse_repo.url(f"files/{browse_repo.ids[0][:7]}/src/app.py")))
    assert f"Files @ {browse_repo.ids[0][:12]}" in visible(page)


def test_branch_filter_switches_branch_keeping_the_path(client, browse_repo):
    response = client.get(browse_repo.url("files/tip/README.md") + "?at=feature")
    assert response.status_code == 302
    assert response["Location"] == "/group/project/files/feature/README.md"
    page = text(client.get(browse_repo.url("files/tip/README.md")))
    assert '<option value="feature">feature</option>' in page
    assert '<option value="v1.0">v1.0</option>' in page


def test_image_is_shown_inline_and_binary_offered(client, browse_repo):
    page = text(client.get(browse_repo.url("files/tip/img/logo.png")))
    assert '<img src="/group/project/raw/tip/img/logo.png"' in page
    assert "image/png" in page
    page = visible(text(client.get(browse_repo.url("files/tip/data.bin"))))
    assert "Binary file (100 B): Download as Raw." in page


def test_non_utf8_file_is_displayed(client, browse_repo):
    page = text(client.get(browse_repo.url("files/tip/latin1.txt")))
    assert "café crème" in page


def test_large_file_is_not_highlighted(client, browse_repo, monkeypatch):
    monkeypatch.setattr(highlight, "HIGHLIGHT_LIMIT", 10)
    page = text(client.get(browse_repo.url("files/tip/src/app.py")))
    assert "shown without highlighting" in page
    assert 'class="kn"' not in page
    assert "import os" in page


def test_a_file_past_the_on_demand_limit_is_plain_until_prepared(client, browse_repo, monkeypatch):
    monkeypatch.setattr(highlight, "ON_DEMAND_LIMIT", 10)
    calls = []
    real = highlight.render_highlighted
    monkeypatch.setattr(highlight, "render_highlighted", lambda *a: calls.append(a) or real(*a))
    page = text(client.get(browse_repo.url("files/tip/src/app.py")))
    assert "shown without highlighting" in page and 'class="kn"' not in page
    assert calls == []  # the request did not lex it
    # The background worker highlights up to the full limit; the page then shows it.
    from lindos.vcs import open_repository

    node = open_repository(browse_repo.row.path).get_changeset(None).get_node("src/app.py")
    highlight.highlighted_lines(node.blob_id, node.name, node.content, limit=highlight.HIGHLIGHT_LIMIT)
    page = text(client.get(browse_repo.url("files/tip/src/app.py")))
    assert "shown without highlighting" not in page and 'class="kn"' in page


def test_highlighting_is_cached_by_blob(client, browse_repo, monkeypatch):
    calls = []
    real = highlight.render_highlighted
    monkeypatch.setattr(highlight, "render_highlighted", lambda *a: calls.append(a) or real(*a))
    text(client.get(browse_repo.url("files/tip/src/app.py")))
    assert len(calls) == 1
    text(client.get(browse_repo.url("files/tip/src/app.py")))
    text(client.get(browse_repo.url(f"files/{browse_repo.tip}/src/app.py")))
    assert len(calls) == 1  # same blob: served from the cache
    text(client.get(browse_repo.url("files/v1.0/src/app.py")))
    assert len(calls) == 2  # another blob


@pytest.mark.parametrize(
    "tail",
    [
        "files/nosuchrev/README.md",
        "files/tip/no/such/file",
        "files/tip/../../etc/passwd",
        "files/tip/src/../README.md",
        "files/tip//README.md",
        "files/0000000000000000000000000000000000000000/README.md",
    ],
)
def test_unknown_revisions_paths_and_traversal_are_404(client, browse_repo, tail):
    response = client.get(browse_repo.url(tail))
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


@pytest.mark.parametrize(
    "tail,tab",
    [
        ("files/tip/no/such/file", "Files"),
        ("files/nosuchrev/README.md", "Files"),
        ("annotate/tip/no/such/file", "Files"),
        ("changeset/" + "f" * 40, "Changelog"),
    ],
)
def test_a_404_inside_a_repository_keeps_its_header_and_tabs(client, browse_repo, tail, tab):
    response = client.get(browse_repo.url(tail))
    page = response.content.decode()
    assert response.status_code == 404
    assert "group/project has no such file, folder or revision." in page
    assert 'id="clone-url"' in page and 'href="/group/project/forks"' in page
    assert re.search(rf'<a href="/group/project/[^"]*" class="active">{tab}</a>', page)


def test_a_404_in_a_private_repository_says_nothing_of_it(client, git_repo, make_user):
    git_repo.row.private = True
    git_repo.row.save()
    client.force_login(make_user("stranger"))
    page = client.get(git_repo.url("files/tip/no/such/file"))
    assert page.status_code == 404
    assert "group/project" not in page.content.decode()
    assert "There is nothing here, or you may not see it." in page.content.decode()


def test_notes_has_history_link(client, browse_repo):
    page = text(client.get(browse_repo.url("files/tip/notes.txt")))
    assert 'href="/group/project/changelog/tip/notes.txt"' in page
    assert f"note {NOTES - 1}" in page


def test_listing_last_changes_fill_in_within_a_time_budget(client, git_repo, monkeypatch):
    from lindos.repos.browse import files

    monkeypatch.setattr(files, "LAST_CHANGE_BUDGET", 0)  # no time for any lookup
    page = visible(text(client.get(git_repo.url("files/tip/"))))
    assert f"README.md {len(README)} B …" in page
    monkeypatch.setattr(files, "LAST_CHANGE_BUDGET", 60)
    page = visible(text(client.get(git_repo.url("files/tip/"))))
    assert "…" not in page and "Initial import" in page

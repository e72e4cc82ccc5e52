"""``changeset_parents``, ``changeset_children`` (JSON for scripts),
``changeset-download`` and ``changeset-diff``; and the changeset page's
links to its parents and children."""

import pytest

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def test_parents_and_children_as_json(client, browse_repo):
    ids = browse_repo.ids
    data = client.get(browse_repo.url(f"changeset_parents/{ids[1]}"), **XHR).json()
    assert [c["raw_id"] for c in data["results"]] == [ids[0]]
    assert data["results"][0] == {
        "short_id": ids[0][:12],
        "raw_id": ids[0],
        "message": "Initial import",
        "date": "2023-11-14T22:13:20+00:00",
        "author": "Zoë Ærøskøbing <zoe@example.com>",
    }
    children = client.get(browse_repo.url(f"changeset_children/{ids[0]}"), **XHR).json()
    assert [c["raw_id"] for c in children["results"]] == [ids[1]]
    assert client.get(browse_repo.url("changeset_children/tip"), **XHR).json() == {"results": []}
    assert client.get(browse_repo.url(f"changeset_parents/{ids[0]}"), **XHR).json() == {"results": []}


def test_a_fork_point_has_two_children(client, browse_repo):
    # git: 2 has "feature" and the default branch's next commit; hg: the
    # .hgtags commit of tag v1.0 instead of the latter
    data = client.get(browse_repo.url(f"changeset_children/{browse_repo.ids[2]}"), **XHR).json()
    found = [c["raw_id"] for c in data["results"]]
    assert len(found) == 2 and browse_repo.ids[3] in found


def test_json_needs_a_script_request(client, browse_repo):
    assert client.get(browse_repo.url("changeset_parents/tip")).status_code == 400
    assert client.get(browse_repo.url("changeset_children/nope"), **XHR).status_code == 404


@pytest.mark.parametrize("word", ["changeset_parents", "changeset_children"])
def test_json_of_a_private_repository_is_404(client, git_repo, word):
    git_repo.row.private = True
    git_repo.row.save()
    assert client.get(git_repo.url(f"{word}/tip"), **XHR).status_code == 404
    assert client.get(git_repo.url(f"{word}/tip")).status_code == 404  # no 400 that confirms it


def test_download_and_diff(client, browse_repo):
    raw = client.get(browse_repo.url("raw-changeset/tip"))
    download = client.get(browse_repo.url("changeset-download/tip"))
    assert download.content == raw.content and b"+    return 42" in download.content
    assert download["Content-Disposition"] == f'attachment; filename="{browse_repo.tip[:12]}.diff"'
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get(browse_repo.url("changeset-diff/tip")).content == raw.content


def test_changeset_page_links_parents_and_children(client, browse_repo):
    ids = browse_repo.ids
    html = client.get(browse_repo.url(f"changeset/{ids[1]}")).content.decode()
    assert f'<a class="mono" href="/group/project/changeset/{ids[0]}">{ids[0][:12]}</a>' in html
    # children come from the JSON on demand (static/changeset_nav.js)
    assert f'data-children-url="/group/project/changeset_children/{ids[1]}"' in html
    assert '<script src="/_static/changeset_nav.js" defer></script>' in html
    assert f'href="/group/project/changeset-download/{ids[1]}"' in html

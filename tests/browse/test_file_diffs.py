"""``/REPO/diff/PATH`` and ``/REPO/diff-2way/PATH``: one file between two
revisions, on git and hg alike."""

import re

from lindos.repos.browse.file_diffs import download_name

ZERO = "0" * 40


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_unified_diff_between_two_revisions(client, browse_repo):
    ids = browse_repo.ids
    response = client.get(browse_repo.url(f"diff/src/app.py?diff1={ids[0]}&diff2={ids[-1]}"))
    assert response.status_code == 200
    page = text(response)
    assert "Diff of src/app.py" in page
    assert f"From {ids[0][:12]} to {ids[-1][:12]}" in page
    html = response.content.decode()
    assert 'class="add"' in html and 'class="del"' in html
    assert "42" in page and "print" in page
    assert "+4 -1" in page.replace("+4 -1", "+4 -1")  # counts shown
    assert 'href="/group/project/diff-2way/src/app.py?diff1=' in html


def test_names_work_as_revisions_and_an_empty_side_is_an_added_file(client, browse_repo):
    page = text(client.get(browse_repo.url(f"diff/feature.txt?diff1={ZERO}&diff2=feature")))
    assert "From (none) to" in page and "feature" in page
    # diff1 missing: "diff2 against itself", no changes (as Kallithea)
    assert "No changes." in text(client.get(browse_repo.url("diff/src/app.py?diff2=v1.0")))


def test_raw_and_download(client, browse_repo):
    url = browse_repo.url("diff/src/app.py?diff1=v1.0&diff2=tip")
    raw = client.get(url + "&diff=raw")
    assert raw["Content-Type"] == "text/plain; charset=utf-8"
    assert b"-    return 1\n" in raw.content and b"+    return 42\n" in raw.content
    assert b"diff --git a/src/app.py b/src/app.py" in raw.content
    download = client.get(url + "&diff=download")
    assert download.content == raw.content
    assert download["Content-Disposition"] == 'attachment; filename="v1.0_vs_tip.diff"'


def test_download_name_cannot_break_the_header():
    assert download_name('a"b\r\nX: y', "feature/x") == "a_b__X__y_vs_feature_x.diff"


def test_show_rev_goes_to_the_file(client, browse_repo):
    ids = browse_repo.ids
    response = client.get(browse_repo.url(f"diff/src/app.py?diff1={ids[2]}&show_rev=1"))
    assert response.status_code == 302 and response["Location"] == f"/group/project/files/{ids[2]}/src/app.py"
    response = client.get(browse_repo.url(f"diff/src/app.py?diff1={ids[2]}&show_rev=1&annotate=1"))
    assert response["Location"] == f"/group/project/annotate/{ids[2]}/src/app.py"


def test_side_by_side_pairs_the_changed_lines(client, browse_repo):
    response = client.get(browse_repo.url("diff-2way/src/app.py?diff1=v1.0&diff2=tip"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Side-by-side diff of" in text(response)
    row = re.search(r'<tr class="change">(.*?)</tr>', html).group(1)
    assert 'class="line del"' in row and 'class="line add"' in row  # one row, both sides
    assert "1</span>" in row or "return" in row
    # whole files: the unchanged first line is there, on both sides
    assert re.search(r'<tr class="ctx"><td class="ln">1</td>.*import.*<td class="ln">1</td>', html)


def test_markup_in_a_file_is_escaped(client, browse_repo):
    html = client.get(browse_repo.url(f"diff-2way/page.html?diff1={ZERO}&diff2=tip")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "alert" in html

"""``/REPO/annotate/REV/PATH``: blame with linked changesets."""

import re

from lindos.repos.browse import annotate as annotate_views


def visible(html: str) -> str:
    html = html.replace("</td>", " </td>")  # cells read apart, as on screen
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_annotate_shows_changeset_author_and_date_per_line(client, browse_repo):
    ids = browse_repo.ids
    response = client.get(browse_repo.url("annotate/tip/src/app.py"))
    assert response.status_code == 200
    page = response.content.decode()
    seen = visible(page)
    assert f"Files @ {browse_repo.tip[:12]}" in seen
    assert "Show Source Show as Raw Download as Raw" in seen
    # lines 1-4 come from the initial import, 5 from "Answer 42", 6+ from v1.0
    assert f"{ids[0][:12]} Zoë Ærøskøbing 2023-11-14 1 import os" in seen
    assert f"{ids[-1][:12]} Zoë Ærøskøbing 2023-11-14 5 return 42" in seen
    assert f"{ids[2][:12]} Zoë Ærøskøbing 2023-11-14 6 7 8 print(main())" in seen
    for cs_id in (ids[0], ids[2], ids[-1]):
        assert f'href="/group/project/changeset/{cs_id}"' in page
    assert '<tr id="L5">' in page and '<a href="#L5">5</a>' in page


def test_annotate_is_cached_by_changeset(client, browse_repo, monkeypatch):
    from lindos.vcs.base import Changeset

    calls = []
    real = Changeset.annotate
    monkeypatch.setattr(Changeset, "annotate", lambda self, p: calls.append(p) or real(self, p))
    for _ in range(2):
        assert client.get(browse_repo.url(f"annotate/{browse_repo.tip}/src/app.py")).status_code == 200
    assert calls == ["src/app.py"]


def test_annotate_404s_and_binary(client, browse_repo):
    assert client.get(browse_repo.url("annotate/tip/src")).status_code == 404
    assert client.get(browse_repo.url("annotate/tip/nope")).status_code == 404
    assert client.get(browse_repo.url("annotate/nope/src/app.py")).status_code == 404
    page = client.get(browse_repo.url("annotate/tip/data.bin")).content.decode()
    assert "cannot be annotated" in page


def test_annotate_non_utf8_file(client, browse_repo):
    page = client.get(browse_repo.url("annotate/tip/latin1.txt")).content.decode()
    assert "café crème" in page
    assert "Bob Builder" in page


def test_runs_group_consecutive_lines():
    rows = annotate_views.annotated_rows(
        "r", [(1, 2, "a" * 40, "A <a@x>", __import__("datetime").datetime(2020, 1, 2))], ["one", "two"]
    )
    assert rows.count('rowspan="2"') == 1
    assert '<a href="#L2">2</a></td><td class="line">two</td>' in rows

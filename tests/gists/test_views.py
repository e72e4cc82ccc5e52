"""The gist pages through Django's test client."""

import datetime

import pytest
from django.utils import timezone

from lindos.gists.models import PRIVATE, Gist
from tests.gists.conftest import logged_in

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_create_public_gist_with_two_files_and_view_it(client, alice, repo_root):
    logged_in(client, alice)
    response = client.post(
        "/_admin/gists",
        {
            "description": "Two snippets",
            "lifetime": "-1",
            "filename": ["hello.py", "notes.md"],
            "content": ["def f():\r\n    return 1\r\n", "# Notes\r\n"],
            "public": "Create Public Gist",
        },
    )
    gist = Gist.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/_admin/gists/{gist.pk}"
    assert gist.access_id == str(gist.pk) and gist.is_public and gist.expires_at is None
    assert (repo_root / ".rc_gist_store" / gist.access_id / ".hg").is_dir()
    page = client.get(f"/_admin/gists/{gist.access_id}")
    assert page.status_code == 200
    body = text(page)
    assert "Two snippets" in body and "hello.py" in body and "notes.md" in body and "Public Gist" in body
    # highlighted by the file name's lexer, as the repository browser does
    assert '<span class="k">def</span>' in body
    raw = client.get(f"/_admin/gists/{gist.access_id}/tip/raw/hello.py")
    assert raw.status_code == 200 and raw.content == b"def f():\n    return 1\n"
    assert raw["Content-Type"] == "text/plain; charset=utf-8" and raw["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in raw["Content-Security-Policy"]
    both = client.get(f"/_admin/gists/{gist.access_id}/tip/raw")
    assert both.content == b"def f():\n    return 1\n\n\n# Notes\n"

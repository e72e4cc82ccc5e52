"""``/REPO/archive/REV.EXT``: streamed, valid archives."""

import io
import tarfile
import zipfile

import pytest

from .conftest import APP_V1, APP_V2


def body(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def test_zip(client, browse_repo):
    response = client.get(browse_repo.url("archive/tip.zip"))
    short = browse_repo.tip[:12]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="group_project-{short}.zip"'
    with zipfile.ZipFile(io.BytesIO(body(response))) as zf:
        assert zf.read(f"group_project-{short}/src/app.py") == APP_V2
        assert f"group_project-{short}/img/logo.png" in zf.namelist()


@pytest.mark.parametrize("ext,mode", [("tar.gz", "r:gz"), ("tar.bz2", "r:bz2")])
def test_tarballs_at_a_tag(client, browse_repo, ext, mode):
    response = client.get(browse_repo.url(f"archive/v1.0.{ext}"))
    short = browse_repo.ids[2][:12]
    assert response["Content-Disposition"] == f'attachment; filename="group_project-{short}.{ext}"'
    with tarfile.open(fileobj=io.BytesIO(body(response)), mode=mode) as tf:
        assert tf.extractfile(f"group_project-{short}/src/app.py").read() == APP_V1
        assert f"group_project-{short}/notes.txt" not in tf.getnames()


@pytest.mark.parametrize("tail", ["archive/nope.zip", "archive/tip.rar", "archive/.zip", "archive/tip"])
def test_archive_404s(client, git_repo, tail):
    assert client.get(git_repo.url(tail)).status_code == 404

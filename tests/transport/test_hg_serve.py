"""Mercurial's server as Lindos sets it up: extensions, push permission,
and obsolescence markers travelling when enabled."""

import dataclasses
import logging
from urllib.parse import quote

import pytest

from lindos.transport import hg_serve
from lindos.vcs import open_repository
from tests.hgclient import hg_client


def test_missing_extensions_are_named_with_their_package(caplog):
    assert hg_serve.missing_extensions(["largefiles", "no_such_ext_xyz"]) == ["no_such_ext_xyz"]
    assert "install the hg-evolve package" in hg_serve.missing_extension_message("evolve")
    with caplog.at_level(logging.WARNING, logger="lindos.transport.hg_serve"):
        hg_serve.serving_ui(allow_push=False, extensions_enabled=("no_such_ext_xyz",))
        hg_serve.serving_ui(allow_push=False, extensions_enabled=("no_such_ext_xyz",))
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "hg.extensions: Mercurial extension 'no_such_ext_xyz' is not installed "
        "(it is not part of this Mercurial); hg repositories are served "
        "without it"
    ]


@pytest.mark.parametrize("allow, expected", [(True, b"*"), (False, b"")])
def test_push_is_allowed_to_hgweb_only_when_lindos_allowed_it(allow, expected):
    ui = hg_serve.serving_ui(allow_push=allow)
    assert ui.config(b"web", b"allow-push") == expected
    assert ui.configbool(b"web", b"push_ssl") is False
    assert ui.config(b"extensions", b"largefiles") == b""


def test_serving_does_not_write_to_the_process_streams(monkeypatch):
    """Mercurial saves the process's stdout when first imported; once that
    stream is closed (a detached daemon, a test's captured output), a ui
    writing to it failed every request with "I/O operation on closed file"."""
    import io

    from mercurial.utils import procutil

    closed = io.BytesIO()
    closed.close()
    for name in ("stdin", "stdout", "stderr"):
        monkeypatch.setattr(procutil, name, closed)
    ui = hg_serve.serving_ui(allow_push=True)
    ui.write(b"progress\n")
    ui.warn(b"a warning\n")
    ui.flush()


def test_obsolescence_markers_travel_when_enabled(make_repo, make_user, server_url, tmp_path, settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, hg_evolution="all")
    make_user("alice", password="alice-pw")
    from lindos.accounts.models import User

    repo = make_repo("evo", kind="hg", owner=User.objects.get(username="alice"))
    # a non-publishing server (the repository's own hgrc applies, as for hg serve)
    with open(f"{repo.path}/.hg/hgrc", "a") as hgrc:
        hgrc.write("[phases]\npublish = false\n")
    hg = hg_client(tmp_path / "home")
    evo = ["--config", "experimental.evolution=all"]
    host = server_url.split("//", 1)[1]
    url = f"http://alice:{quote('alice-pw')}@{host}/evo"
    work = tmp_path / "work"
    hg("init", str(work))
    (work / "a.txt").write_text("a\n")
    hg(*evo, "commit", "-A", "-m", "one", cwd=work)
    (work / "a.txt").write_text("a2\n")
    hg(*evo, "commit", "-m", "two", cwd=work)
    hg(*evo, "push", url, cwd=work)
    assert hg("log", "-r", ".", "-T", "{phase}", cwd=work).stdout == "draft"
    hg(*evo, "commit", "--amend", "-m", "two, amended", cwd=work)
    hg(*evo, "push", "--force", url, cwd=work)
    server = open_repository(repo.path)
    # the amended-away changeset is hidden on the server: one head, the new one
    assert [server.get_changeset(h).message for h in server.heads] == ["two, amended"]
    clone = tmp_path / "clone"
    hg(*evo, "clone", "-U", url, str(clone))
    markers = hg(*evo, "debugobsolete", cwd=clone).stdout
    assert len(markers.strip().splitlines()) == 1

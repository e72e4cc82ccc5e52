"""Archives written by ``lindos.vcs.archives`` (the hg backend's writer):
what an unpacking tool sees, beyond the names the contract tests compare."""

import io
import tarfile
import zipfile

import pytest

from lindos.vcs.archives import ArchiveMember, stream_archive

MTIME = 1_700_000_000  # 2023-11-14 22:13:20 UTC

MEMBERS = [
    ArchiveMember(b"bin/run", True, False, lambda: b"#!/bin/sh\n"),
    ArchiveMember(b"README", False, False, lambda: b"hello\n" * 1000),
    ArchiveMember(b"latest", False, True, lambda: b"README"),
]


def build(fmt, prefix=b"p"):
    return b"".join(stream_archive(MEMBERS, fmt, prefix, MTIME))


@pytest.mark.parametrize("fmt", ["zip", "tar.gz", "tar.bz2"])
def test_same_revision_gives_the_same_bytes(fmt):
    assert build(fmt) == build(fmt)


def test_zip_members_modes_and_dates():
    with zipfile.ZipFile(io.BytesIO(build("zip"))) as zf:
        assert zf.testzip() is None
        info = {i.filename: i for i in zf.infolist()}
        assert list(info) == ["p/", "p/README", "p/bin/", "p/bin/run", "p/latest"]
        assert zf.read("p/README") == b"hello\n" * 1000
        assert info["p/README"].compress_type == zipfile.ZIP_DEFLATED
        assert info["p/README"].compress_size < 100
        assert info["p/bin/run"].external_attr >> 16 == 0o100755
        assert info["p/README"].external_attr >> 16 == 0o100644
        assert info["p/latest"].external_attr >> 16 == 0o120777
        assert zf.read("p/latest") == b"README"
        assert info["p/README"].date_time == (2023, 11, 14, 22, 13, 20)


def test_tar_members_modes_and_dates():
    with tarfile.open(fileobj=io.BytesIO(build("tar.gz"))) as tf:
        members = {m.name: m for m in tf.getmembers()}
        assert list(members) == ["p", "p/README", "p/bin", "p/bin/run", "p/latest"]
        assert members["p/bin"].isdir()
        assert members["p/bin/run"].mode == 0o755
        assert members["p/README"].mode == 0o644
        assert members["p/latest"].issym()
        assert members["p/latest"].linkname == "README"
        assert members["p/README"].mtime == MTIME
        assert tf.extractfile("p/README").read() == b"hello\n" * 1000


def test_no_prefix_puts_members_at_the_top():
    with zipfile.ZipFile(io.BytesIO(build("zip", prefix=b""))) as zf:
        assert zf.namelist() == ["README", "bin/", "bin/run", "latest"]

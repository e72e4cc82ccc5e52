"""Reading a request body from WSGI as a stream of decoded chunks.

WSGI servers hand bodies over in different ways, and a git push may be
gigabytes, so the body is never read whole:

* with ``CONTENT_LENGTH``, exactly that many bytes (waitress, Lindos's own
  server, de-chunks ``Transfer-Encoding: chunked`` uploads into a temporary
  file and then sets it);
* with ``wsgi.input_terminated`` (gunicorn, mod_wsgi), until EOF;
* with ``Transfer-Encoding: chunked`` and neither, the raw chunked stream
  is decoded here (RFC 9112 section 7.1);

and ``Content-Encoding: gzip``, which git uses for larger fetch requests,
is inflated on the fly.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024


class BodyError(Exception):
    """The request body is malformed (bad chunk framing, bad gzip data)."""


def read_exact(stream: BinaryIO, length: int, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Up to ``length`` bytes; stops early if the client went away."""
    while length > 0:
        chunk = stream.read(min(chunk_size, length))
        if not chunk:
            return
        length -= len(chunk)
        yield chunk


def read_to_eof(stream: BinaryIO, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    while chunk := stream.read(chunk_size):
        yield chunk


def read_chunked(stream: BinaryIO, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Decode ``Transfer-Encoding: chunked`` framing."""
    while True:
        line = stream.readline(1024)
        if not line:
            return  # client went away: a truncated body
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise BodyError(f"bad chunk size line {line[:40]!r}")
        if size < 0:
            raise BodyError("negative chunk size")
        if size == 0:
            while stream.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailer fields, ignored
            return
        yield from read_exact(stream, size, chunk_size)
        stream.readline(16)  # the CRLF after the data


def inflate_gzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # 16 + MAX_WBITS: expect the gzip header and trailer, not raw zlib.
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        for chunk in chunks:
            out = inflater.decompress(chunk)
            if out:
                yield out
        tail = inflater.flush()
    except zlib.error as exc:
        raise BodyError(f"bad gzip data: {exc}")
    if tail:
        yield tail


def raw_body(environ: dict) -> Iterator[bytes]:
    """The body's bytes as sent, with transfer framing removed."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH") or ""
    if length.strip():
        try:
            return read_exact(stream, int(length))
        except ValueError:
            raise BodyError(f"bad Content-Length {length!r}")
    if environ.get("wsgi.input_terminated"):
        return read_to_eof(stream)
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return read_chunked(stream)
    return iter(())


def request_body(environ: dict) -> Iterator[bytes]:
    """The decoded body: framing removed and gzip inflated."""
    chunks = raw_body(environ)
    encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return inflate_gzip(chunks)
    if encoding not in ("", "identity"):
        raise BodyError(f"unsupported Content-Encoding {encoding!r}")
    return chunks

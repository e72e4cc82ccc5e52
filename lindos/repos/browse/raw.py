"""``/REPO/raw/REV/PATH`` (a file's bytes, shown in the browser) and
``/REPO/rawfile/REV/PATH`` (the same, as a download).

Policy on safety: a repository can hold any HTML or SVG, and these URLs are
on our own origin. So text is always served as ``text/plain``, images with
their own type, everything else as ``application/octet-stream``; every
answer carries ``X-Content-Type-Options: nosniff`` (no guessing HTML from
the bytes) and a ``Content-Security-Policy`` that loads nothing and
sandboxes the document, so even an SVG opened directly cannot run script.

Policy on size: a file over ``STREAM_THRESHOLD`` (1 MiB) is streamed
(``FileNode.iter_content``) with a ``Content-Length``, so a download costs
the server a chunk of memory, not the file; smaller ones go out in one
piece.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import content_disposition_header

from lindos.vcs.nodes import STREAM_THRESHOLD

from .common import open_browse
from .revisions import get_file_or_404, split_rev_path

RAW_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

#: Image types a browser shows safely inside the sandbox.
IMAGE_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/bmp",
        "image/x-icon",
        "image/vnd.microsoft.icon",
        "image/svg+xml",
        "image/avif",
    }
)


def raw_content_type(node) -> str:
    """The Content-Type a file is served with (see module doc)."""
    if node.mimetype in IMAGE_TYPES and not node.is_symlink:
        return node.mimetype
    if not node.is_binary:
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


def _file_node(request, repo_name: str, rest: str):
    browse = open_browse(request, repo_name)
    cs, _rev, path = split_rev_path(browse.vcs, rest, browse.default)
    return get_file_or_404(cs, path)


def _serve(request, node, attachment: bool):
    etag = f'"{node.blob_id}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    elif node.size <= STREAM_THRESHOLD:
        response = HttpResponse(node.content, content_type=raw_content_type(node))
    else:
        # Streamed in chunks (a big git blob straight from ``git cat-file``),
        # never held whole: sixteen downloads of a 50 MB file must not cost
        # 800 MB of server memory.
        response = StreamingHttpResponse(node.iter_content(), content_type=raw_content_type(node))
        response["Content-Length"] = str(node.size)
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = RAW_CSP
    if attachment:
        response["Content-Disposition"] = content_disposition_header(True, node.name or "file")
    return response


def raw(request, repo_name: str, rest: str):
    return _serve(request, _file_node(request, repo_name, rest), attachment=False)


def rawfile(request, repo_name: str, rest: str):
    return _serve(request, _file_node(request, repo_name, rest), attachment=True)

"""``/REPO/archive/REV.zip|.tar.gz|.tar.bz2``: the tree at REV, streamed.

The archive is produced chunk by chunk by the VCS layer (``git archive``;
``lindos.vcs.archives`` for hg) and passed through as it comes, so a large
repository never sits whole in memory; a copy is kept on disk
(``archive_cache``) and later downloads are served from it, with a strong
ETag (a repeat download with ``If-None-Match`` is answered 304). Members are under ``REPO-SHORTID/`` and the download
is named ``REPO-SHORTID.EXT`` (``/`` in group names becomes ``_``), as in
Kallithea.

A repository whose downloads are switched off (``enable_downloads``)
answers 403 before any archive is looked up, built or read from the
cache. Kallithea answered such a request with 200 and the text
"Downloads disabled"; a 403 keeps download tools and caches from taking
the message for the archive.
"""

from __future__ import annotations

from django.http import (
    FileResponse,
    Http404,
    HttpResponseForbidden,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.utils.http import content_disposition_header, parse_etags

from lindos.vcs.errors import VCSError

from .archive_cache import archive_key, default_cache, etag_of
from .common import open_browse
from .revisions import get_changeset_or_404

#: Extension -> (VCS archive format, Content-Type); longest first.
FORMATS = (
    (".tar.bz2", "tar.bz2", "application/x-bzip2"),
    (".tar.gz", "tar.gz", "application/gzip"),
    (".tgz", "tar.gz", "application/gzip"),
    (".zip", "zip", "application/zip"),
)

DOWNLOADS_DISABLED = "Downloads disabled: the repository's admin has switched off archive downloads.\n"


def split_archive_name(fname: str) -> tuple[str, str, str, str]:
    """``(rev, ext, vcs_format, content_type)`` of ``REV.EXT``, else 404."""
    for ext, fmt, ctype in FORMATS:
        if fname.endswith(ext) and len(fname) > len(ext):
            return fname[: -len(ext)], ext, fmt, ctype
    raise Http404("unknown archive type")


def _matches(request, etag: str) -> bool:
    wanted = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    return "*" in wanted or etag in wanted


def archive(request, repo_name: str, fname: str):
    browse = open_browse(request, repo_name)
    if not browse.db.enable_downloads:
        return HttpResponseForbidden(DOWNLOADS_DISABLED, content_type="text/plain; charset=utf-8")
    rev, ext, fmt, ctype = split_archive_name(fname)
    cs = get_changeset_or_404(browse.vcs, rev, browse.default)
    base = f"{browse.name.replace('/', '_')}-{cs.short_id}"
    key = archive_key(browse.vcs.kind, cs.id, fmt, base)
    headers = {
        "ETag": etag_of(key),
        # Revalidated on every use; never stored by shared caches
        # (the repository may be private).
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if _matches(request, headers["ETag"]):
        return HttpResponseNotModified(headers=headers)
    cache = default_cache()
    stored = cache.lookup(key)
    if stored is not None:
        try:
            response = FileResponse(open(stored, "rb"), content_type=ctype)
        except OSError:  # evicted meanwhile: build it again
            stored = None
    if stored is None:
        try:
            chunks = browse.vcs.archive(cs.id, fmt, prefix=base)
        except VCSError:
            raise Http404("cannot archive this revision")
        response = StreamingHttpResponse(cache.stream_and_store(chunks, key), content_type=ctype)
    response["Content-Disposition"] = content_disposition_header(True, base + ext)
    for name, value in headers.items():
        response[name] = value
    return response

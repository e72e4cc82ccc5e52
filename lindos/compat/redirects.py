"""Permanent redirects from a Kallithea URL to the Lindos page that does the
same thing.

The target is always a path on this site: it is built from the captured
names (percent-encoded) and checked with Django's own open-redirect test,
so no captured text can turn it into ``//evil.example`` or ``/\\evil``.
The query string is kept as it came (Kallithea's links carried ``?page=``
and the like)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.http import url_has_allowed_host_and_scheme

# Characters a path segment may keep as they are (RFC 3986 pchar and "/").
_PATH_SAFE = "/-._~!$&'()*+,;=:@"


def build_local_target(path: str, query: str = "") -> str | None:
    """``path`` (unencoded) plus ``query`` as a same-site URL, or None when
    the result could leave the site or carries a control character."""
    if "\\" in path or any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
        return None
    target = quote(path, safe=_PATH_SAFE)
    if not target.startswith("/") or target.startswith("//"):
        return None
    if query:
        target = f"{target}?{query}"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return None
    return target


def moved(pattern: str, methods=("GET", "HEAD"), keep_query: bool = True):
    """A view answering 301 to ``pattern`` formatted with the URL's named
    groups (``"/{repo_name}/settings"``); other methods are a 405, since a
    301 turns a browser's POST into a GET and would lose the form."""
    from django.views.decorators.http import require_http_methods

    @require_http_methods(list(methods))
    def view(request, **kwargs):
        query = request.META.get("QUERY_STRING", "") if keep_query else ""
        target = build_local_target(pattern.format(**kwargs), query)
        if target is None:
            raise Http404("No such page")
        return HttpResponsePermanentRedirect(target)

    view.target_pattern = pattern
    return view

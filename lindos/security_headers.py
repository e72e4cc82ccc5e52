"""Content-Security-Policy on HTML pages, and HSTS when Lindos is on https.

The policy allows script and style only from Lindos's own static files: no
inline ``<script>``, no ``onclick=``, no ``style=`` attribute (the templates
have none; ``tests/test_security_headers.py`` keeps it so), so markup that
slipped through a sanitiser still cannot run.  Images may also come from
``data:`` and any https address, so badges in a README keep showing.  A view
that sets a policy of its own (raw files, sandboxed; the mail preview) keeps
it.

HSTS: when ``canonical_url`` is https, every answer tells the browser to use
https only, for a year.  It is sent whether or not this request came over
TLS, because behind a TLS-terminating proxy Lindos cannot tell; browsers
ignore the header on plain http (RFC 6797 section 8.1).  No
``includeSubDomains``: other sites under the same domain are not Lindos's
to decide.
"""

from __future__ import annotations

from django.conf import settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000"


def is_html(response) -> bool:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower() == "text/html"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_html(response) and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if settings.LINDOS.canonical_url.startswith("https://"):
            response.setdefault("Strict-Transport-Security", HSTS)
        return response

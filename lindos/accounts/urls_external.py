"""Absolute URLs for links that leave the site (emails): ``canonical_url`` when
configured, since the request's host may be an internal name."""

from django.conf import settings
from django.urls import reverse


def absolute_url(request, name: str, *args) -> str:
    path = reverse(name, args=args)
    base = settings.LINDOS.canonical_url
    if base:
        return base + path
    return request.build_absolute_uri(path) if request is not None else path

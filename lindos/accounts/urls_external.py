"""Absolute URLs for links that leave the site (emails), on the base the
notification pipeline uses for every mail (``notifications.links``):
``canonical_url`` when configured, else the request's own address, whose
Host Django has checked against ``allowed_hosts``."""

from django.urls import reverse

from lindos.notifications.links import request_base_url


def absolute_url(request, name: str, *args) -> str:
    return request_base_url(request) + reverse(name, args=args)

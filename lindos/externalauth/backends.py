"""Lindos's own passwords, as one source among others.

``InternalBackend`` is Django's ModelBackend (which hashes a dummy for an
unknown username, so timing tells nothing) that refuses accounts linked to
an outside source: an LDAP account whose password was once set in Lindos
(a reset mail, an imported hash) must not log in with it once the directory
disabled it.  It is off when ``internal`` is not among the enabled plugins,
as in Kallithea.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from lindos.externalauth.current import current_auth_settings, is_active
from lindos.externalauth.identities import source_of


class InternalBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not is_active(current_auth_settings(), "internal"):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and source_of(user) != "internal":
            return None
        return user

"""Stored authentication settings and the link between a Lindos account and
the outside source that vouches for it.

The settings are Kallithea's, one field per ``auth_*`` setting it kept in
its ``settings`` table (``auth_ldap_host`` is ``ldap_host`` here, see
``lindos.externalauth.kallithea``), so a Kallithea database maps onto them
one to one.
"""

from django.conf import settings
from django.db import models

SOURCES = ("internal", "ldap", "container")


class TlsKind(models.TextChoices):
    PLAIN = "PLAIN", "PLAIN (no encryption)"
    LDAPS = "LDAPS", "LDAPS"
    START_TLS = "START_TLS", "START_TLS"


class TlsReqcert(models.TextChoices):
    # python-ldap's OPT_X_TLS_<name>: what to do with the server's certificate.
    NEVER = "NEVER", "NEVER (no check)"
    ALLOW = "ALLOW", "ALLOW"
    TRY = "TRY", "TRY"
    DEMAND = "DEMAND", "DEMAND"
    HARD = "HARD", "HARD"


class SearchScope(models.TextChoices):
    BASE = "BASE", "BASE"
    ONELEVEL = "ONELEVEL", "ONELEVEL"
    SUBTREE = "SUBTREE", "SUBTREE"


class AuthSettings(models.Model):
    """A single row (id 1): which sources are on, and how to reach them."""

    # Kallithea's auth_plugins: the sources tried, comma separated.  Lindos
    # writes short names; Kallithea's module paths are read as the same.
    plugins = models.CharField(max_length=500, default="internal")

    ldap_enabled = models.BooleanField(default=False)
    ldap_host = models.CharField(max_length=1000, blank=True)
    ldap_port = models.PositiveIntegerField(null=True, blank=True)
    ldap_tls_kind = models.CharField(max_length=10, choices=TlsKind.choices, default=TlsKind.LDAPS)
    ldap_tls_reqcert = models.CharField(max_length=10, choices=TlsReqcert.choices, default=TlsReqcert.DEMAND)
    ldap_cacertdir = models.CharField(max_length=1000, blank=True)
    ldap_dn_user = models.CharField(max_length=1000, blank=True)
    ldap_dn_pass = models.CharField(max_length=1000, blank=True)
    ldap_base_dn = models.CharField(max_length=1000, blank=True)
    ldap_filter = models.CharField(max_length=1000, blank=True)
    ldap_search_scope = models.CharField(
        max_length=10, choices=SearchScope.choices, default=SearchScope.SUBTREE
    )
    ldap_attr_login = models.CharField(max_length=100, default="uid")
    ldap_attr_firstname = models.CharField(max_length=100, blank=True, default="givenName")
    ldap_attr_lastname = models.CharField(max_length=100, blank=True, default="sn")
    ldap_attr_email = models.CharField(max_length=100, blank=True, default="mail")

    container_enabled = models.BooleanField(default=False)
    container_header = models.CharField(max_length=100, default="REMOTE_USER")
    container_fallback_header = models.CharField(max_length=100, blank=True, default="HTTP_X_FORWARDED_USER")
    container_clean_username = models.BooleanField(default=True)
    container_email_header = models.CharField(max_length=100, blank=True)
    container_firstname_header = models.CharField(max_length=100, blank=True)
    container_lastname_header = models.CharField(max_length=100, blank=True)


class ExternalIdentity(models.Model):
    """This account is vouched for by ``source`` (Kallithea's
    ``extern_type``), where it is called ``extern_name`` (an LDAP DN, the
    name a front-end sent).  An account without one is internal: only its
    Lindos password (or API key) logs it in, and no outside source can
    take it over."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity"
    )
    source = models.CharField(max_length=20, choices=[(s, s) for s in SOURCES if s != "internal"])
    extern_name = models.CharField(max_length=1000, blank=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id} {self.source}:{self.extern_name}"

"""Admin > Authentication: the form, with Kallithea's field names
(``auth_plugins``, ``auth_ldap_host``...; see ``kallithea``)."""

from __future__ import annotations

import re

from django import forms

from lindos.externalauth.container import variable_name
from lindos.externalauth.current import plugin_names
from lindos.externalauth.kallithea import FIELDS
from lindos.externalauth.models import SOURCES, AuthSettings

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45})$")
_ATTRIBUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]{0,99}|[0-9]+(?:\.[0-9]+)+)$")

LABELS = {
    "auth_plugins": (
        "Enabled plugins",
        "Comma-separated: internal, ldap, container (Kallithea's module paths are read as the same).",
    ),
    "auth_ldap_enabled": ("LDAP enabled", ""),
    "auth_ldap_host": (
        "LDAP host",
        "Host names or addresses of the LDAP servers, comma-separated: tried in turn.",
    ),
    "auth_ldap_port": ("Custom LDAP port", "Empty: 636 for LDAPS, 389 for PLAIN and START_TLS."),
    "auth_ldap_tls_kind": ("Connection security", ""),
    "auth_ldap_tls_reqcert": (
        "Certificate checks",
        "DEMAND or HARD: the server's certificate must be trusted.",
    ),
    "auth_ldap_cacertdir": (
        "Custom CA certificates",
        "A folder of CA certificates, or one PEM file, on the Lindos machine; empty: the system's.",
    ),
    "auth_ldap_dn_user": (
        "Account",
        "The DN Lindos binds as to search, e.g. cn=lindos,ou=services,dc=example,dc=com; with $login in it and no password, Lindos binds as the person logging in. Empty: an anonymous search.",
    ),
    "auth_ldap_dn_pass": ("Password", "Leave empty to keep the stored one."),
    "auth_ldap_base_dn": ("Base DN", "Where people are searched, e.g. ou=people,dc=example,dc=com"),
    "auth_ldap_filter": ("LDAP search filter", "Narrows the search, e.g. (objectClass=inetOrgPerson)"),
    "auth_ldap_search_scope": ("LDAP search scope", ""),
    "auth_ldap_attr_login": (
        "Login attribute",
        "The attribute holding the username, e.g. uid or sAMAccountName.",
    ),
    "auth_ldap_attr_firstname": ("First name attribute", ""),
    "auth_ldap_attr_lastname": ("Last name attribute", ""),
    "auth_ldap_attr_email": ("Email attribute", ""),
    "auth_container_enabled": ("Container enabled", ""),
    "auth_container_header": (
        "Username header",
        "REMOTE_USER (set by the web server), or a request header from [server:main] trusted_proxy, e.g. HTTP_X_FORWARDED_USER.",
    ),
    "auth_container_fallback_header": ("Fallback header", "Read when the first is empty."),
    "auth_container_clean_username": ("Clean username", "user@REALM and DOMAIN\\user become user."),
    "auth_container_email_header": ("Email header", ""),
    "auth_container_firstname_header": ("First name header", ""),
    "auth_container_lastname_header": ("Last name header", ""),
}


class AuthSettingsForm(forms.Form):
    def __init__(self, *args, instance: AuthSettings, admin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance, self.admin = instance, admin
        for name, field in FIELDS.items():
            model_field = AuthSettings._meta.get_field(field)
            label, help_text = LABELS[name]
            if name == "auth_ldap_dn_pass":
                form_field = forms.CharField(
                    required=False,
                    strip=False,
                    max_length=1000,
                    widget=forms.PasswordInput(render_value=False),
                )
            else:
                form_field = model_field.formfield(required=False)
            form_field.label, form_field.help_text = label, help_text
            self.fields[name] = form_field
            if name != "auth_ldap_dn_pass":
                self.initial.setdefault(name, getattr(instance, field))

    def clean_auth_plugins(self):
        names = plugin_names(self.cleaned_data.get("auth_plugins") or "")
        unknown = [n for n in names if n not in SOURCES]
        if unknown:
            raise forms.ValidationError(f"Not available in Lindos: {', '.join(unknown)}.")
        if not names:
            raise forms.ValidationError("Enable at least one plugin.")
        if "internal" not in names and self.admin is not None:
            from lindos.externalauth.identities import source_of

            if source_of(self.admin) == "internal":
                raise forms.ValidationError(
                    "Your own account logs in with its Lindos password: without internal you could no longer log in."
                )
        return ",".join(names)

    def clean_auth_ldap_host(self):
        hosts = [h.strip() for h in (self.cleaned_data.get("auth_ldap_host") or "").split(",") if h.strip()]
        for host in hosts:
            if not _HOST.match(host):
                raise forms.ValidationError(f"Not a host name or address: {host!r}.")
        return ", ".join(hosts)

    def clean_auth_ldap_port(self):
        port = self.cleaned_data.get("auth_ldap_port")
        if port is not None and not 1 <= port <= 65535:
            raise forms.ValidationError("A port number is 1-65535.")
        return port

    def clean_auth_ldap_filter(self):
        text = (self.cleaned_data.get("auth_ldap_filter") or "").strip()
        depth = 0
        for char in text.replace("\\(", "").replace("\\)", ""):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                break
        if depth != 0 or "\x00" in text:
            raise forms.ValidationError("The parentheses of this filter do not match.")
        return text

    def _attribute(self, name, required=False):
        value = (self.cleaned_data.get(name) or "").strip()
        if required and not value:
            raise forms.ValidationError("Required.")
        if value and not _ATTRIBUTE.match(value):
            raise forms.ValidationError(f"Not an LDAP attribute name: {value!r}.")
        return value

    def clean_auth_ldap_attr_login(self):
        return self._attribute("auth_ldap_attr_login", required=True)

    def clean_auth_ldap_attr_firstname(self):
        return self._attribute("auth_ldap_attr_firstname")

    def clean_auth_ldap_attr_lastname(self):
        return self._attribute("auth_ldap_attr_lastname")

    def clean_auth_ldap_attr_email(self):
        return self._attribute("auth_ldap_attr_email")

    def _header(self, name, required=False):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            if required:
                raise forms.ValidationError("Required.")
            return value
        if variable_name(value) is None:
            raise forms.ValidationError(f"Not a header Lindos can read a name from: {value!r}.")
        return value

    def clean_auth_container_header(self):
        return self._header("auth_container_header", required=True)

    def clean_auth_container_fallback_header(self):
        return self._header("auth_container_fallback_header")

    def clean_auth_container_email_header(self):
        return self._header("auth_container_email_header")

    def clean_auth_container_firstname_header(self):
        return self._header("auth_container_firstname_header")

    def clean_auth_container_lastname_header(self):
        return self._header("auth_container_lastname_header")

    def clean(self):
        data = super().clean()
        for choice in ("auth_ldap_tls_kind", "auth_ldap_tls_reqcert", "auth_ldap_search_scope"):
            if not data.get(choice) and choice not in self.errors:
                data[choice] = getattr(self.instance, FIELDS[choice])
        if data.get("auth_ldap_enabled") and "ldap" in (data.get("auth_plugins") or "").split(","):
            for name in ("auth_ldap_host", "auth_ldap_base_dn"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Required to use LDAP.")
        return data

    def save(self) -> AuthSettings:
        from lindos.externalauth.current import save_auth_settings

        config = self.instance
        for name, field in FIELDS.items():
            value = self.cleaned_data.get(name)
            if name == "auth_ldap_dn_pass" and not value:
                continue  # empty keeps the stored password
            if isinstance(value, str):
                value = value.strip() if name != "auth_ldap_dn_pass" else value
            setattr(config, field, value if value is not None or field == "ldap_port" else "")
        return save_auth_settings(config)

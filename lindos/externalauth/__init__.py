"""Logins checked outside Lindos: an LDAP directory, or a trusted front-end
(web server or proxy) that names the user (Kallithea's ``ldap`` and
``container`` authentication plugins), beside Lindos's own passwords."""

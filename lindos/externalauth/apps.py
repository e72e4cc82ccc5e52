from django.apps import AppConfig


class ExternalAuthConfig(AppConfig):
    name = "lindos.externalauth"
    label = "externalauth"

    def ready(self):
        from lindos.externalauth import ldap_backend

        ldap_backend.listen_for_ldap_errors()

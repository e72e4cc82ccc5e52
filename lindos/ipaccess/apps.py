from django.apps import AppConfig


class IpAccessConfig(AppConfig):
    name = "lindos.ipaccess"
    label = "ipaccess"
    verbose_name = "IP address restrictions"

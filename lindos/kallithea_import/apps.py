from django.apps import AppConfig


class KallitheaImportConfig(AppConfig):
    name = "lindos.kallithea_import"
    label = "kallithea_import"
    verbose_name = "Kallithea import"
    default_auto_field = "django.db.models.BigAutoField"

"""The WSGI application, for ``lindos serve`` or any WSGI server
(``LINDOS_CONFIG=/path/lindos.ini gunicorn lindos.wsgi``)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindos.settings")


def build_application():
    from django.core.wsgi import get_wsgi_application

    from lindos.appsettings.current import load_app_settings_at_startup

    app = get_wsgi_application()
    load_app_settings_at_startup()
    return app


application = build_application()

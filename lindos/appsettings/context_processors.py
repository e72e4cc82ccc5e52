from lindos.appsettings.current import current_app_settings


def app_settings(request):
    settings = getattr(request, "app_settings", None) or current_app_settings()
    return {
        "site_title": settings.title,
        "registration_open": settings.registration != "disabled",
    }

from lindos.appsettings.current import refresh_if_stale


class RefreshAppSettingsMiddleware:
    """Picks up settings changed by another process (within 30 s)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.app_settings = refresh_if_stale()
        return self.get_response(request)

"""Anonymous access off (Admin > Permissions): visitors who are not logged
in are sent to the login page from every page, as in Kallithea.

Left alone: the pages a visitor needs to get an account or back into one,
static files, the JSON-RPC API (it authenticates with its own key) and the
git and hg transports, which answer anonymous clients with a 401 challenge
so the client asks for credentials (the permission check gives anonymous
visitors ``none`` everywhere while access is off).
"""

from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve

from lindos.appsettings.current import current_app_settings

OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "register",
        "register_confirm",
        "password_reset",
        "password_reset_confirmation",
        "confirm_email",
        "api",
        "git_info_refs",
        "git_upload_pack",
        "git_receive_pack",
    }
)


class AnonymousAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not current_app_settings().anonymous_access
            and not request.user.is_authenticated
            and "cmd" not in request.GET  # a Mercurial client (see lindos.repos.browse.home)
            and not request.path_info.startswith("/_static/")
        ):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in OPEN_URL_NAMES:
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

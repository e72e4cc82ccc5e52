"""Admin pages, at Kallithea's URLs:

* ``/_admin/users/ID/edit/ips``: an account's own list, with the default
  list shown above it as inherited; POST ``new_ip`` adds, POST
  ``del_ip_id`` to ``.../edit/ips/delete`` removes;
* ``/_admin/permissions/ips``: the default list (everyone), the same forms.

Admins only; anyone else gets a 404, as on the other admin pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lindos.accounts.admin_views import admin_required
from lindos.accounts.models import User
from lindos.ipaccess.actions import do_add_network, do_delete_network
from lindos.ipaccess.models import AllowedNetwork


def _page(request, target, here: str, delete_url: str):
    error = ""
    typed = ""
    if request.method == "POST":
        typed = request.POST.get("new_ip", "")
        try:
            entry = do_add_network(target, typed)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Added IP address {entry.network} to the allowed networks.")
            return redirect(here)
    context = {
        "target": target,
        "entries": AllowedNetwork.objects.filter(user=target),
        "inherited": AllowedNetwork.objects.filter(user=None) if target is not None else [],
        "here": here,
        "delete_url": delete_url,
        "error": error,
        "typed": typed[:200],
        "client_address": request.META.get("REMOTE_ADDR", ""),
    }
    return render(request, "ipaccess/ips.html", context, status=400 if error else 200)


def _delete(request, target, here: str):
    entry = do_delete_network(target, request.POST.get("del_ip_id", ""))
    if entry is None:
        messages.error(request, "There is no such entry in this list.")
    else:
        messages.success(request, f"Removed IP address {entry.network} from the allowed networks.")
    return redirect(here)


def _user_urls(user: User) -> tuple[str, str]:
    return f"/_admin/users/{user.pk}/edit/ips", f"/_admin/users/{user.pk}/edit/ips/delete"


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_ips(request, user_id):
    target = get_object_or_404(User, pk=user_id)
    return _page(request, target, *_user_urls(target))


@admin_required
@require_POST
def user_ips_delete(request, user_id):
    target = get_object_or_404(User, pk=user_id)
    return _delete(request, target, _user_urls(target)[0])


DEFAULT_URL = "/_admin/permissions/ips"
DEFAULT_DELETE_URL = "/_admin/permissions/ips/delete"


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def default_ips(request):
    return _page(request, None, DEFAULT_URL, DEFAULT_DELETE_URL)


@admin_required
@require_POST
def default_ips_delete(request):
    return _delete(request, None, DEFAULT_URL)

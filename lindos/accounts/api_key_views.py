"""API keys pages: My account > API keys (``/_admin/my_account/api_keys``)
and, for admins, any user's (``/_admin/users/ID/edit/api_keys``), as in
Kallithea.  One view serves both: list the keys, add one (description and
lifetime), delete one, or replace the main key."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from lindos.accounts import api_keys
from lindos.accounts.admin_views import admin_required
from lindos.accounts.models import User, UserApiKey


def _handle(request, target: User, here: str):
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            try:
                minutes = int(request.POST.get("lifetime", "0"))
            except ValueError:
                minutes = -1
            if minutes not in dict(api_keys.LIFETIMES):
                messages.error(request, "Choose one of the lifetimes offered.")
            else:
                try:
                    api_keys.do_create_api_key(target, request.POST.get("description", "")[:255], minutes)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, "API key added.")
        elif action == "delete":
            key_id = request.POST.get("key", "")
            if key_id.isascii() and key_id.isdigit() and api_keys.do_delete_api_key(target, int(key_id)):
                messages.success(request, "API key deleted.")
        elif action == "reset":
            api_keys.do_reset_main_key(target)
            messages.success(request, "A new main API key has been made; the old one no longer works.")
        return redirect(here)
    keys = UserApiKey.objects.filter(user=target)
    return render(
        request,
        "accounts/api_keys.html",
        {
            "target": target,
            "keys": keys,
            "lifetimes": api_keys.LIFETIMES,
            "here": here,
            "own": target.pk == request.user.pk,
        },
    )


@login_required
def my_api_keys(request):
    return _handle(request, request.user, "/_admin/my_account/api_keys")


@admin_required
def user_api_keys(request, user_id):
    target = get_object_or_404(User, pk=user_id)
    return _handle(request, target, f"/_admin/users/{target.pk}/edit/api_keys")

"""My Account > SSH keys, and the same page for an admin on any user
(Kallithea's URLs: ``/_admin/my_account/ssh_keys`` and
``/_admin/users/ID/edit/ssh_keys``, each with ``.../delete``).

Both answer 404 while ``ssh_enabled`` is false, as Kallithea's did.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lindos.accounts.admin_views import admin_required
from lindos.accounts.models import User
from lindos.ssh.actions import do_add_ssh_key, do_delete_ssh_key, sync_authorized_keys
from lindos.ssh.forms import SshKeyForm
from lindos.ssh.keys import InvalidKey


def _require_ssh():
    if not settings.LINDOS.ssh_enabled:
        raise Http404("SSH access is disabled")


def _keys_page(request, owner, back: str, delete_url: str):
    _require_ssh()
    form = SshKeyForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            row = do_add_ssh_key(owner, form.cleaned_data["public_key"], form.cleaned_data["description"])
        except InvalidKey as exc:  # lost a race with the same key added elsewhere
            form.add_error("public_key", str(exc))
        else:
            messages.success(request, f"SSH key {row} added.")
            _report_sync(request)
            return redirect(back)
    return render(
        request,
        "ssh/ssh_keys.html",
        {
            "form": form,
            "owner": owner,
            "keys": owner.ssh_keys.all(),
            "delete_url": delete_url,
            "mine": owner == request.user,
        },
    )


def _delete(request, owner, back: str):
    _require_ssh()
    if do_delete_ssh_key(owner, request.POST.get("del_public_key_fingerprint", "")):
        messages.success(request, "SSH key deleted.")
        _report_sync(request)
    else:
        messages.error(request, "There is no such SSH key on this account.")
    return redirect(back)


def _report_sync(request):
    problem = sync_authorized_keys()
    if problem:
        messages.warning(request, problem)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_ssh_keys(request):
    return _keys_page(request, request.user, "my_account_ssh_keys", "my_account_ssh_keys_delete")


@login_required
@require_POST
def my_ssh_keys_delete(request):
    return _delete(request, request.user, "my_account_ssh_keys")


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_ssh_keys(request, user_id):
    owner = get_object_or_404(User, pk=user_id)
    return _keys_page(
        request,
        owner,
        f"/_admin/users/{owner.pk}/edit/ssh_keys",
        f"/_admin/users/{owner.pk}/edit/ssh_keys/delete",
    )


@admin_required
@require_POST
def user_ssh_keys_delete(request, user_id):
    owner = get_object_or_404(User, pk=user_id)
    return _delete(request, owner, f"/_admin/users/{owner.pk}/edit/ssh_keys")

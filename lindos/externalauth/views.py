"""Admin > Authentication (``/_admin/auth``, Kallithea's URL)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from lindos.accounts.admin_views import admin_required
from lindos.externalauth.current import forget_auth_settings, is_active
from lindos.externalauth.forms import AuthSettingsForm
from lindos.externalauth.models import AuthSettings


@admin_required
def auth_settings(request):
    forget_auth_settings()  # the admin edits what is stored, not a process's copy
    instance = AuthSettings.objects.filter(pk=1).first() or AuthSettings()
    form = AuthSettingsForm(request.POST or None, instance=instance, admin=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Authentication settings saved.")
        return redirect("auth_home")
    groups = [
        ("Plugins", [form[name] for name in form.fields if name == "auth_plugins"]),
        ("LDAP", [form[name] for name in form.fields if name.startswith("auth_ldap_")]),
        ("Container", [form[name] for name in form.fields if name.startswith("auth_container_")]),
    ]
    active = {source: is_active(instance, source) for source in ("internal", "ldap", "container")}
    status = 200 if request.method != "POST" else 400
    return render(
        request,
        "externalauth/auth_settings.html",
        {"form": form, "groups": groups, "active": active},
        status=status,
    )

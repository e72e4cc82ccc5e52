"""Admin > Settings: the application settings kept in the database."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from lindos.accounts.admin_views import admin_required
from lindos.appsettings.current import current_app_settings, save_app_settings
from lindos.appsettings.models import AppSettings


class AppSettingsForm(forms.ModelForm):
    class Meta:
        model = AppSettings
        fields = ["title", "registration", "default_repo_permission"]
        labels = {
            "title": "Site title",
            "registration": "Registration",
            "default_repo_permission": "Default repository permission",
        }


@admin_required
def settings_page(request):
    snapshot = current_app_settings()
    initial = {
        "title": snapshot.title,
        "registration": snapshot.registration,
        "default_repo_permission": snapshot.default_repo_permission,
    }
    form = AppSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        save_app_settings(**form.cleaned_data)
        messages.success(request, "Settings saved.")
        return redirect("admin_settings")
    return render(request, "appsettings/settings.html", {"form": form})

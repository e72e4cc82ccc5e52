from django import forms
from django.conf import settings

from lindos.webhooks.models import Event
from lindos.webhooks.targets import TargetRefused, check_url


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="Receiver URL",
        max_length=2000,
        help_text="http:// or https://; receives a JSON POST per event.",
    )
    secret = forms.CharField(
        required=False,
        max_length=255,
        widget=forms.PasswordInput,
        help_text="Signs each body: X-Lindos-Signature-256: sha256=HMAC.",
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, initial=[Event.PUSH]
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            check_url(url, settings.LINDOS.webhook_allow_private_addresses)
        except TargetRefused as exc:
            raise forms.ValidationError(f"Not allowed: {exc}.")
        return url

"""The form of Kallithea's SSH keys page: ``public_key`` and ``description``."""

from django import forms

from lindos.ssh.actions import MAX_DESCRIPTION, check_new_key
from lindos.ssh.keys import MAX_KEY_LENGTH, InvalidKey


class SshKeyForm(forms.Form):
    public_key = forms.CharField(
        label="Public key",
        strip=True,
        max_length=MAX_KEY_LENGTH,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "cols": 80,
                "class": "mono",
                "spellcheck": "false",
                "placeholder": "ssh-ed25519 AAAA... (contents of e.g. ~/.ssh/id_ed25519.pub)",
            }
        ),
        error_messages={
            "max_length": "This is too long for a public key (at most %(limit_value)d "
            "characters, it has %(show_value)d)."
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_DESCRIPTION,
        help_text="Left empty: the key's comment.",
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.key = None

    def clean_public_key(self):
        try:
            self.key = check_new_key(self.owner, self.cleaned_data["public_key"])
        except InvalidKey as exc:
            raise forms.ValidationError(str(exc))
        return self.cleaned_data["public_key"]

"""Users' SSH public keys (Kallithea's ``user_ssh_keys``)."""

from django.conf import settings
from django.db import models


class SshKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ssh_keys")
    #: ``type base64``, as parsed and re-encoded (the pasted comment is dropped:
    #: it never reaches authorized_keys).
    public_key = models.TextField()
    description = models.CharField(max_length=255)
    #: OpenSSH's SHA256 fingerprint without the ``SHA256:`` prefix; one key,
    #: one account: sshd would always pick the first line holding it.
    fingerprint = models.CharField(max_length=64, unique=True)
    created_on = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_on", "pk"]

    def __str__(self) -> str:
        return f"SHA256:{self.fingerprint}"

    @property
    def keytype(self) -> str:
        return self.public_key.split(" ", 1)[0]

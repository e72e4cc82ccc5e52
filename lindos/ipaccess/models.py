from django.conf import settings
from django.db import models


class AllowedNetwork(models.Model):
    """One network an account may be used from (Kallithea's ``UserIpMap``).

    ``user`` None is the default list, which applies to every account
    (Kallithea kept it on its "default" user). ``network`` is always in the
    one form ``networks.parse_network`` writes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="allowed_networks",
    )
    network = models.CharField(max_length=64)
    created_on = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # NULLs are distinct to a unique constraint, so the default list
            # is kept free of duplicates by ``do_add_network`` alone (MySQL
            # has no partial unique index; a duplicate would be harmless).
            models.UniqueConstraint(fields=["user", "network"], name="ipaccess_one_entry_per_user"),
        ]

    def __str__(self):
        return f"{self.network} ({self.user_id or 'everyone'})"

    @property
    def ip_range(self) -> list[str]:
        from lindos.ipaccess.networks import ip_range

        return ip_range(self.network)

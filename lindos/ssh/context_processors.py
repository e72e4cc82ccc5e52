from django.conf import settings


def ssh(request):
    """``ssh_enabled`` for templates: links to the key pages, the SSH clone URL."""
    return {"ssh_enabled": settings.LINDOS.ssh_enabled}

"""A URL map with views that fail, for the error-mail tests."""

import json

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


def explode(request):
    raise ValueError(f"cannot frobnicate {request.GET.get('what', '')}")


def reject_post(request):
    """Repeats what was posted in its message, as validation errors do."""
    if request.content_type == "application/json":
        data = json.loads(request.body)
        raise ValueError(f"unknown account {data['account']!r}")
    raise ValueError(f"no user {request.POST.get('email')} with code {request.POST.get('code')}")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("explode", explode),
    path("fine", fine),
    path("reject", csrf_exempt(reject_post)),
    path("_admin/", include("lindos.accounts.urls")),
]

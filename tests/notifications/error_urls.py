"""A URL map with views that fail, for the error-mail tests."""

from django.http import HttpResponse
from django.urls import include, path


def explode(request):
    raise ValueError(f"cannot frobnicate {request.GET.get('what', '')}")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("explode", explode),
    path("fine", fine),
    path("_admin/", include("lindos.accounts.urls")),
]

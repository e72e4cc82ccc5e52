from django.urls import path

from lindos.api import views

urlpatterns = [
    path("api", views.api, name="api"),
]

from django.urls import path

from lindos.externalauth import views

urlpatterns = [
    path("auth", views.auth_settings, name="auth_home"),
]

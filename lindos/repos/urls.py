"""URLs of this app."""

urlpatterns = []

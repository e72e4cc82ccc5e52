"""Repository browser URLs (files, changelog, changeset, annotate, raw, archive)."""

urlpatterns = []

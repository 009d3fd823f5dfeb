"""Routes of the audit area (filled in by that area)."""

urlpatterns: list = []

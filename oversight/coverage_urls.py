"""Routes of the coverage area (filled in by that area)."""

urlpatterns: list = []

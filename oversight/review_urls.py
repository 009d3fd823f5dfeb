"""Routes of the review area (filled in by that area)."""

urlpatterns: list = []

"""Routes of the training area (filled in by that area)."""

urlpatterns: list = []

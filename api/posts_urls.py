from django.urls import path
from rest_framework.routers import SimpleRouter

from .posts_views import PostViewSet, ReviewQueueView

router = SimpleRouter()
router.register("posts", PostViewSet, basename="post")

urlpatterns = [
    *router.urls,
    path("review-queue/", ReviewQueueView.as_view(), name="review-queue"),
]

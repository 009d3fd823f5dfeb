from rest_framework.routers import SimpleRouter

from .comments_views import CommentViewSet, ReportViewSet

router = SimpleRouter()
router.register("comments", CommentViewSet, basename="comment")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from .records_views import ExportViewSet, LegalHoldViewSet, RecordsRequestViewSet, RecordViewSet

router = SimpleRouter()
router.register("records", RecordViewSet, basename="record")
router.register("holds", LegalHoldViewSet, basename="hold")
router.register("records-requests", RecordsRequestViewSet, basename="records-request")
router.register("exports", ExportViewSet, basename="export")

urlpatterns = router.urls

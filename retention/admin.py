from django.contrib import admin

from core.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin

from . import models


@admin.register(models.Record)
class RecordAdmin(ReadOnlyAdmin):
    """Records are immutable; the admin shows them and nothing more."""

    list_display = ("pk", "kind", "title", "series", "status", "captured_at", "sha256")
    list_filter = ("kind", "status", "series")
    search_fields = ("title", "text", "author_username")


for model in (models.RecordSeries, models.ClassificationRule, models.LegalHold, models.RecordsRequest):
    admin.site.register(model, ReadOnlyHistoryAdmin)
for model in (
    models.RetentionSchedule,
    models.MediaBlob,
    models.Determination,
    models.HeldRecord,
    models.DispositionBatch,
    models.DispositionItem,
    models.FixityCheck,
    models.RequestRecord,
    models.Export,
    models.Redaction,
    models.MediaDecision,
):
    admin.site.register(model, ReadOnlyAdmin)
admin.site.register(models.DispositionPermit, ReadOnlyAdmin)

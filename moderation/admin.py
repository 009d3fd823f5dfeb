from django.contrib import admin

from core.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin

from .models import (
    CommentScreening,
    ConfidentialTerm,
    ContentReport,
    FindingException,
    Review,
    ReviewComment,
    ReviewFinding,
    ScreeningRuleSetting,
    ThreatAlert,
    Tip,
    TipSettings,
)


@admin.register(Review)
class ReviewAdmin(ReadOnlyHistoryAdmin):
    list_display = ("pk", "post", "route", "status", "submitted_by", "submitted_at", "decided_by", "decided_at")
    list_filter = ("status", "route")


@admin.register(ConfidentialTerm)
class ConfidentialTermAdmin(ReadOnlyHistoryAdmin):
    """Kept through the registry pages; the admin lists entries without the terms themselves."""

    list_display = ("pk", "kind", "case_number", "expires_on", "withdrawn_at")
    exclude = ("term",)


admin.site.register(ScreeningRuleSetting, ReadOnlyHistoryAdmin)
admin.site.register(ReviewFinding, ReadOnlyAdmin)
admin.site.register(FindingException, ReadOnlyHistoryAdmin)
admin.site.register(ReviewComment, ReadOnlyAdmin)
admin.site.register(ThreatAlert, ReadOnlyAdmin)
admin.site.register(CommentScreening, ReadOnlyAdmin)
admin.site.register(ContentReport, ReadOnlyHistoryAdmin)


@admin.register(Tip)
class TipAdmin(ReadOnlyAdmin):
    """Lists tips without what they say or who sent them: every reading of a tip is audited, and only the tip
    pages (moderation.tip_views) read them."""

    list_display = ("reference", "status", "threat", "anonymous", "created_at")
    list_filter = ("status", "threat")
    exclude = ("text", "name", "contact", "findings", "close_reason")


admin.site.register(TipSettings, ReadOnlyHistoryAdmin)

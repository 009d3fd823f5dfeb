from django.contrib import admin

from posts.admin import PlainReadOnlyAdmin, ReadOnlyAdmin

from .models import ConfidentialTerm, Review, ReviewComment, ReviewFinding, ScreeningRuleSetting


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("pk", "post", "route", "status", "submitted_by", "submitted_at", "decided_by", "decided_at")
    list_filter = ("status", "route")


@admin.register(ConfidentialTerm)
class ConfidentialTermAdmin(ReadOnlyAdmin):
    """Kept through the registry pages; the admin lists entries without the terms themselves."""

    list_display = ("pk", "kind", "case_number", "expires_on", "withdrawn_at")
    exclude = ("term",)


admin.site.register(ScreeningRuleSetting, ReadOnlyAdmin)
admin.site.register(ReviewFinding, PlainReadOnlyAdmin)
admin.site.register(ReviewComment, PlainReadOnlyAdmin)

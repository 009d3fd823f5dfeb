from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_base import ReadOnlyHistoryAdmin

from .models import Authorization, MemberProfile, RemotePostingException, TrainingRecord


@admin.register(MemberProfile)
class MemberProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "badge_number", "division", "rank", "sensitive_position")
    search_fields = ("user__username", "user__first_name", "user__last_name", "badge_number", "division")
    list_filter = ("division", "sensitive_position")


@admin.register(Authorization)
class AuthorizationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("pk", "member", "all_channels", "valid_from", "valid_until", "granted_by", "revoked_at")
    list_filter = ("all_channels",)
    search_fields = ("member__username",)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyHistoryAdmin):
    list_display = ("member", "course", "completed_on", "expires_on", "recorded_by")
    search_fields = ("member__username", "course")


@admin.register(RemotePostingException)
class RemotePostingExceptionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("member", "valid_from", "valid_until", "granted_by", "revoked_at")

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from core.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyMixin

from .models import (
    Authorization,
    DesigneeAppointment,
    EnrolmentCode,
    MemberProfile,
    RemotePostingException,
    TrainingRecord,
)

# Accounts, roles and appointments change on the Members page (385.3), where each change is checked and
# audited; the admin shows them read-only.
User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.unregister(TOTPDevice)  # a first device comes with an enrolment code, not from the admin


@admin.register(User)
class MemberAccountAdmin(ReadOnlyMixin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


@admin.register(Group)
class RoleAdmin(ReadOnlyMixin, GroupAdmin):
    pass


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(ReadOnlyMixin, TOTPDeviceAdmin):
    pass


@admin.register(DesigneeAppointment)
class DesigneeAppointmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("member", "appointed_by", "appointed_at", "ended_at", "ended_by")


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(ReadOnlyAdmin):
    list_display = ("member", "issued_by", "issued_at", "expires_at", "used_at", "withdrawn_at")
    exclude = ("digest",)


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

from django.contrib import admin

from .admin_base import ReadOnlyAdmin
from .models import AuditEvent, AuditVerification, Notification


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by services and never edited."""

    list_display = ("seq", "created_at", "actor_repr", "verb", "object_type", "object_repr", "ip")
    list_filter = ("verb", "object_type")
    search_fields = ("actor_repr", "object_repr", "verb")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "event", "subject", "sent_at", "attempts")
    list_filter = ("event",)
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    """Read-only: each daily verification of the trail, as it found it."""

    list_display = ("ran_at", "ok", "checked_through_seq")

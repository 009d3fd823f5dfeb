from django.contrib import admin

from core.admin_base import ReadOnlyAdmin

from .models import TrainingReminder


@admin.register(TrainingReminder)
class TrainingReminderAdmin(ReadOnlyAdmin):
    """Kept by the reminder run alone: a row edited or deleted here would send a reminder again, or never."""

    list_display = ("record", "threshold", "sent_on", "sent_at")
    list_filter = ("threshold",)
    list_select_related = ("record__member",)
    search_fields = ("record__member__username", "record__member__last_name")
    date_hierarchy = "sent_at"

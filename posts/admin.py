from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Channel


@admin.register(Channel)
class ChannelAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "handle", "is_active")
    list_filter = ("kind", "is_active")
    prepopulated_fields = {"slug": ("name",)}

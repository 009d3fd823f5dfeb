"""Admin classes every app shares: governed records change only through the product's audited services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read-only, with the row's history."""


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only, for rows without history."""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attachment,
    Channel,
    GuidelineTemplate,
    Incident,
    MediaPermission,
    Post,
    PostEditor,
    PostingSettings,
    PostRequest,
    PostRequestAttachment,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Governed records change only through the product's pages, whose services check, audit and notify."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Channel)
class ChannelAdmin(GuardedModelAdmin, ReadOnlyAdmin):
    list_display = ("name", "kind", "handle", "is_active", "disclaimer_opinions", "disclaimer_moderation",
                    "disclaimer_public_records")
    list_filter = ("kind", "is_active")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("pk", "title", "status", "category", "author", "incident", "update_number", "updated_at")
    list_filter = ("status", "category", "approval_path")
    search_fields = ("title", "body")


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Attachment._meta.fields]


@admin.register(GuidelineTemplate)
class GuidelineTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "category", "is_active", "updated_at")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "status", "commander", "social_media_officer", "opened_at")
    list_filter = ("status", "kind")


for model in (Attachment, MediaPermission, PostingSettings, PostRequest):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(PostEditor, PostRequestAttachment)
class PlainReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

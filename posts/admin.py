from django.contrib import admin

from core.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin

from .models import (
    AccountPost,
    AccountPostVersion,
    Attachment,
    CalendarFeed,
    Channel,
    Comment,
    GuidelineTemplate,
    Incident,
    ManualPostingTodo,
    MediaPermission,
    PlatformCommentAction,
    Post,
    PostEditor,
    PostingSettings,
    PostRequest,
    PostRequestAttachment,
    PostView,
    Publication,
    PublicationMetric,
    RemovalTodo,
    WebsiteNotices,
)


@admin.register(Channel)
class ChannelAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "name",
        "kind",
        "handle",
        "is_active",
        "disclaimer_opinions",
        "disclaimer_moderation",
        "disclaimer_public_records",
    )
    list_filter = ("kind", "is_active")


@admin.register(Post)
class PostAdmin(ReadOnlyHistoryAdmin):
    list_display = ("pk", "title", "status", "category", "author", "incident", "update_number", "updated_at")
    list_filter = ("status", "category", "approval_path")
    search_fields = ("title", "body")


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Attachment._meta.fields]


@admin.register(GuidelineTemplate)
class GuidelineTemplateAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "category", "is_active", "updated_at")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "kind", "status", "commander", "social_media_officer", "opened_at")
    list_filter = ("status", "kind")


for model in (Attachment, MediaPermission, PostingSettings, PostRequest):
    admin.site.register(model, ReadOnlyHistoryAdmin)


admin.site.register(PostEditor, ReadOnlyAdmin)
admin.site.register(PostRequestAttachment, ReadOnlyAdmin)

for model in (Publication, RemovalTodo, ManualPostingTodo, Comment, PostView, PublicationMetric, WebsiteNotices):
    admin.site.register(model, ReadOnlyHistoryAdmin if hasattr(model, "history") else ReadOnlyAdmin)

for model in (PlatformCommentAction, AccountPost, AccountPostVersion):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Who has a calendar feed address and whether it still works; the token's digest is not shown."""

    list_display = ("member", "prefix", "created_at", "revoked_at", "last_used_at")
    exclude = ("digest",)

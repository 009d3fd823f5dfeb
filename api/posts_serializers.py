"""Posts, review decisions and the queue, as the API shows and takes them."""

from rest_framework import serializers

from posts.models import Category, Channel, Post


class ChannelRef(serializers.ModelSerializer):
    class Meta:
        model = Channel
        fields = ["id", "name", "slug"]


class PostSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    # Empty until the post is approved (or published from a guideline).
    approval_path = serializers.ChoiceField(choices=Post.ApprovalPath.choices, allow_blank=True, read_only=True)
    channels = ChannelRef(many=True, read_only=True)
    incident = serializers.IntegerField(source="incident_id", read_only=True, allow_null=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "title",
            "body",
            "category",
            "channels",
            "status",
            "author",
            "version",
            "incident",
            "update_number",
            "scheduled_for",
            "translation_language",
            "translation_body",
            "approval_path",
            "created_at",
            "updated_at",
            "submitted_at",
            "approved_at",
            "published_at",
        ]
        read_only_fields = fields


class QueueItemSerializer(PostSerializer):
    flags = serializers.IntegerField(read_only=True, help_text="Screening findings to look at.")
    blocks = serializers.IntegerField(read_only=True, help_text="Screening findings that block approval.")

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "flags", "blocks"]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    body = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    channels = serializers.ListField(
        child=serializers.CharField(max_length=100), min_length=1, help_text="Channel slugs or ids."
    )
    scheduled_for = serializers.DateTimeField(required=False, allow_null=True, default=None)
    translation_language = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)
    translation_body = serializers.CharField(required=False, allow_blank=True, default="")


class EditSerializer(DraftSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read: a stale edit is refused (409).")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    acknowledge = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="Screening findings acknowledged."
    )


class RequestChangesSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    quote = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

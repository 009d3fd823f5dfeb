"""Incidents and their updates (385.4.1), as the API shows and takes them."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from posts.models import Category, Incident, Post

from .posts_serializers import DraftSerializer, PostSerializer


def choice_component(name: str, choices) -> type[serializers.ChoiceField]:
    """A field of one model's choices, named in the schema as its own component (e.g. IncidentStatus): every area
    has a `status`, and each set of statuses keeps one stable name whether it is read or sent."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]}, component_name=name)
    class ChoiceOf(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return ChoiceOf


IncidentStatus = choice_component("IncidentStatus", Incident.Status.choices)
IncidentKind = choice_component("IncidentKind", Incident.Kind.choices)


class IncidentSerializer(serializers.ModelSerializer):
    status = IncidentStatus(read_only=True)
    kind = IncidentKind(read_only=True)
    commander = serializers.CharField(source="commander.username", read_only=True)
    social_media_officer = serializers.CharField(source="social_media_officer.username", read_only=True)
    backup_approver = serializers.CharField(
        source="backup_approver.username",
        read_only=True,
        allow_null=True,
        help_text="Approves updates when the Incident Commander cannot; null when none is named.",
    )
    opened_by = serializers.CharField(source="opened_by.username", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "name",
            "kind",
            "location",
            "status",
            "commander",
            "social_media_officer",
            "backup_approver",
            "opened_by",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields


def _active_member(help_text: str, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        help_text=help_text,
        **kwargs,
    )


class OpenIncidentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = IncidentKind()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    commander = _active_member("The Incident Commander's username: approves the updates.")
    social_media_officer = _active_member("The username of the Social Media Officer who compiles the updates.")


class TransferCommandSerializer(serializers.Serializer):
    commander = _active_member("The new Incident Commander's username.")
    reason = serializers.CharField(max_length=2000)


class BackupApproverSerializer(serializers.Serializer):
    backup_approver = _active_member("The backup approver's username; null ends the backup's part.", allow_null=True)
    reason = serializers.CharField(max_length=2000)


class IncidentUpdateDraftSerializer(DraftSerializer):
    """An update about the incident: a post drafted with the incident named, numbered in order."""

    title = serializers.CharField(
        max_length=200,
        allow_blank=True,
        required=False,
        default="",
        help_text="Left blank: the incident's name, followed by “— update”.",
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False, default=Category.REAL_TIME_SAFETY)


class IncidentUpdateSerializer(PostSerializer):
    """An update as a post: the path to its approval is blank until it is submitted."""

    approval_path = serializers.ChoiceField(
        choices=Post.ApprovalPath.choices,
        allow_blank=True,
        read_only=True,
        help_text="Who approves it; blank until it is submitted.",
    )

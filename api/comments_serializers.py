"""Public comments (385.5.1) and content reports (385.5), as the API shows and takes them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moderation.models import CommentScreening, ContentReport
from moderation.monitoring import REMOVAL_REASONS
from posts.models import Comment, Post

from .incidents_serializers import choice_component
from .posts_serializers import ChannelRef

CommentStatus = choice_component("CommentStatus", Comment.Status.choices)
RemovalReason = choice_component("CommentRemovalReason", list(REMOVAL_REASONS.items()))
ReportStatus = choice_component("ReportStatus", ContentReport.Status.choices)
ReportSection = choice_component("ReportSection", ContentReport.Section.choices)
ReportOutcome = choice_component("ReportOutcome", ContentReport.Outcome.choices)


# Comments --------------------------------------------------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    rule_id = serializers.CharField(read_only=True)
    section = serializers.CharField(read_only=True, help_text="The policy section, e.g. 385.5(b).")
    severity = serializers.CharField(read_only=True, help_text="info, acknowledge or block.")
    excerpt = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True)
    escalate = serializers.BooleanField(read_only=True, help_text="A threat: people were alerted at once.")


class ScreeningSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    screened_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null: not screened (yet).")

    class Meta:
        model = CommentScreening
        fields = ["severity_rank", "escalated", "threat_score", "language", "findings", "screened_at"]
        read_only_fields = fields


# A comment is screened as it arrives; one kept from before screening began reads as screened with no findings.
UNSCREENED = {
    "severity_rank": 0,
    "escalated": False,
    "threat_score": 0.0,
    "language": "",
    "findings": [],
    "screened_at": None,
}


class CommentSerializer(serializers.ModelSerializer):
    channel = ChannelRef(read_only=True)
    post = serializers.IntegerField(source="post_id", read_only=True, allow_null=True)
    post_title = serializers.CharField(source="post.title", read_only=True, allow_null=True)
    status = CommentStatus(read_only=True)
    link = serializers.CharField(read_only=True, help_text="Where the comment is on its platform; blank if unknown.")
    removal_reason = serializers.CharField(read_only=True, help_text="Blank unless hidden or removed.")
    removed_by = serializers.CharField(source="removed_by.username", read_only=True, allow_null=True)
    screening = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "channel",
            "post",
            "post_title",
            "author_name",
            "author_handle",
            "text",
            "link",
            "status",
            "created_at",
            "updated_at",
            "removal_reason",
            "removal_note",
            "removed_by",
            "removed_at",
            "screening",
        ]
        read_only_fields = fields

    @extend_schema_field(ScreeningSerializer)
    def get_screening(self, comment: Comment):
        try:
            screening = comment.screening
        except CommentScreening.DoesNotExist:
            return dict(UNSCREENED)
        return ScreeningSerializer(screening).data


class ModerateSerializer(serializers.Serializer):
    reason = RemovalReason(help_text="The reason the department's pages announce (385.5.1(a)).")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# Content reports -------------------------------------------------------------------------------------------


# What only the supervisors handling reports read (385.5): who removed the content and the investigation of its cause.
HANDLING = ["removed_by", "investigator", "investigation_started_at", "how_posted", "posted_by", "control_failed"]
FOR_HANDLERS = " Null for the reporter: it is for the supervisors handling reports (with the `comments` scope)."


class ReportSerializer(serializers.ModelSerializer):
    reporter = serializers.CharField(source="reporter.username", read_only=True)
    status = ReportStatus(read_only=True)
    section = ReportSection(read_only=True)
    post = serializers.IntegerField(source="post_id", read_only=True, allow_null=True)
    comment = serializers.IntegerField(source="comment_id", read_only=True, allow_null=True)
    link = serializers.CharField(
        read_only=True, help_text="Where the content is; may be blank when a post or comment is named."
    )
    outcome = serializers.SerializerMethodField()
    removed_by = serializers.CharField(
        source="removed_by.username", read_only=True, allow_null=True, help_text="Null until removed." + FOR_HANDLERS
    )
    investigator = serializers.CharField(
        source="investigator.username",
        read_only=True,
        allow_null=True,
        help_text="Null until investigated." + FOR_HANDLERS,
    )
    investigation_started_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=FOR_HANDLERS.strip()
    )
    how_posted = serializers.CharField(read_only=True, allow_null=True, help_text="How it got posted." + FOR_HANDLERS)
    posted_by = serializers.CharField(read_only=True, allow_null=True, help_text="By whom." + FOR_HANDLERS)
    control_failed = serializers.CharField(
        read_only=True, allow_null=True, help_text="Which control failed." + FOR_HANDLERS
    )

    class Meta:
        model = ContentReport
        fields = [
            "id",
            "status",
            "section",
            "description",
            "reporter",
            "post",
            "comment",
            "link",
            "created_at",
            "removed_at",
            "resolved_at",
            "resolution",
            "outcome",
            *HANDLING,
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(
            choices=ContentReport.Outcome.choices,
            allow_null=True,
            help_text="Why it was closed without removal; null otherwise.",
        )
    )
    def get_outcome(self, report: ContentReport):
        return report.outcome or None

    def to_representation(self, report):
        data = super().to_representation(report)
        if not self.context.get("handler"):
            data.update(dict.fromkeys(HANDLING))
        return data


class FileReportSerializer(serializers.Serializer):
    section = ReportSection(help_text="The part of 385.5 the content breaks.")
    description = serializers.CharField(max_length=5000, help_text="What is wrong with it.")
    post = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects.filter(status=Post.Status.PUBLISHED),
        required=False,
        allow_null=True,
        default=None,
        help_text="The published department post.",
    )
    comment = serializers.PrimaryKeyRelatedField(
        queryset=Comment.objects.exclude(status=Comment.Status.REMOVED),
        required=False,
        allow_null=True,
        default=None,
        help_text="The public comment.",
    )
    link = serializers.URLField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Where the content is."
    )


class CloseReportSerializer(serializers.Serializer):
    outcome = ReportOutcome()
    reason = serializers.CharField(max_length=5000, help_text="Why the content stays up; the reporter reads it.")


class InvestigationSerializer(serializers.Serializer):
    how_posted = serializers.CharField(max_length=5000, help_text="How it got posted.")
    posted_by = serializers.CharField(max_length=5000, help_text="By whom.")
    control_failed = serializers.CharField(max_length=5000, help_text="Which control failed.")


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=5000)

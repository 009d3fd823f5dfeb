"""/api/v1/comments/ and /api/v1/reports/: monitoring public comments (385.5.1) and handling reports of
inappropriate content (385.5), through the services the monitoring and report pages call, with their refusals."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from moderation import reports
from moderation.models import ContentReport
from moderation.monitoring import moderate_comment
from moderation.permissions import require_monitor
from posts.models import Comment

from .base import ApiViewSet, valid_data
from .comments_serializers import (
    CloseReportSerializer,
    CommentSerializer,
    FileReportSerializer,
    InvestigationSerializer,
    ModerateSerializer,
    ReportSerializer,
    ResolveSerializer,
)
from .errors import error_responses
from .incidents_views import LIST_REFUSALS, MAX_ID, found
from .posts_serializers import ReasonSerializer

REFUSALS = error_responses(400, 401, 403, 404, 409, 429)
SEVERITIES = [("1", "Any finding"), ("2", "Needs attention or worse"), ("3", "Blocking (threats)")]


# Comments --------------------------------------------------------------------------------------------------


class CommentFilter(django_filters.FilterSet):
    """The monitoring page's filters."""

    status = django_filters.ChoiceFilter(choices=Comment.Status.choices, help_text="Only comments in this state.")
    channel = django_filters.CharFilter(field_name="channel__slug", help_text="Channel slug.")
    post = django_filters.NumberFilter(
        field_name="post_id", min_value=1, max_value=MAX_ID, help_text="Only comments on this post."
    )
    severity = django_filters.ChoiceFilter(
        choices=SEVERITIES, method="at_least", help_text="Screening findings at least this serious."
    )
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Comment
        fields = ["status", "channel", "post", "severity", "date_from", "date_to"]

    def at_least(self, queryset, name, value):
        return queryset.filter(screening__severity_rank__gte=int(value))


@extend_schema(tags=["comments"])
class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Public comments on the department's pages (385.5.1): for the social media team and supervisors, newest
    first. A hidden or removed comment leaves public view and is kept whole, as a record."""

    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    required_scopes = ["comments"]
    queryset = Comment.objects.select_related("channel", "post", "screening", "removed_by")

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            require_monitor(self.request.user)  # the page's refusal, with its section
        return self.queryset.all()

    def get_object(self) -> Comment:
        return found(self.get_queryset(), self.kwargs["pk"])

    def _answer(self, comment: Comment):
        return Response(CommentSerializer(self.get_queryset().get(pk=comment.pk)).data)

    def _moderate(self, request, verb: str):
        comment = self.get_object()
        data = valid_data(ModerateSerializer, request) if verb != "show" else {}
        return self._answer(moderate_comment(actor=request.user, comment=comment, action=verb, **data))

    @extend_schema(responses={200: CommentSerializer(many=True), **LIST_REFUSALS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: CommentSerializer, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(summary="Show the comment on the page", request=None, responses={200: CommentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def show(self, request, pk=None):
        return self._moderate(request, "show")

    @extend_schema(
        summary="Hide the comment, with the reason the page announces",
        request=ModerateSerializer,
        responses={200: CommentSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        return self._moderate(request, "hide")

    @extend_schema(
        summary="Remove the comment from public view (kept as a record), with the reason the page announces",
        request=ModerateSerializer,
        responses={200: CommentSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        return self._moderate(request, "remove")


# Content reports -------------------------------------------------------------------------------------------


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ContentReport.Status.choices, help_text="Only reports in this status.")

    class Meta:
        model = ContentReport
        fields = ["status"]


@extend_schema(tags=["reports"])
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Reports of unauthorized or inappropriate content (385.5). Any member files one and follows their own; a
    supervisor whose token carries the `comments` scope reads every report and handles it: removal from public view,
    or closing without removal; then the investigation of the cause and the resolution."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    queryset = ContentReport.objects.select_related("reporter", "removed_by", "investigator")
    scopes_by_action = {
        "list": ["posts:read"],
        "retrieve": ["posts:read"],
        "create": ["posts:read"],
        "remove_content": ["comments"],
        "close": ["comments"],
        "investigate": ["comments"],
        "resolve": ["comments"],
    }

    def handles_reports(self) -> bool:
        # The token narrows: a supervisor's token without `comments` sees only the supervisor's own reports.
        token = self.request.auth
        return reports.can_handle_reports(self.request.user) and "comments" in getattr(token, "scopes", ())

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.handles_reports():
            return self.queryset.all()
        return self.queryset.filter(reporter=self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["handler"] = self.handles_reports()
        return context

    def get_object(self) -> ContentReport:
        return found(self.get_queryset(), self.kwargs["pk"])  # the same 404 for "no such report" and "not yours"

    def _answer(self, report: ContentReport, code=status.HTTP_200_OK):
        report = self.queryset.get(pk=report.pk)
        return Response(ReportSerializer(report, context=self.get_serializer_context()).data, status=code)

    @extend_schema(responses={200: ReportSerializer(many=True), **LIST_REFUSALS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ReportSerializer, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(
        summary="Report content to the supervisors",
        request=FileReportSerializer,
        responses={201: ReportSerializer, **error_responses(400, 401, 403, 429)},
    )
    def create(self, request):
        data = valid_data(FileReportSerializer, request)
        report = reports.file_report(actor=request.user, **data)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove the reported content from public view",
        request=ReasonSerializer,
        responses={200: ReportSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="remove-content")
    def remove_content(self, request, pk=None):
        report = self.get_object()
        data = valid_data(ReasonSerializer, request)
        return self._answer(reports.remove_reported_content(actor=request.user, report=report, reason=data["reason"]))

    @extend_schema(
        summary="Close the report without removing the content",
        request=CloseReportSerializer,
        responses={200: ReportSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        report = self.get_object()
        data = valid_data(CloseReportSerializer, request)
        return self._answer(reports.close_report(actor=request.user, report=report, **data))

    @extend_schema(
        summary="Record the investigation of the cause",
        request=InvestigationSerializer,
        responses={200: ReportSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        report = self.get_object()
        data = valid_data(InvestigationSerializer, request)
        return self._answer(reports.start_investigation(actor=request.user, report=report, **data))

    @extend_schema(
        summary="Resolve the report", request=ResolveSerializer, responses={200: ReportSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        report = self.get_object()
        data = valid_data(ResolveSerializer, request)
        return self._answer(reports.resolve_report(actor=request.user, report=report, resolution=data["resolution"]))

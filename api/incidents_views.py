"""/api/v1/incidents/: active incidents and their updates (385.4.1), through the services the incident pages
call, with their refusals. An update is a post naming the incident; it is then submitted, approved by the Incident
Commander and published through /api/v1/posts/."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from posts import selectors
from posts import services as posts
from posts.models import Incident, Post

from .base import ApiViewSet, valid_data
from .errors import error_responses
from .incidents_serializers import (
    BackupApproverSerializer,
    IncidentSerializer,
    IncidentUpdateDraftSerializer,
    IncidentUpdateSerializer,
    OpenIncidentSerializer,
    TransferCommandSerializer,
)
from .posts_serializers import ReasonSerializer

REFUSALS = error_responses(400, 401, 403, 404, 409, 429)
# A list answers 404 for a cursor it did not give.
LIST_REFUSALS = error_responses(400, 401, 403, 404, 429)


MAX_ID = 2**63 - 1  # the largest id the database holds


def found(queryset, pk):
    """The row `pk` names in `queryset`, or 404: for an id that is not a number, or no id the database could hold,
    too, rather than a server error."""
    pk = str(pk)
    row = queryset.filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() and int(pk) <= MAX_ID else None
    if row is None:
        raise Http404
    return row


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Incident.Status.choices, help_text="Only incidents in this status.")

    class Meta:
        model = Incident
        fields = ["status"]


@extend_schema(tags=["incidents"])
class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Incidents and their updates (385.4.1). Every member reads them, as on the incidents page; the services decide
    who opens, closes or hands over an incident and who drafts its updates."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    queryset = Incident.objects.select_related("commander", "social_media_officer", "backup_approver", "opened_by")
    scopes_by_action = {
        "list": ["posts:read"],
        "retrieve": ["posts:read"],
        "updates": ["posts:read"],
        "draft_update": ["posts:write"],
        "create": ["posts:write"],
        "close": ["posts:write"],
        "reopen": ["posts:write"],
        "transfer_command": ["posts:write"],
        "backup_approver": ["posts:write"],
    }

    def get_object(self) -> Incident:
        return found(self.get_queryset(), self.kwargs["pk"])

    def _answer(self, incident: Incident, code=status.HTTP_200_OK):
        return Response(IncidentSerializer(self.get_queryset().get(pk=incident.pk)).data, status=code)

    @extend_schema(responses={200: IncidentSerializer(many=True), **LIST_REFUSALS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: IncidentSerializer, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(request=OpenIncidentSerializer, responses={201: IncidentSerializer, **REFUSALS})
    def create(self, request):
        data = valid_data(OpenIncidentSerializer, request)
        return self._answer(posts.open_incident(actor=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: IncidentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(posts.close_incident(actor=request.user, incident=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses={200: IncidentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        incident = self.get_object()
        data = valid_data(ReasonSerializer, request)
        return self._answer(posts.reopen_incident(actor=request.user, incident=incident, reason=data["reason"]))

    @extend_schema(request=TransferCommandSerializer, responses={200: IncidentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="transfer-command")
    def transfer_command(self, request, pk=None):
        incident = self.get_object()
        data = valid_data(TransferCommandSerializer, request)
        return self._answer(
            posts.transfer_command(
                actor=request.user, incident=incident, commander=data["commander"], reason=data["reason"]
            )
        )

    @extend_schema(request=BackupApproverSerializer, responses={200: IncidentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="backup-approver")
    def backup_approver(self, request, pk=None):
        incident = self.get_object()
        data = valid_data(BackupApproverSerializer, request)
        return self._answer(
            posts.name_backup_approver(
                actor=request.user, incident=incident, backup=data["backup_approver"], reason=data["reason"]
            )
        )

    @extend_schema(
        summary="The incident's updates the caller may read",
        description="Published updates, and those the caller may open before publication, in update order.",
        responses={200: IncidentUpdateSerializer(many=True), **error_responses(401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def updates(self, request, pk=None):
        updates = selectors.incident_updates(self.get_object(), viewer=request.user)
        return Response(IncidentUpdateSerializer(updates, many=True).data)

    @extend_schema(
        summary="Draft an update about the incident",
        request=IncidentUpdateDraftSerializer,
        responses={201: IncidentUpdateSerializer, **REFUSALS},
    )
    @updates.mapping.post
    def draft_update(self, request, pk=None):
        incident = self.get_object()
        data = valid_data(IncidentUpdateDraftSerializer, request)
        channels = posts.resolve_channels(data.pop("channels"))
        # The update page starts from this title; an update without one still says what it is about.
        data["title"] = data["title"] or f"{incident.name} — update"
        post = posts.create_post(actor=request.user, incident=incident, channels=channels, **data)
        post = Post.objects.select_related("author").prefetch_related("channels").get(pk=post.pk)
        return Response(IncidentUpdateSerializer(post).data, status=status.HTTP_201_CREATED)

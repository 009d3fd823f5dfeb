"""/api/v1/posts/ and /api/v1/review-queue/: drafting, the review decisions and publishing, through the services
the pages call, with their refusals."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from moderation import services as review
from moderation.permissions import require_review_queue
from moderation.selectors import review_queue_for
from posts import permissions as post_permissions
from posts import services as posts
from posts.models import Post
from posts.selectors import posts_list

from .base import ApiGenericView, ApiViewSet, client_ip, valid_data
from .errors import error_responses
from .posts_serializers import (
    ApproveSerializer,
    DraftSerializer,
    EditSerializer,
    PostSerializer,
    QueueItemSerializer,
    ReasonSerializer,
    RequestChangesSerializer,
)

REFUSALS = error_responses(400, 401, 403, 404, 409, 429)


@extend_schema(tags=["posts"])
class PostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = PostSerializer
    lookup_value_regex = r"[0-9]+"  # anything else is no post: 404 from the router, never a failed lookup
    scopes_by_action = {
        "list": ["posts:read"],
        "retrieve": ["posts:read"],
        "create": ["posts:write"],
        "partial_update": ["posts:write"],
        "submit": ["posts:write"],
        "withdraw": ["posts:write"],
        "publish": ["posts:write"],
        "approve": ["review"],
        "request_changes": ["review"],
        "reject": ["review"],
    }

    def get_queryset(self):
        user = self.request.user
        if not (post_permissions.can_view_all_posts(user) or post_permissions.can_draft(user)):
            return Post.objects.none()
        everyone = post_permissions.can_view_all_posts(user) and self.request.query_params.get("mine") != "true"
        status_filter = self.request.query_params.get("status", "")
        if status_filter and status_filter not in Post.Status.values:
            status_filter = "__none__"
        return posts_list(
            user=user, mine=not everyone, status=status_filter, search=self.request.query_params.get("q", "")[:100]
        ).order_by()

    def get_object(self) -> Post:
        post = Post.objects.select_related("author", "incident", "request").filter(pk=self.kwargs["pk"]).first()
        if post is None or not post_permissions.can_view_post(self.request.user, post):
            raise Http404  # the same answer for "no such post" and "not yours"
        return post

    def _answer(self, post: Post, code=status.HTTP_200_OK):
        post = Post.objects.select_related("author").prefetch_related("channels").get(pk=post.pk)
        return Response(PostSerializer(post).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(Post.Status.values), description="Only posts in this status."),
            OpenApiParameter("mine", bool, description="Only your own posts."),
            OpenApiParameter("q", str, description="Words in the title or body."),
        ],
        responses={200: PostSerializer(many=True), **error_responses(401, 403, 404, 429)},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: PostSerializer, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(request=DraftSerializer, responses={201: PostSerializer, **REFUSALS})
    def create(self, request):
        data = valid_data(DraftSerializer, request)
        channels = posts.resolve_channels(data.pop("channels"))
        post = posts.create_post(actor=request.user, channels=channels, **data)
        return self._answer(post, status.HTTP_201_CREATED)

    @extend_schema(request=EditSerializer, responses={200: PostSerializer, **REFUSALS})
    def partial_update(self, request, pk=None):
        post = self.get_object()
        data = valid_data(EditSerializer, request)
        channels = posts.resolve_channels(data.pop("channels"))
        post = posts.update_post(
            actor=request.user, post=post, expected_version=data.pop("version"), channels=channels, **data
        )
        return self._answer(post)

    @extend_schema(request=None, responses={200: PostSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        post = self.get_object()
        review.submit_for_review(actor=request.user, post=post, ip=client_ip(request))
        return self._answer(post)

    @extend_schema(request=ReasonSerializer, responses={200: PostSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        post = self.get_object()
        data = valid_data(ReasonSerializer, request)
        return self._answer(posts.withdraw_post(actor=request.user, post=post, reason=data["reason"]))

    @extend_schema(request=None, responses={200: PostSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        post = self.get_object()
        return self._answer(posts.publish_post(actor=request.user, post=post, ip=client_ip(request)))

    @extend_schema(request=ApproveSerializer, responses={200: PostSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        post = self.get_object()
        data = valid_data(ApproveSerializer, request)
        return self._answer(
            review.approve_post(actor=request.user, post=post, note=data["note"], acknowledge=data["acknowledge"])
        )

    @extend_schema(request=RequestChangesSerializer, responses={200: PostSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        post = self.get_object()
        data = valid_data(RequestChangesSerializer, request)
        comments = [{"quote": data["quote"], "body": data["comment"]}] if data["comment"] else []
        return self._answer(review.request_changes(actor=request.user, post=post, note=data["note"], comments=comments))

    @extend_schema(request=ReasonSerializer, responses={200: PostSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        post = self.get_object()
        data = valid_data(ReasonSerializer, request)
        return self._answer(review.reject_post(actor=request.user, post=post, reason=data["reason"]))


@extend_schema(
    tags=["review"],
    parameters=[
        OpenApiParameter("channel", str, description="Channel slug."),
        OpenApiParameter("category", str),
        OpenApiParameter("incident", int),
    ],
    responses={200: QueueItemSerializer(many=True), **error_responses(401, 403, 429)},
)
class ReviewQueueView(mixins.ListModelMixin, ApiGenericView):
    """Posts awaiting the token's member's decision, oldest submission first (the page's queue)."""

    serializer_class = QueueItemSerializer
    required_scopes = ["review"]
    pagination_class = None
    queryset = Post.objects.none()  # the schema's model; requests read review_queue_for below

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        require_review_queue(user)
        params = self.request.query_params
        incident = params.get("incident", "")
        return review_queue_for(
            user,
            channel=params.get("channel", "")[:100],
            category=params.get("category", "")[:32],
            incident=incident if incident.isdigit() else "",
        )

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

"""Public comment monitoring (385.5.1): the queue, a comment's page and threat alerts, over moderation.monitoring."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import DomainError
from posts.models import Channel, Comment

from .. import permissions
from ..forms import (
    DateRangeForm,
)
from ..models import ThreatAlert
from ..monitoring import REMOVAL_REASONS, acknowledge_alert, moderate_comment


@login_required
def monitoring_queue(request):

    permissions.require_monitor(request.user)
    state = request.GET.get("state", "pending")
    comments = Comment.objects.select_related("channel", "post", "screening").order_by(
        "-screening__escalated", "-screening__threat_score", "-screening__severity_rank", "created_at", "pk"
    )
    if state in Comment.Status.values:
        comments = comments.filter(status=state)
    channel = request.GET.get("channel", "")[:60]
    if channel:
        comments = comments.filter(channel__slug=channel)
    severity = request.GET.get("severity", "")
    if severity in {"1", "2", "3"}:
        comments = comments.filter(screening__severity_rank__gte=int(severity))
    dates = DateRangeForm(request.GET)
    if dates.is_valid():
        if dates.cleaned_data["date_from"]:
            comments = comments.filter(created_at__date__gte=dates.cleaned_data["date_from"])
        if dates.cleaned_data["date_to"]:
            comments = comments.filter(created_at__date__lte=dates.cleaned_data["date_to"])
    page = Paginator(comments, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/monitoring_queue.html",
        {
            "page": page,
            "state": state,
            "states": Comment.Status.choices,
            "reasons": REMOVAL_REASONS.items(),
            "channels": Channel.objects.order_by("name"),
            "channel": channel,
            "severity": severity,
            "dates": dates,
            "severities": [("1", "Any finding"), ("2", "Needs attention or worse"), ("3", "Blocking (threats)")],
        },
    )


@login_required
@require_POST
def comment_action(request, pk):

    comment = get_object_or_404(Comment, pk=pk)
    try:
        moderate_comment(
            actor=request.user,
            comment=comment,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Comment #{comment.pk}: {request.POST.get('action')} done.")
    return redirect(
        request.POST.get("next")
        if url_has_allowed_host_and_scheme(request.POST.get("next"), allowed_hosts={request.get_host()})
        else "moderation:monitoring"
    )


@login_required
def comment_detail(request, pk):
    """One comment with its thread (the post and the comments around it) and its screening."""

    permissions.require_monitor(request.user)
    comment = get_object_or_404(Comment.objects.select_related("channel", "post", "screening", "removed_by"), pk=pk)
    thread = []
    if comment.post_id:
        thread = list(Comment.objects.filter(post_id=comment.post_id).order_by("created_at", "pk")[:200])

    alert = ThreatAlert.objects.filter(comment=comment).select_related("acknowledged_by").first()
    return render(
        request,
        "moderation/comment_detail.html",
        {
            "comment": comment,
            "thread": thread,
            "reasons": REMOVAL_REASONS.items(),
            "alert": alert,
        },
    )


@login_required
@require_POST
def alert_acknowledge(request, pk):

    alert = get_object_or_404(ThreatAlert, pk=pk)
    try:
        acknowledge_alert(actor=request.user, alert=alert)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Alert acknowledged.")
    return redirect("moderation:comment_detail", pk=alert.comment_id)


def comment_page(request, pk):
    """GET: the comment with its thread; POST: act on it."""
    return comment_action(request, pk) if request.method == "POST" else comment_detail(request, pk)

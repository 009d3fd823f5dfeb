"""Pages for what the platforms leave to the team: comment decisions to finish by hand on /removals/, and posts seen
on the department's accounts that did not go through socialgov or were changed there (385.5(g))."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import DomainError

from . import permissions
from .models import AccountPost, PlatformCommentAction
from .publishing import account_watch, comment_actions


def comment_todos() -> list[dict]:
    return [{"entry": entry, "can_block": comment_actions.can_block(entry)} for entry in comment_actions.open_todos()]


def comment_todo_post(request):
    """POST from /removals/: confirm a comment to-do done by hand, or block the comment's author."""
    entry = get_object_or_404(PlatformCommentAction, pk=request.POST.get("comment_action"))
    try:
        if request.POST.get("block"):
            said = comment_actions.block_author(actor=request.user, action=entry)
            messages.success(request, said)
        else:
            comment_actions.confirm_by_hand(actor=request.user, action=entry, note=request.POST.get("note", ""))
            messages.success(request, f"Confirmed done on {entry.comment.channel.name}.")
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("posts:removal_todos")


def channel_flags(channel) -> list:
    return list(account_watch.open_flags().filter(channel=channel)[:20])


@login_required
def account_posts(request):
    """Posts on the department's accounts that need an answer: made outside socialgov, edited or deleted there."""
    permissions.require_remover(request.user, "answers for content on the accounts")
    flagged = account_watch.open_flags().prefetch_related("versions")
    answered = (
        AccountPost.objects.filter(acknowledged_at__isnull=False, versions__flagged=True)
        .distinct()
        .select_related("channel", "acknowledged_by", "publication__post")
        .order_by("-acknowledged_at")[:50]
    )
    return render(request, "posts/account_posts.html", {"flagged": flagged, "answered": answered})


@login_required
@require_http_methods(["GET", "POST"])
def account_post_detail(request, pk):
    permissions.require_remover(request.user, "answers for content on the accounts")
    account_post = get_object_or_404(
        AccountPost.objects.select_related("channel", "publication__post", "acknowledged_by"), pk=pk
    )
    error = ""
    if request.method == "POST":
        try:
            account_watch.acknowledge(actor=request.user, account_post=account_post, note=request.POST.get("note", ""))
        except DomainError as failure:
            error = str(failure)
        else:
            messages.success(request, "Answered.")
            return redirect("posts:account_post_detail", pk=account_post.pk)
    return render(
        request,
        "posts/account_post_detail.html",
        {"account_post": account_post, "versions": account_post.versions.all(), "error": error},
    )

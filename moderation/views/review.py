"""The approval queue and the review page (385.3, 385.4.1): thin views over moderation.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from members.forms import add_domain_error
from posts.models import Category, Channel, Incident, Post

from .. import permissions, selectors, services
from ..diff import word_diff
from ..forms import (
    ApproveForm,
    RejectForm,
    RequestChangesForm,
)
from .post_pages import post_or_404

S = Post.Status


@login_required
def review_queue(request):
    user = request.user
    permissions.require_review_queue(user)
    filters = {k: request.GET.get(k, "")[:64] for k in ("channel", "category", "incident")}
    if filters["incident"] and not filters["incident"].isdigit():
        filters["incident"] = ""
    queue = selectors.review_queue_for(user, **filters)
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    rows = [{"post": p, "age": selectors.age(p.submitted_at)} for p in page.object_list]
    return render(
        request,
        "moderation/review_queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "channels": Channel.objects.order_by("name"),
            "categories": Category.choices,
            "incidents": Incident.objects.filter(status=Incident.Status.ACTIVE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_post(request, pk):
    post = post_or_404(request, pk)
    user = request.user
    approve_form, changes_form, reject_form = ApproveForm(), RequestChangesForm(), RejectForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve_form = ApproveForm(request.POST)
                approve_form.is_valid()
                decided = services.approve_post(
                    actor=user,
                    post=post,
                    note=approve_form.cleaned_data.get("note", ""),
                    acknowledge=request.POST.getlist("acknowledge"),
                )
                if decided.is_held and decided.status == Post.Status.IN_REVIEW:
                    # An incident update goes out on approval; the checks at sending stopped it (385.4.1).
                    messages.error(
                        request,
                        "Approved, but not sent: it no longer passes the checks made at the moment of sending, "
                        "and is back in review. "
                        + " ".join(f"{r['message']} ({r['section']})" for r in decided.held_reasons),
                    )
                else:
                    messages.success(request, "Approved.")
            elif action == "request_changes":
                changes_form = RequestChangesForm(request.POST)
                changes_form.is_valid()
                data = changes_form.cleaned_data
                services.request_changes(
                    actor=user,
                    post=post,
                    note=data.get("note", ""),
                    comments=[{"quote": data.get("quote", ""), "body": data.get("comment", "")}],
                )
                messages.success(request, "Changes requested; the author was told.")
            elif action == "reject":
                reject_form = RejectForm(request.POST)
                reject_form.is_valid()
                services.reject_post(actor=user, post=post, reason=reject_form.cleaned_data.get("reason", ""))
                messages.success(request, "Rejected; the author was told.")
            elif action == "clear_finding":
                services.clear_finding(
                    actor=user, post=post, finding_id=request.POST.get("finding", ""),
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
                messages.success(request, "Marked reviewed: not a violation, for this text. An edit brings it back.")
                return redirect("moderation:review", pk=post.pk)
            else:
                raise Http404("Unknown action.")
        except DomainError as error:
            if action == "clear_finding":
                messages.error(request, str(error))
                return redirect("moderation:review", pk=post.pk)
            target = {"approve": approve_form, "request_changes": changes_form, "reject": reject_form}[action]
            add_domain_error(target, error)
            if target is approve_form or not target.errors:
                messages.error(request, str(error))
        else:
            return (
                redirect("moderation:post_detail", pk=post.pk)
                if post.status != S.IN_REVIEW
                else redirect("moderation:queue")
            )
    data = selectors.review_page_data(post, user)
    base = data["diff_base"]
    diff = None
    if base is not None and base.body != post.body:
        diff = {"body": word_diff(base.body, post.body), "since": base.history_date}
        if base.translation_body != post.translation_body:
            diff["translation"] = word_diff(base.translation_body, post.translation_body)
    pending = data.get("pending")
    clearable = permissions.clearable_findings(user, post, pending.findings.all()) if pending else set()
    return render(
        request,
        "moderation/review_post.html",
        {
            "post": post,
            "clearable": clearable,
            "diff": diff,
            "refusals": permissions.decision_refusals(user, post),
            "can_decide": permissions.can_decide(user, post),
            "approve_form": approve_form,
            "changes_form": changes_form,
            "reject_form": reject_form,
            "attachments": list(post.attachments.select_related("media_permission")),
            **data,
        },
    )

"""Post and review pages: thin views over posts.services and moderation.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.models import AuditEvent
from members.forms import add_domain_error
from posts import permissions as post_permissions
from posts import services as post_services
from posts.models import Attachment, Category, Channel, Comment, GuidelineTemplate, Incident, Post, Publication
from posts.publishing.services import retry_publication
from posts.selectors import posts_list

from . import permissions, selectors, services
from .comments import REMOVAL_REASONS, acknowledge_alert, moderate_comment
from .diff import word_diff
from .forms import (
    ApproveForm,
    AttachmentForm,
    ContentReportForm,
    DateRangeForm,
    InvestigationForm,
    PostForm,
    ReasonForm,
    RejectForm,
    RequestChangesForm,
    ResolveForm,
)
from .models import ContentReport, ThreatAlert
from .reports import (
    can_handle_reports,
    can_view_report,
    file_report,
    remove_reported_content,
    resolve_report,
    start_investigation,
)

S = Post.Status


def _post_or_404(request, pk) -> Post:
    post = (
        Post.objects.select_related("author", "incident__commander", "template", "request__requester", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if post is None or not post_permissions.can_view_post(request.user, post):
        raise Http404("No such post.")
    return post


def _form_kwargs(form: PostForm, template) -> dict:
    data = form.cleaned_data
    body = data["body"]
    values = form.template_values() if template else None
    if template is not None and not body.strip():
        try:
            body = template.render(values)
        except (KeyError, ValueError):
            body = ""
    return {
        "title": data["title"],
        "body": body,
        "category": data["category"],
        "channels": data["channels"],
        "scheduled_for": data["scheduled_for"],
        "translation_language": data["translation_language"],
        "translation_body": data["translation_body"],
        "template_values": values,
    }


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request, incident_pk=None):
    if not post_permissions.can_draft(request.user):
        messages.info(request, "Only authorized members post for the department (385.3). Send the team a request.")
        return redirect("posts:request_new")
    incident = get_object_or_404(Incident, pk=incident_pk, status=Incident.Status.ACTIVE) if incident_pk else None
    template = None
    if request.GET.get("template") or request.POST.get("template"):
        template = get_object_or_404(
            GuidelineTemplate, slug=request.GET.get("template") or request.POST.get("template"), is_active=True
        )
    initial = {}
    if template:
        initial = {"category": template.category, "title": template.name}
    if incident:
        initial = {"title": f"{incident.name} — update", "category": Category.REAL_TIME_SAFETY}
    form = PostForm(request.POST or None, template=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = _form_kwargs(form, template)
        try:
            post = post_services.create_post(actor=request.user, incident=incident, template=template, **kwargs)
            if request.POST.get("action") == "submit":
                services.submit_for_review(actor=request.user, post=post, ip=request.client_ip)
                messages.success(request, "Submitted for approval.")
            else:
                messages.success(request, "Draft saved.")
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("moderation:post_detail", pk=post.pk)
    return render(request, "moderation/post_form.html", {"form": form, "template": template, "incident": incident})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _post_or_404(request, pk)
    post_permissions.require_post_editor(request.user, post)
    template = post.template
    initial = {
        "title": post.title,
        "body": post.body,
        "category": post.category,
        "channels": list(post.channels.all()),
        "scheduled_for": post.scheduled_for,
        "translation_language": post.translation_language,
        "translation_body": post.translation_body,
        "version": post.version,
        **{f"tpl_{k}": v for k, v in (post.template_values or {}).items()},
    }
    form = PostForm(request.POST or None, template=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = _form_kwargs(form, template)
        if template is not None:
            # Wording left as the guideline rendered it follows the new field values.
            try:
                previous = template.render(post.template_values)
            except (KeyError, ValueError):
                previous = None
            if previous is not None and " ".join(kwargs["body"].split()) == " ".join(previous.split()):
                kwargs["body"] = template.render(kwargs["template_values"])
        try:
            post = post_services.update_post(
                actor=request.user, post=post, expected_version=form.cleaned_data["version"] or 0, **kwargs
            )
            if request.POST.get("action") == "submit" and post.status in {S.DRAFT, S.CHANGES_REQUESTED}:
                services.submit_for_review(actor=request.user, post=post, ip=request.client_ip)
                messages.success(request, "Submitted for approval.")
            elif post.status == S.IN_REVIEW:
                messages.success(request, "Saved. The post is (back) in review.")
            else:
                messages.success(request, "Saved.")
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("moderation:post_detail", pk=post.pk)
    return render(
        request,
        "moderation/post_form.html",
        {"form": form, "post": post, "template": template, "incident": post.incident},
    )


@login_required
def post_detail(request, pk):
    post = _post_or_404(request, pk)
    data = selectors.review_page_data(post, request.user)
    user = request.user
    path = services.approval_path(post) if post.status in {S.DRAFT, S.CHANGES_REQUESTED, S.IN_REVIEW} else None
    can_publish_now = False
    if post.status in {S.APPROVED, S.SCHEDULED}:
        can_publish_now = not post_services.posting_refusals(user, post, ip=request.client_ip)
    elif post.status == S.DRAFT and path and path.conforms and user.pk == post.author_id:
        can_publish_now = not post_services.posting_refusals(user, post, ip=request.client_ip)
    context = {
        "post": post,
        "path": path,
        "attachments": list(post.attachments.select_related("media_permission")),
        "can_edit": post_permissions.can_edit_post(user, post),
        "can_submit": post.status in {S.DRAFT, S.CHANGES_REQUESTED} and post_permissions.can_edit_post(user, post),
        "can_withdraw": post_permissions.can_withdraw_post(user, post),
        "can_publish_now": can_publish_now,
        "can_remove": post.status == S.PUBLISHED and post_permissions.can_remove_from_public_view(user),
        "can_decide": permissions.can_decide(user, post),
        "attachment_form": AttachmentForm() if post_permissions.can_edit_post(user, post) else None,
        "publications": list(post.publications.select_related("channel").order_by("channel__name", "-post_version")),
        "can_retry": post_permissions.can_manage_channels(user) or user.pk == post.author_id,
        **data,
    }
    return render(request, "moderation/post_detail.html", context)


def _act(request, post, action, success: str):
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("moderation:post_detail", pk=post.pk)


@login_required
@require_POST
def post_submit(request, pk):
    post = _post_or_404(request, pk)
    return _act(
        request,
        post,
        lambda: services.submit_for_review(actor=request.user, post=post, ip=request.client_ip),
        "Submitted for approval.",
    )


@login_required
@require_POST
def post_publish(request, pk):
    post = _post_or_404(request, pk)
    if post.status == S.DRAFT:
        action = lambda: services.publish_conforming_post(actor=request.user, post=post, ip=request.client_ip)  # noqa: E731
    else:
        action = lambda: post_services.publish_post(actor=request.user, post=post, ip=request.client_ip)  # noqa: E731
    return _act(request, post, action, "Published.")


@login_required
@require_POST
def post_withdraw(request, pk):
    post = _post_or_404(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    return _act(
        request,
        post,
        lambda: post_services.withdraw_post(actor=request.user, post=post, reason=form.cleaned_data.get("reason", "")),
        "Withdrawn.",
    )


@login_required
@require_POST
def post_remove(request, pk):
    post = _post_or_404(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    return _act(
        request,
        post,
        lambda: post_services.remove_from_public_view(
            actor=request.user, post=post, reason=form.cleaned_data.get("reason", "")
        ),
        "Removed from public view.",
    )


@login_required
@require_POST
def attachment_add(request, pk):
    post = _post_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            post_services.add_attachment(
                actor=request.user,
                post=post,
                uploaded=data["file"],
                alt_text=data["alt_text"],
                shows_department_activity=data["shows_department_activity"],
                media_permission=data["media_permission"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Attachment added.")
            return redirect("moderation:post_detail", pk=post.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else "Attachment"
        for error in errors:
            messages.error(request, f"{label}: {error}")
    return redirect("moderation:post_detail", pk=post.pk)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    post = _post_or_404(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, post=post)
    return _act(
        request,
        post,
        lambda: post_services.remove_attachment(actor=request.user, attachment=attachment),
        "Attachment removed.",
    )


# Review ----------------------------------------------------------------------------------------------------


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
    post = _post_or_404(request, pk)
    user = request.user
    approve_form, changes_form, reject_form = ApproveForm(), RequestChangesForm(), RejectForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve_form = ApproveForm(request.POST)
                approve_form.is_valid()
                services.approve_post(
                    actor=user,
                    post=post,
                    note=approve_form.cleaned_data.get("note", ""),
                    acknowledge=request.POST.getlist("acknowledge"),
                )
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


@login_required
def my_posts(request):

    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    if not post_permissions.can_view_all_posts(request.user) and not post_permissions.can_draft(request.user):
        return redirect("posts:request_list")
    everyone = post_permissions.can_view_all_posts(request.user) and request.GET.get("mine") != "1"
    posts = posts_list(user=request.user, mine=not everyone, status=status, search=request.GET.get("q", "")[:100])
    page = Paginator(posts, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/post_list.html",
        {"page": page, "status": status, "statuses": S.choices, "everyone": everyone, "q": request.GET.get("q", "")},
    )


# Monitoring public comments (385.5.1) -------------------------------------------------------------------------


@login_required
def monitoring_queue(request):


    permissions.require_monitor(request.user)
    state = request.GET.get("state", "pending")
    comments = (
        Comment.objects.select_related("channel", "post", "screening")
        .order_by("-screening__escalated", "-screening__threat_score", "-screening__severity_rank", "created_at", "pk")
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
    return render(request, "moderation/monitoring_queue.html", {
        "page": page, "state": state, "states": Comment.Status.choices, "reasons": REMOVAL_REASONS.items(),
        "channels": Channel.objects.order_by("name"), "channel": channel, "severity": severity, "dates": dates,
        "severities": [("1", "Any finding"), ("2", "Needs attention or worse"), ("3", "Blocking (threats)")],
    })


@login_required
@require_POST
def comment_action(request, pk):


    comment = get_object_or_404(Comment, pk=pk)
    try:
        moderate_comment(actor=request.user, comment=comment, action=request.POST.get("action", ""),
                         reason=request.POST.get("reason", ""), note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Comment #{comment.pk}: {request.POST.get('action')} done.")
    return redirect(request.POST.get("next") if url_has_allowed_host_and_scheme(
        request.POST.get("next"), allowed_hosts={request.get_host()}) else "moderation:monitoring")


@login_required
@require_POST
def publication_retry(request, pk, publication_pk):

    post = _post_or_404(request, pk)
    publication = get_object_or_404(Publication, pk=publication_pk, post=post)
    return _act(request, post, lambda: retry_publication(actor=request.user, publication=publication),
                f"Publishing to {publication.channel.name} again.")


@login_required
def comment_detail(request, pk):
    """One comment with its thread (the post and the comments around it) and its screening."""


    permissions.require_monitor(request.user)
    comment = get_object_or_404(Comment.objects.select_related("channel", "post", "screening", "removed_by"), pk=pk)
    thread = []
    if comment.post_id:
        thread = list(Comment.objects.filter(post_id=comment.post_id).order_by("created_at", "pk")[:200])

    alert = ThreatAlert.objects.filter(comment=comment).select_related("acknowledged_by").first()
    return render(request, "moderation/comment_detail.html", {
        "comment": comment, "thread": thread, "reasons": REMOVAL_REASONS.items(), "alert": alert,
    })


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


@login_required
def report_list(request):

    handler = can_handle_reports(request.user)
    reports = ContentReport.objects.select_related("reporter", "post", "comment").order_by("-created_at")
    if not handler:
        reports = reports.filter(reporter=request.user)
    status = request.GET.get("status", "")
    if status in ContentReport.Status.values:
        reports = reports.filter(status=status)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(request, "moderation/report_list.html", {
        "page": page, "handler": handler, "status": status, "statuses": ContentReport.Status.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):

    form = ContentReportForm(request.POST or None, initial={"post": request.GET.get("post")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = file_report(actor=request.user, section=data["section"], description=data["description"],
                                 post=data["post"], link=data["link"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Reported to the supervisors (385.5). Thank you.")
            return redirect("moderation:report_detail", pk=report.pk)
    return render(request, "moderation/report_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):

    report = get_object_or_404(ContentReport.objects.select_related("reporter", "post", "comment"), pk=pk)
    if not can_view_report(request.user, report):
        raise Http404("No such report.")
    remove_form = ReasonForm()
    investigation_form = InvestigationForm(initial={"how_posted": report.how_posted, "posted_by": report.posted_by,
                                                    "control_failed": report.control_failed})
    resolve_form = ResolveForm()
    if request.method == "POST":
        permissions.require_report_handler(request.user)
        action = request.POST.get("action")
        forms_by_action = {"remove": ReasonForm, "investigate": InvestigationForm, "resolve": ResolveForm}
        if action not in forms_by_action:
            raise Http404("Unknown action.")
        form = forms_by_action[action](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "remove":
                    remove_reported_content(actor=request.user, report=report, reason=data["reason"])
                elif action == "investigate":
                    start_investigation(actor=request.user, report=report, **data)
                else:
                    resolve_report(actor=request.user, report=report, resolution=data["resolution"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, {"remove": "Removed from public view.", "investigate": "Investigation "
                                           "recorded.", "resolve": "Report resolved."}[action])
                return redirect("moderation:report_detail", pk=report.pk)
        remove_form, investigation_form, resolve_form = (
            form if action == "remove" else remove_form,
            form if action == "investigate" else investigation_form,
            form if action == "resolve" else resolve_form,
        )

    trail = AuditEvent.objects.filter(object_type="moderation.contentreport", object_id=str(report.pk)).order_by("seq")
    return render(request, "moderation/report_detail.html", {
        "report": report, "handler": can_handle_reports(request.user), "remove_form": remove_form,
        "investigation_form": investigation_form, "resolve_form": resolve_form, "trail": trail,
    })


def comment_page(request, pk):
    """GET: the comment with its thread; POST: act on it."""
    return comment_action(request, pk) if request.method == "POST" else comment_detail(request, pk)

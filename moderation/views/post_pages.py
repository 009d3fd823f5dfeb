"""A post's pages: drafting (posts.services), submitting and publishing under the review rules
(moderation.services), attachments and publication retries. The form is posts.forms.PostForm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from members.forms import add_domain_error
from posts import permissions as post_permissions
from posts import services as post_services
from posts import workflow
from posts.forms import AttachmentForm, PostForm
from posts.models import Attachment, Category, GuidelineTemplate, Incident, Post, Publication
from posts.previews import previews_for_form
from posts.publishing.services import retry_publication
from posts.selectors import posts_list

from .. import permissions, selectors, services
from ..forms import ReasonForm

S = Post.Status


def post_or_404(request, pk) -> Post:
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
    return render(
        request,
        "moderation/post_form.html",
        {"form": form, "template": template, "incident": incident, "previews": previews_for_form(form)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = post_or_404(request, pk)
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
            if request.POST.get("action") == "submit" and workflow.allows(post, "submit"):
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
        {
            "form": form,
            "post": post,
            "template": template,
            "incident": post.incident,
            "previews": previews_for_form(form, post),
        },
    )


@login_required
def post_detail(request, pk):
    post = post_or_404(request, pk)
    data = selectors.review_page_data(post, request.user)
    user = request.user
    open_to_review = workflow.allows(post, "submit") or workflow.awaiting_decision(post)
    path = services.approval_path(post) if open_to_review else None
    can_publish_now = False
    if workflow.allows(post, "publish"):
        can_publish_now = not post_services.posting_refusals(user, post, ip=request.client_ip)
    elif workflow.allows(post, "approve_by_guideline") and path and path.conforms and user.pk == post.author_id:
        can_publish_now = not post_services.posting_refusals(user, post, ip=request.client_ip)
    context = {
        "post": post,
        "path": path,
        "attachments": list(post.attachments.select_related("media_permission")),
        "can_edit": post_permissions.can_edit_post(user, post),
        "can_submit": workflow.allows(post, "submit") and post_permissions.can_edit_post(user, post),
        "can_withdraw": post_permissions.can_withdraw_post(user, post),
        "can_publish_now": can_publish_now,
        "can_remove": workflow.allows(post, "remove_from_public_view")
        and post_permissions.can_remove_from_public_view(user),
        "can_decide": permissions.can_decide(user, post),
        "attachment_form": AttachmentForm() if post_permissions.can_edit_post(user, post) else None,
        "publications": list(post.publications.select_related("channel").order_by("channel__name", "-post_version")),
        "can_retry": post_permissions.can_manage_channels(user) or user.pk == post.author_id,
        **data,
    }
    return render(request, "moderation/post_detail.html", context)


def act_on_post(request, post, action, success: str):
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
    post = post_or_404(request, pk)
    return act_on_post(
        request,
        post,
        lambda: services.submit_for_review(actor=request.user, post=post, ip=request.client_ip),
        "Submitted for approval.",
    )


@login_required
@require_POST
def post_publish(request, pk):
    post = post_or_404(request, pk)
    if workflow.allows(post, "approve_by_guideline"):
        publish = services.publish_conforming_post
    else:
        publish = post_services.publish_post
    try:
        sent = publish(actor=request.user, post=post, ip=request.client_ip)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if sent.status == Post.Status.PUBLISHED:
            messages.success(request, "Published.")
        else:
            messages.error(
                request,
                "Not sent: it no longer passes the checks made at the moment of sending, and is back in review. "
                + " ".join(f"{r['message']} ({r['section']})" for r in sent.held_reasons),
            )
    return redirect("moderation:post_detail", pk=post.pk)


@login_required
@require_POST
def post_withdraw(request, pk):
    post = post_or_404(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    return act_on_post(
        request,
        post,
        lambda: post_services.withdraw_post(actor=request.user, post=post, reason=form.cleaned_data.get("reason", "")),
        "Withdrawn.",
    )


@login_required
@require_POST
def post_remove(request, pk):
    post = post_or_404(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    return act_on_post(
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
    post = post_or_404(request, pk)
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
                captions=data.get("captions"),
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
    post = post_or_404(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, post=post)
    return act_on_post(
        request,
        post,
        lambda: post_services.remove_attachment(actor=request.user, attachment=attachment),
        "Attachment removed.",
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


@login_required
@require_POST
def publication_retry(request, pk, publication_pk):

    post = post_or_404(request, pk)
    publication = get_object_or_404(Publication, pk=publication_pk, post=post)
    return act_on_post(
        request,
        post,
        lambda: retry_publication(actor=request.user, publication=publication),
        f"Publishing to {publication.channel.name} again.",
    )

"""Channels, guidelines, incidents, post requests and media permissions: thin views over services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from members.forms import add_domain_error

from . import desk_views, permissions, selectors, services
from .forms import (
    BackupApproverForm,
    ChannelForm,
    ConvertRequestForm,
    DeclineRequestForm,
    GuidelineTemplateForm,
    IncidentForm,
    MediaPermissionForm,
    PostingSettingsForm,
    PostRequestForm,
    ReopenIncidentForm,
    TransferCommandForm,
)
from .models import (
    Channel,
    GuidelineTemplate,
    Incident,
    ManualPostingTodo,
    MediaPermission,
    PostingSettings,
    PostRequest,
    Publication,
    RemovalTodo,
)
from .publishing import renewal
from .publishing.base import capabilities_of
from .publishing.services import confirm_manual_posting, confirm_manual_removal


def _save_or_error(form, call):
    try:
        return call()
    except DomainError as error:
        add_domain_error(form, error)
        return None


# Channels --------------------------------------------------------------------------------------------------


@login_required
def channel_list(request):
    return render(
        request,
        "posts/channel_list.html",
        {
            "channels": Channel.objects.order_by("name"),
            "can_manage": permissions.can_manage_channels(request.user),
        },
    )


@login_required
def channel_detail(request, slug):

    channel = get_object_or_404(Channel, slug=slug)
    return render(
        request,
        "posts/channel_detail.html",
        {
            "channel": channel,
            "missing": channel.missing_disclaimers(),
            "capabilities": sorted(c.replace("_", " ") for c in capabilities_of(channel.kind)),
            "can_manage": permissions.can_manage_channels(request.user),
            "credentials_warning": renewal.warning_for(channel),
            "account_flags": desk_views.channel_flags(channel),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, slug=None):
    permissions.require_channel_manager(request.user)
    channel = get_object_or_404(Channel, slug=slug) if slug else None
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.CHANNEL_FIELDS}
        saved = _save_or_error(form, lambda: services.save_channel(actor=request.user, channel=channel, **fields))
        if saved:
            messages.success(request, "Channel saved.")
            return redirect("posts:channel_detail", slug=saved.slug)
    return render(request, "posts/channel_form.html", {"form": form, "channel": channel})


@login_required
@require_http_methods(["GET", "POST"])
def removal_todos(request):
    """What platforms without an API leave to a person: approved posts to post by hand, and posts removed from
    public view (385.5) to take down by hand."""

    permissions.require_remover(request.user, "confirms a removal")
    if request.method == "POST" and request.POST.get("posting"):
        posting = get_object_or_404(ManualPostingTodo, pk=request.POST.get("posting"))
        try:
            confirm_manual_posting(actor=request.user, todo=posting, url=request.POST.get("url", ""))
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Posted by hand on {posting.publication.channel.name}: confirmed.")
        return redirect("posts:removal_todos")
    if request.method == "POST" and request.POST.get("comment_action"):
        return desk_views.comment_todo_post(request)
    if request.method == "POST":
        todo = get_object_or_404(RemovalTodo, pk=request.POST.get("todo"))
        try:
            confirm_manual_removal(actor=request.user, todo=todo)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Removal confirmed.")
        return redirect("posts:removal_todos")
    todos = RemovalTodo.objects.filter(confirmed_at__isnull=True).select_related(
        "publication__post", "publication__channel"
    )
    postings = ManualPostingTodo.objects.filter(
        confirmed_at__isnull=True, publication__status=Publication.Status.AWAITING_HAND
    ).select_related("publication__post", "publication__channel")
    return render(
        request,
        "posts/removal_todos.html",
        {"todos": todos, "postings": postings, "comment_todos": desk_views.comment_todos()},
    )


# Guidelines ------------------------------------------------------------------------------------------------


@login_required
def guideline_list(request):
    return render(
        request,
        "posts/guideline_list.html",
        {
            "templates": GuidelineTemplate.objects.order_by("-is_active", "name"),
            "settings": PostingSettings.load(),
            "can_manage": permissions.can_manage_guidelines(request.user),
            "can_draft": permissions.can_draft(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def guideline_edit(request, slug=None):
    permissions.require_guideline_keeper(request.user)
    template = get_object_or_404(GuidelineTemplate, slug=slug) if slug else None
    initial = {}
    if template:
        import json

        initial = {
            "name": template.name,
            "category": template.category,
            "body": template.body,
            "fields_json": json.dumps(template.fields, indent=1) if template.fields else "",
            "guidance": template.guidance,
            "is_active": template.is_active,
        }
    form = GuidelineTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _save_or_error(
            form,
            lambda: services.save_guideline_template(
                actor=request.user,
                template=template,
                name=data["name"],
                category=data["category"],
                body=data["body"],
                fields=data["fields_json"],
                guidance=data["guidance"],
                is_active=data["is_active"],
            ),
        )
        if saved:
            messages.success(request, "Guideline saved (385.3).")
            return redirect("posts:guideline_list")
    return render(request, "posts/guideline_form.html", {"form": form, "template": template})


@login_required
@require_http_methods(["GET", "POST"])
def posting_settings(request):
    permissions.require_posting_settings_keeper(request.user)
    form = PostingSettingsForm(
        request.POST or None, initial={"require_approval_for_all": PostingSettings.load().require_approval_for_all}
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_error(
            form,
            lambda: services.set_posting_settings(
                actor=request.user, require_approval_for_all=form.cleaned_data["require_approval_for_all"]
            ),
        ):
            messages.success(request, "Posting settings saved.")
            return redirect("posts:guideline_list")
    return render(request, "posts/settings_form.html", {"form": form})


# Incidents -------------------------------------------------------------------------------------------------


@login_required
def incident_list(request):
    incidents = Incident.objects.select_related("commander", "social_media_officer").order_by("-opened_at")
    page = Paginator(incidents, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "posts/incident_list.html",
        {
            "page": page,
            "can_manage": permissions.can_manage_incidents(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    permissions.require_incident_manager(request.user)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident = _save_or_error(form, lambda: services.open_incident(actor=request.user, **form.cleaned_data))
        if incident:
            messages.success(request, "Incident opened.")
            return redirect("posts:incident_detail", pk=incident.pk)
    return render(request, "posts/incident_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def incident_detail(request, pk):
    incident = get_object_or_404(
        Incident.objects.select_related("commander", "social_media_officer__profile", "backup_approver"),
        pk=pk,
    )
    transfer_form = TransferCommandForm()
    backup_form = BackupApproverForm(initial={"backup_approver": incident.backup_approver_id})
    reopen_form = ReopenIncidentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        forms_by_action = {"transfer": TransferCommandForm, "backup": BackupApproverForm, "reopen": ReopenIncidentForm}
        if action not in forms_by_action:
            raise Http404("Unknown action.")
        form = forms_by_action[action](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            calls = {
                "transfer": lambda: services.transfer_command(
                    actor=request.user, incident=incident, commander=data["commander"], reason=data["reason"]
                ),
                "backup": lambda: services.name_backup_approver(
                    actor=request.user, incident=incident, backup=data["backup_approver"], reason=data["reason"]
                ),
                "reopen": lambda: services.reopen_incident(
                    actor=request.user, incident=incident, reason=data["reason"]
                ),
            }
            if _save_or_error(form, calls[action]):
                done = {"transfer": "Command handed over.", "backup": "Backup approver saved.", "reopen": "Reopened."}
                messages.success(request, f"{done[action]} (385.4.1)")
                return redirect("posts:incident_detail", pk=incident.pk)
        transfer_form = form if action == "transfer" else transfer_form
        backup_form = form if action == "backup" else backup_form
        reopen_form = form if action == "reopen" else reopen_form
    updates = selectors.incident_updates(incident, viewer=request.user)
    rows = []
    for post in updates:
        waited = None
        if post.submitted_at:
            end = post.approved_at or timezone.now()
            waited = int((end - post.submitted_at).total_seconds())
        opens = permissions.can_view_post(request.user, post)
        rows.append({"post": post, "seconds": waited, "pending": post.approved_at is None, "opens": opens})
    return render(
        request,
        "posts/incident_detail.html",
        {
            "incident": incident,
            "rows": rows,
            "can_add": incident.status == Incident.Status.ACTIVE and permissions.can_draft(request.user),
            "can_close": incident.status == Incident.Status.ACTIVE
            and (permissions.can_manage_incidents(request.user) or request.user.pk == incident.commander_id),
            "can_reopen": incident.status == Incident.Status.CLOSED
            and (permissions.can_manage_incidents(request.user) or request.user.pk == incident.commander_id),
            "can_hand_over": incident.status == Incident.Status.ACTIVE
            and permissions.can_hand_over_command(request.user, incident),
            "transfer_form": transfer_form,
            "backup_form": backup_form,
            "reopen_form": reopen_form,
        },
    )


@login_required
@require_POST
def incident_close(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    try:
        services.close_incident(actor=request.user, incident=incident)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Incident closed.")
    return redirect("posts:incident_detail", pk=incident.pk)


# Post requests (385.3) -------------------------------------------------------------------------------------


@login_required
def request_list(request):
    handler = permissions.can_handle_post_requests(request.user)
    mine = PostRequest.objects.filter(requester=request.user).select_related("handled_by", "post")
    return render(
        request,
        "posts/request_list.html",
        {
            "mine": mine.order_by("-created_at")[:50],
            "open_requests": list(selectors.open_post_requests()[:100]) if handler else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    form = PostRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = [data["attachment"]] if data.get("attachment") else []
        created = _save_or_error(
            form,
            lambda: services.create_post_request(
                actor=request.user, text=data["text"], reason=data["reason"], files=files
            ),
        )
        if created:
            messages.success(request, "Sent to the social media team (385.3).")
            return redirect("posts:request_detail", pk=created.pk)
    return render(request, "posts/request_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    post_request = get_object_or_404(PostRequest.objects.select_related("requester", "handled_by"), pk=pk)
    if not permissions.can_view_post_request(request.user, post_request):
        raise Http404("No such request.")
    handler = permissions.can_handle_post_requests(request.user) and post_request.status == PostRequest.Status.OPEN
    request_files = list(post_request.attachments.order_by("pk"))
    convert_form = ConvertRequestForm(
        initial={"body": post_request.text, "title": "Request: " + post_request.text[:60]}, attachments=request_files
    )
    decline_form = DeclineRequestForm()
    if request.method == "POST" and handler:
        if request.POST.get("action") == "convert":
            convert_form = ConvertRequestForm(request.POST, attachments=request_files)
            if convert_form.is_valid():
                data = {k: v for k, v in convert_form.cleaned_data.items() if not k.startswith("alt_text_")}
                post = _save_or_error(
                    convert_form,
                    lambda: services.convert_post_request(
                        actor=request.user, request=post_request, alt_texts=convert_form.alt_texts, **data
                    ),
                )
                if post:
                    messages.success(request, "Draft created from the request; the requester is credited.")
                    return redirect("moderation:post_detail", pk=post.pk)
        elif request.POST.get("action") == "decline":
            decline_form = DeclineRequestForm(request.POST)
            if decline_form.is_valid() and _save_or_error(
                decline_form,
                lambda: services.decline_post_request(
                    actor=request.user, request=post_request, reason=decline_form.cleaned_data["reason"]
                ),
            ):
                messages.success(request, "Declined; the requester was told why.")
                return redirect("posts:request_list")
    return render(
        request,
        "posts/request_detail.html",
        {
            "req": post_request,
            "handler": handler,
            "convert_form": convert_form,
            "decline_form": decline_form,
            "attachments": list(post_request.attachments.all()),
            "post": getattr(post_request, "post", None)
            if post_request.status == PostRequest.Status.CONVERTED
            else None,
        },
    )


# Media permissions (385.5.2(b)) ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def media_permissions(request):
    permissions.require_media_permission_recorder(request.user)
    form = MediaPermissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if _save_or_error(form, lambda: services.record_media_permission(actor=request.user, **form.cleaned_data)):
            messages.success(request, "Written permission recorded (385.5.2(b)).")
            return redirect("posts:media_permissions")
    return render(
        request,
        "posts/media_permissions.html",
        {
            "form": form,
            "permissions": MediaPermission.objects.select_related("recorded_by")[:100],
        },
    )

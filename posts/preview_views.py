"""The draft page's live previews (JSON, for the page's script) and the draft's image thumbnails they show."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from . import permissions, previews, renditions
from .models import Attachment, GuidelineTemplate, Post

MAX_TEXT = 100_000  # far beyond any platform's limit; a larger body is not worth counting


def _text_from(data, template: GuidelineTemplate | None) -> str:
    body = data.get("body", "")[:MAX_TEXT]
    if template is not None and not body.strip():
        values = {key[4:]: value for key, value in data.items() if key.startswith("tpl_")}
        try:
            body = template.render(values)
        except (KeyError, ValueError):
            body = ""
    return body


@login_required
@require_POST
def preview(request):
    """How the text being typed fits each chosen channel, counted here exactly as approval will count it."""
    if not permissions.can_draft(request.user):
        return JsonResponse({"error": "Only members who may draft posts see previews (385.3)."}, status=403)
    data = request.POST
    attachments = []
    post_id = data.get("post", "")
    if post_id:
        post = Post.objects.filter(pk=post_id).first() if post_id.isdigit() else None
        if post is None or not permissions.can_view_post(request.user, post):
            return JsonResponse({"error": "No such post."}, status=404)
        attachments = list(post.attachments.all())
    template = None
    if data.get("template"):
        template = GuidelineTemplate.objects.filter(slug=data["template"], is_active=True).first()
    found = previews.previews_for(
        channels=previews.chosen_channels(data.getlist("channels")),
        body=_text_from(data, template),
        translation_body=data.get("translation_body", "")[:MAX_TEXT],
        attachments=attachments,
    )
    context = {"previews": found, "preview_post_id": post_id}
    response = JsonResponse(
        {
            "previews": [p.as_json() for p in found],
            "fits": all(p.fits for p in found),
            "summary": previews.summary(found),
            "cards": render_to_string("posts/_preview_cards.html", context, request=request),
            "warning": render_to_string("posts/_preview_warning.html", context, request=request),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def attachment_thumbnail(request, pk: int, attachment_pk: int):
    """A small copy of a draft's image for its previews: drawn from the pixels only (no EXIF, no GPS), for those
    who may open the post."""
    post = get_object_or_404(Post, pk=pk)
    if not permissions.can_view_post(request.user, post):
        raise Http404("No such post.")
    attachment = get_object_or_404(Attachment, pk=attachment_pk, post=post, kind=Attachment.Kind.IMAGE)
    plan = renditions.plan(attachment)
    if not plan:
        raise Http404("This image cannot be shown.")
    name = renditions.ensure(attachment, plan[0])
    response = FileResponse(default_storage.open(name, "rb"), content_type=renditions.CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response

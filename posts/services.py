"""Every change to channels, posts, guidelines, incidents and post requests goes through these functions.

Each runs in one transaction, checks permission first, records history and an audit event, and leaves side
effects (notifications, publishing work) to run after commit. The review workflow (moderation) builds on
`transition()` and `publish_post()`.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime

import puremagic
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused, PolicyViolation
from core.history import full_clean, stamp
from core.notifications import notify
from core.policy import enforces
from members.models import Role

from . import permissions, renditions, workflow
from .models import (
    Attachment,
    Category,
    Channel,
    GuidelineTemplate,
    Incident,
    MediaPermission,
    Post,
    PostEditor,
    PostingSettings,
    PostRequest,
    PostRequestAttachment,
)
from .publishing import checks
from .publishing.base import publishable_kinds
from .publishing.services import release, remove_everywhere
from .selectors import post_request_handlers, users_with_roles
from .signals import post_content_changed, post_held, post_published, post_removed
from .video import video_seconds

S = Post.Status
SYSTEM = "system"  # the actor the audit trail names for what the scheduler does

# What an attachment may be, decided by its content (magic numbers), never by its name.
ALLOWED_MEDIA = {
    "image/jpeg": Attachment.Kind.IMAGE,
    "image/png": Attachment.Kind.IMAGE,
    "image/gif": Attachment.Kind.IMAGE,
    "image/webp": Attachment.Kind.IMAGE,
    "video/mp4": Attachment.Kind.VIDEO,
    "video/quicktime": Attachment.Kind.VIDEO,
    "video/webm": Attachment.Kind.VIDEO,
    "application/pdf": Attachment.Kind.DOCUMENT,
}
EXTENSION_FOR = {
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "video/mp4": {".mp4", ".m4v"},
    "video/quicktime": {".mov"},
    "video/webm": {".webm"},
    "application/pdf": {".pdf"},
}
TRANSLATION_LANGUAGES = {
    "es": "Spanish",
    "vi": "Vietnamese",
    "zh": "Chinese",
    "tl": "Tagalog",
    "ko": "Korean",
    "ar": "Arabic",
    "pa": "Punjabi",
    "hy": "Armenian",
}


class StaleEdit(InvalidInput):
    code = "stale"


# Helpers -------------------------------------------------------------------------------------------------


def _require(condition: bool, message: str, *, section: str | None = None):
    if not condition:
        raise PermissionRefused(message, section=section)


def _clean_text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _validate_channels(channels) -> list[Channel]:
    channels = list(channels or [])
    if not channels:
        raise InvalidInput("Choose at least one channel.", field="channels")
    inactive = [c.name for c in channels if not c.is_active]
    if inactive:
        raise InvalidInput(f"Channel not in use: {', '.join(inactive)}.", field="channels")
    return channels


def resolve_channels(slugs_or_ids: Iterable) -> list[Channel]:
    """For API and command callers: unknown channels are named in the error."""
    wanted = [str(v) for v in slugs_or_ids]
    found = {str(c.slug): c for c in Channel.objects.filter(slug__in=wanted)}
    found.update({str(c.pk): c for c in Channel.objects.filter(pk__in=[v for v in wanted if v.isdigit()])})
    unknown = [v for v in wanted if v not in found]
    if unknown:
        raise InvalidInput(f"Unknown channel: {', '.join(unknown)}.", field="channels")
    return [found[v] for v in wanted]


@enforces(
    "385.4", "385.4(a)", "385.4(b)", "385.4(c)", "385.4(d)", "385.4(e)", "385.4(f)", "385.4(g)", "385.4(h)", "385.4(i)"
)
def _validate_content(*, title, body, category, scheduled_for, translation_language, translation_body):
    title, body, translation_body = _clean_text(title), _clean_text(body), _clean_text(translation_body)
    if not title:
        raise InvalidInput("Give the post a headline: it is the title the public sees.", field="title")
    if not body:
        raise InvalidInput("The body is empty: write what should be posted.", field="body")
    if category not in Category.values:
        raise InvalidInput("Choose a category from 385.4 (a)–(i).", field="category")
    if scheduled_for is not None and scheduled_for <= timezone.now():
        raise InvalidInput("The scheduled time is in the past.", field="scheduled_for")
    translation_language = (translation_language or "").strip()
    if translation_body and translation_language not in TRANSLATION_LANGUAGES:
        raise InvalidInput("Choose the language of the translation.", field="translation_language")
    if translation_language and not translation_body:
        raise InvalidInput("Write the translation, or clear its language.", field="translation_body")
    return title, body, translation_language if translation_body else "", translation_body


def _validate_template_values(template: GuidelineTemplate, values: dict) -> dict:
    clean = {}
    for spec in template.field_specs():
        value = " ".join(str(values.get(spec["name"], "")).split())
        if not value:
            raise InvalidInput(f"Fill in “{spec['label']}”.", field=f"tpl_{spec['name']}")
        if len(value) > spec["max_length"]:
            raise InvalidInput(
                f"“{spec['label']}” is longer than the guideline allows ({spec['max_length']} characters).",
                field=f"tpl_{spec['name']}",
            )
        clean[spec["name"]] = value
    return clean


def _note_editor(post: Post, actor):
    PostEditor.objects.update_or_create(post=post, user=actor, defaults={"last_edited_at": timezone.now()})


def transition(post: Post, name: str, *, actor, reason: str = "", details: dict | None = None, **fields) -> Post:
    """Move a post (locked) along the transition `name` of `workflow.TRANSITIONS`, setting `fields`; audited.
    Callers are atomic."""
    step = workflow.get(name)
    verb, to = step.verb, S(step.target)
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.status not in step.sources:
        raise InvalidTransition(
            f"This post is {locked.get_status_display().lower()}; it cannot be {verb.split('.')[-1].replace('_', ' ')} "
            "from that state.",
            field="status",
        )
    previous = locked.status
    locked.status = to
    for field_name, value in fields.items():
        setattr(locked, field_name, value)
    locked.updated_at = timezone.now()
    stamp(locked, actor, reason or verb).save()
    record_event(
        actor,
        verb,
        locked,
        details={"from": previous, "to": to, **({"reason": reason} if reason else {}), **(details or {})},
    )
    post.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# Posts ---------------------------------------------------------------------------------------------------


@transaction.atomic
def create_post(
    *,
    actor,
    title: str,
    body: str,
    category: str,
    channels,
    incident: Incident | None = None,
    scheduled_for: datetime | None = None,
    translation_language: str = "",
    translation_body: str = "",
    template: GuidelineTemplate | None = None,
    template_values: dict | None = None,
    request: PostRequest | None = None,
) -> Post:
    _require(
        permissions.can_draft(actor),
        "Only the social media team and authorized members draft posts; others send a post request.",
        section="385.3",
    )
    title, body, translation_language, translation_body = _validate_content(
        title=title,
        body=body,
        category=category,
        scheduled_for=scheduled_for,
        translation_language=translation_language,
        translation_body=translation_body,
    )
    channels = _validate_channels(channels)
    values = {}
    if template is not None:
        if not template.is_active:
            raise InvalidInput("That guideline template is no longer in use.", field="template")
        values = _validate_template_values(template, template_values or {})
    update_number = None
    if incident is not None:
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.status != Incident.Status.ACTIVE:
            raise InvalidInput(
                "That incident is closed; updates can only be added to active incidents.", field="incident"
            )
        update_number = (incident.updates.aggregate(n=Max("update_number"))["n"] or 0) + 1
    post = Post(
        title=title,
        body=body,
        category=category,
        author=actor,
        incident=incident,
        update_number=update_number,
        scheduled_for=scheduled_for,
        translation_language=translation_language,
        translation_body=translation_body,
        template=template,
        template_values=values,
        request=request,
    )
    full_clean(post, exclude=["channels"])
    stamp(post, actor, "Draft created").save()
    post.channels.set(channels)
    _note_editor(post, actor)
    record_event(
        actor,
        "post.created",
        post,
        details={
            "channels": sorted(c.slug for c in channels),
            "category": category,
            "incident": incident and incident.pk,
        },
    )
    return post


@transaction.atomic
def update_post(
    *,
    actor,
    post: Post,
    expected_version: int,
    title: str,
    body: str,
    category: str,
    channels,
    scheduled_for: datetime | None = None,
    translation_language: str = "",
    translation_body: str = "",
    template_values: dict | None = None,
) -> Post:
    """Edit a post. Editing one in review, approved or scheduled sends it back to review (moderation listens)."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    _require(permissions.can_edit_post(actor, locked), "You may not edit this post.")
    if locked.version != expected_version:
        raise StaleEdit(
            f"Someone else changed this post since you opened it (it is now version {locked.version}, you opened "
            f"version {expected_version}). Your changes were not saved: reload the post to see theirs.",
        )
    title, body, translation_language, translation_body = _validate_content(
        title=title,
        body=body,
        category=category,
        scheduled_for=scheduled_for,
        translation_language=translation_language,
        translation_body=translation_body,
    )
    channels = _validate_channels(channels)
    if locked.template_id and template_values is not None:
        locked.template_values = _validate_template_values(locked.template, template_values)
    previous_status = locked.status
    locked.title, locked.body, locked.category = title, body, category
    locked.scheduled_for = scheduled_for
    locked.translation_language, locked.translation_body = translation_language, translation_body
    locked.version += 1
    locked.updated_at = timezone.now()
    full_clean(locked, exclude=["channels"])
    stamp(locked, actor, f"Edited (version {locked.version})").save()
    locked.channels.set(channels)
    _note_editor(locked, actor)
    record_event(actor, "post.edited", locked, details={"version": locked.version, "status": previous_status})
    post_content_changed.send(sender=Post, post=locked, actor=actor, previous_status=previous_status)
    return locked


@transaction.atomic
def withdraw_post(*, actor, post: Post, reason: str) -> Post:
    _require(permissions.can_withdraw_post(actor, post), "Only the author or the Social Media Officer may withdraw it.")
    reason = _clean_text(reason)
    if not reason:
        raise InvalidInput("Say why the post is withdrawn.", field="reason")
    previous = post.status
    post = transition(
        post,
        "withdraw",
        actor=actor,
        reason=reason,
        closed_by=actor,
        closed_at=timezone.now(),
        closed_reason=reason,
    )
    post_content_changed.send(sender=Post, post=post, actor=actor, previous_status=previous)
    return post


def posting_refusals(actor, post: Post, *, ip: str | None = None) -> list:
    """Why `actor` may not publish `post` to each of its channels (385.3, 385.8), if anything."""
    return checks.standing_refusals(actor, post.channels.all(), ip=ip)


def refusal_for(reasons) -> PolicyViolation:
    """One refusal that gives every reason with its own section: "Not authorized ... (385.3) Current training does
    not cover: privacy. (385.8)". The error's section is the last reason's, which its text ends with."""
    text = " ".join([*(f"{r.message} ({r.section})" for r in reasons[:-1]), reasons[-1].message])
    return PolicyViolation(reasons[-1].section, text, code=reasons[0].code)


@enforces("385.5(g)")
@transaction.atomic
def publish_post(*, actor, post: Post, ip: str | None = None, triggered_by=None, scheduled: bool = False) -> Post:
    """Publish an approved or scheduled post now, as `actor`, who must be authorized for every channel.
    `triggered_by`: who caused it when that is someone else (an Incident Commander's approval).

    Right before it goes out its content and approval are checked again (`checks.send_refusals`: screening with
    today's registry and rules, the approver's standing). A post that no longer passes is not published: it is
    returned to review with the reasons (`held_reasons`), and comes back in that state; callers look at its status.
    `scheduled`: the sweeper sends it at its time under its author's name, so an author who has lost their
    authorization or training holds it the same way instead of refusing (385.3, 385.8)."""
    locked = Post.objects.select_for_update(of=("self",)).select_related("author", "approved_by").get(pk=post.pk)
    if not workflow.allows(locked, "publish"):
        raise InvalidTransition(
            f"This post is {locked.get_status_display().lower()}; only an approved or scheduled post is published.",
            field="status",
        )
    reasons = posting_refusals(actor, locked, ip=ip)
    if reasons and not scheduled:
        raise refusal_for(reasons)
    reasons = checks.about(actor, "its author", reasons) + checks.send_refusals(locked)
    if reasons:
        return _hold_at_send(post, reasons, actor=SYSTEM if scheduled else actor)
    post = transition(
        post,
        "publish",
        actor=actor,
        published_by=actor,
        published_at=timezone.now(),
        held_at=None,
        held_reasons=[],
        details={"triggered_by": triggered_by.get_username()} if triggered_by else None,
    )

    release(post)
    transaction.on_commit(lambda: post_published.send(sender=Post, post=post))
    return post


def _hold_at_send(post: Post, reasons, *, actor) -> Post:
    """Inside publish_post: the post does not go out. It returns to review (a new approval is needed) with the
    reasons shown on it and on the dashboards; its author, the Social Media Officer and the supervisors are told."""
    now = timezone.now()
    previous = post.status
    held = transition(
        post,
        "return_to_review",
        actor=actor,
        reason="Stopped at the moment of sending",
        details={"held_at_send": [{"section": r.section, "code": r.code} for r in reasons]},
        approved_by=None,
        approved_at=None,
        approval_path="",
        submitted_at=now,
        held_at=now,
        held_reasons=checks.as_data(reasons),
    )
    post_held.send(sender=Post, post=held, previous_status=previous)
    people = {u.pk: u for u in [held.author, *users_with_roles(Role.SMO, Role.SUPERVISOR)] if u.is_active}
    notify(
        list(people.values()),
        event="post.held_at_send",
        subject=f"Not sent: {held}",
        body=(
            f"{held} was not sent: it no longer passes the checks made at the moment of sending. It is back in "
            "review and needs a new approval.\n\n" + "\n".join(f"- {r.message} ({r.section})" for r in reasons)
        ),
        url=f"/posts/{held.pk}/",
    )
    return held


@transaction.atomic
def remove_from_public_view(*, actor, post: Post, reason: str) -> Post:
    """385.5: take published content down; it is kept, with who removed it and why."""
    permissions.require_remover(actor)
    reason = _clean_text(reason)
    if not reason:
        raise InvalidInput("Say why it is removed from public view.", field="reason")
    post = transition(
        post,
        "remove_from_public_view",
        actor=actor,
        reason=reason,
        closed_by=actor,
        closed_at=timezone.now(),
        closed_reason=reason,
    )

    remove_everywhere(post, reason=reason)
    transaction.on_commit(lambda: post_removed.send(sender=Post, post=post))
    return post


# Attachments ---------------------------------------------------------------------------------------------


def sniff(uploaded) -> tuple[str, str]:
    """(kind, content type) from the file's first bytes; refuses what the content does not support."""
    head = uploaded.read(8192)
    uploaded.seek(0)
    try:
        detected = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        detected = ""
    if detected == "image/jpg":
        detected = "image/jpeg"
    if detected not in ALLOWED_MEDIA:
        raise InvalidInput(
            f"“{uploaded.name}” is not an image (JPEG, PNG, GIF, WebP), video (MP4, MOV, WebM) or PDF by its content.",
            field="file",
        )
    suffix = ("." + uploaded.name.rsplit(".", 1)[-1].lower()) if "." in uploaded.name else ""
    if suffix not in EXTENSION_FOR[detected]:
        raise InvalidInput(
            f"“{uploaded.name}” is named like {suffix or 'no known type'} but its content is {detected}.",
            field="file",
        )
    return ALLOWED_MEDIA[detected], detected


def _check_size(uploaded):
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(f"“{uploaded.name}” is larger than the {limit} MB limit.", field="file")


CAPTIONS_MAX_BYTES = 512 * 1024


def _captions(uploaded, kind: str) -> bytes:
    """The captions file's bytes, once it is known to be WebVTT text for a video."""
    if kind != Attachment.Kind.VIDEO:
        raise InvalidInput("Captions go with a video; this file is not one.", field="captions")
    if uploaded.size > CAPTIONS_MAX_BYTES:
        raise InvalidInput("The captions file is larger than 512 KB.", field="captions")
    data = b"".join(uploaded.chunks())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The captions file must be UTF-8 text.", field="captions") from None
    if not text.lstrip().startswith("WEBVTT"):
        raise InvalidInput("The captions must be a WebVTT file (.vtt), which starts with WEBVTT.", field="captions")
    return data


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_attachment(
    *,
    actor,
    post: Post,
    uploaded,
    alt_text: str = "",
    shows_department_activity: bool = False,
    media_permission: MediaPermission | None = None,
    captions=None,
) -> Attachment:
    """Attach a file to a post; `captions`: a WebVTT file for a video (WCAG 2.1 1.2.2), shown as its captions
    track on the website and screened like the post's other texts."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    _require(permissions.can_edit_post(actor, locked), "You may not change this post.")
    _check_size(uploaded)
    kind, content_type = sniff(uploaded)
    alt_text = _clean_text(alt_text)
    if kind == Attachment.Kind.IMAGE and not alt_text:
        raise InvalidInput("Describe the image for people who cannot see it (alt text).", field="alt_text")
    captions_bytes = _captions(captions, kind) if captions is not None else None
    attachment = Attachment(
        post=locked,
        original_name=uploaded.name[:255],
        kind=kind,
        content_type=content_type,
        size=uploaded.size,
        sha256=_sha256(uploaded),
        duration_seconds=video_seconds(uploaded) if kind == Attachment.Kind.VIDEO else None,
        alt_text=alt_text,
        shows_department_activity=shows_department_activity,
        media_permission=media_permission,
        uploaded_by=actor,
    )
    attachment.file.save(uploaded.name, uploaded, save=False)
    if captions_bytes is not None:
        attachment.captions.save(f"{attachment.file.name.rsplit('/', 1)[-1].rsplit('.', 1)[0]}.vtt",
                                 ContentFile(captions_bytes), save=False)  # fmt: skip
    stamp(attachment, actor, "Attached").save()
    previous = locked.status
    locked.version += 1
    locked.updated_at = timezone.now()
    stamp(locked, actor, f"Attachment added (version {locked.version})").save()
    _note_editor(locked, actor)
    record_event(
        actor,
        "post.attachment_added",
        locked,
        details={"attachment": attachment.pk, "kind": kind, "sha256": attachment.sha256},
    )
    post_content_changed.send(sender=Post, post=locked, actor=actor, previous_status=previous)
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    locked = Post.objects.select_for_update().get(pk=attachment.post_id)
    _require(permissions.can_edit_post(actor, locked), "You may not change this post.")
    record_event(
        actor,
        "post.attachment_removed",
        locked,
        details={"attachment": attachment.pk, "name": attachment.original_name},
    )
    attachment_id = attachment.pk
    attachment.delete()
    transaction.on_commit(lambda: renditions.discard_renditions(attachment_id))
    previous = locked.status
    locked.version += 1
    locked.updated_at = timezone.now()
    stamp(locked, actor, f"Attachment removed (version {locked.version})").save()
    _note_editor(locked, actor)
    post_content_changed.send(sender=Post, post=locked, actor=actor, previous_status=previous)


@transaction.atomic
def record_media_permission(*, actor, description: str, granted_by_name: str, granted_on, document) -> MediaPermission:
    """385.5.2(b): express written permission for photos or videos of department activities."""
    permissions.require_media_permission_recorder(actor)
    description, granted_by_name = _clean_text(description), _clean_text(granted_by_name)
    if not description:
        raise InvalidInput("Say what the permission covers.", field="description")
    if not granted_by_name:
        raise InvalidInput("Say who granted the permission.", field="granted_by_name")
    if granted_on > timezone.localdate():
        raise InvalidInput("The permission cannot be dated in the future.", field="granted_on")
    if document is None:
        raise InvalidInput("Attach the written permission.", field="document")
    permission = MediaPermission(
        description=description, granted_by_name=granted_by_name, granted_on=granted_on, recorded_by=actor
    )
    permission.document.save(document.name, document, save=False)
    stamp(permission, actor, "Media permission recorded").save()
    record_event(actor, "media_permission.recorded", permission, details={"granted_by": granted_by_name})
    return permission


# Channels, guidelines, settings --------------------------------------------------------------------------

CHANNEL_FIELDS = (
    "comments_require_review",
    "api_base_url",
    "external_account_id",
    "name",
    "kind",
    "handle",
    "url",
    "is_active",
    "disclaimer_opinions",
    "disclaimer_moderation",
    "disclaimer_public_records",
)


@transaction.atomic
def save_channel(*, actor, channel: Channel | None = None, **fields) -> Channel:
    permissions.require_channel_manager(actor)
    unknown = set(fields) - set(CHANNEL_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown channel field: {', '.join(sorted(unknown))}.", field=None)
    creating = channel is None
    channel = channel or Channel(slug=slugify(fields.get("name", ""))[:60])
    before = {f: getattr(channel, f) for f in CHANNEL_FIELDS} if not creating else {}
    kind_before = before.get("kind")
    for name, value in fields.items():
        setattr(channel, name, value)
    if not channel.name.strip():
        raise InvalidInput("Name the channel.", field="name")
    if channel.kind != kind_before and channel.kind not in publishable_kinds():
        raise InvalidInput(
            f"socialgov cannot publish to {channel.get_kind_display()}: choose a type it publishes to, or "
            "“Posted by hand”, which gives the Social Media Officer the approved text to post and confirm.",
            field="kind",
        )
    full_clean(channel)
    stamp(channel, actor, "Channel created" if creating else "Channel changed").save()
    changed = {f: getattr(channel, f) for f in CHANNEL_FIELDS if before.get(f) != getattr(channel, f)}
    record_event(actor, "channel.created" if creating else "channel.changed", channel, details=changed)
    return channel


@transaction.atomic
def save_guideline_template(
    *,
    actor,
    template: GuidelineTemplate | None = None,
    name: str,
    category: str,
    body: str,
    fields: list,
    guidance: str = "",
    is_active: bool = True,
) -> GuidelineTemplate:
    permissions.require_guideline_keeper(actor)
    name, body = _clean_text(name), _clean_text(body)
    if not name:
        raise InvalidInput("Name the template.", field="name")
    if not body:
        raise InvalidInput("Write the template's fixed wording.", field="body")
    if category not in Category.values:
        raise InvalidInput("Choose a category from 385.4 (a)–(i).", field="category")
    creating = template is None
    template = template or GuidelineTemplate(slug=slugify(name)[:60], created_by=actor)
    template.name, template.category, template.body, template.fields = name, category, body, fields
    template.guidance, template.is_active, template.updated_at = _clean_text(guidance), is_active, timezone.now()
    try:
        template.render({p: "x" for p in template.placeholders()})
    except (ValueError, IndexError, KeyError) as exc:
        raise InvalidInput(f"The wording has a malformed {{field}}: {exc}.", field="body") from exc
    full_clean(template)
    stamp(template, actor, "Guideline created" if creating else "Guideline changed").save()
    record_event(
        actor,
        "guideline.created" if creating else "guideline.changed",
        template,
        details={"category": category, "active": is_active},
    )
    return template


@transaction.atomic
def set_posting_settings(*, actor, require_approval_for_all: bool) -> PostingSettings:
    permissions.require_posting_settings_keeper(actor)
    current = PostingSettings.load()
    current.require_approval_for_all = require_approval_for_all
    current.updated_by, current.updated_at = actor, timezone.now()
    stamp(current, actor, "Posting settings changed").save()
    record_event(
        actor, "posting_settings.changed", current, details={"require_approval_for_all": require_approval_for_all}
    )
    return current


# Incidents -----------------------------------------------------------------------------------------------


@transaction.atomic
def open_incident(*, actor, name: str, kind: str, location: str, commander, social_media_officer) -> Incident:
    permissions.require_incident_manager(actor)
    name = _clean_text(name)
    if not name:
        raise InvalidInput("Name the incident.", field="name")
    if kind not in Incident.Kind.values:
        raise InvalidInput("Choose the kind of incident.", field="kind")
    if commander is None or not commander.is_active:
        raise InvalidInput("Choose the Incident Commander.", field="commander")
    if social_media_officer is None or not social_media_officer.is_active:
        raise InvalidInput("Choose the Social Media Officer who compiles updates.", field="social_media_officer")
    if commander.pk == social_media_officer.pk:
        raise PolicyViolation(
            "385.4.1",
            "The Incident Commander approves what the Social Media Officer compiles: choose two different people.",
            field="commander",
        )
    incident = Incident(
        name=name,
        kind=kind,
        location=_clean_text(location),
        commander=commander,
        social_media_officer=social_media_officer,
        opened_by=actor,
    )
    full_clean(incident)
    stamp(incident, actor, "Incident opened").save()
    assign_perm(permissions.APPROVE_INCIDENT_UPDATES, commander, incident)
    record_event(
        actor,
        "incident.opened",
        incident,
        details={"commander": commander.get_username(), "smo": social_media_officer.get_username()},
    )
    return incident


@transaction.atomic
def close_incident(*, actor, incident: Incident) -> Incident:
    _require(
        permissions.can_manage_incidents(actor) or actor.pk == incident.commander_id,
        "Only the Incident Commander, a supervisor or the Social Media Officer closes incidents.",
    )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == Incident.Status.CLOSED:
        raise InvalidTransition("The incident is already closed.", field="status")
    incident.status, incident.closed_at = Incident.Status.CLOSED, timezone.now()
    stamp(incident, actor, "Incident closed").save()
    record_event(actor, "incident.closed", incident)
    return incident


def _may_approve_updates(user, incident: Incident, *, field: str, what: str) -> None:
    if user is None or not user.is_active:
        raise InvalidInput(f"Choose the {what}.", field=field)
    if user.pk == incident.social_media_officer_id:
        raise PolicyViolation(
            "385.4.1",
            "The Incident Commander approves what the Social Media Officer compiles: choose someone else.",
            field=field,
        )


@transaction.atomic
def transfer_command(*, actor, incident: Incident, commander, reason: str) -> Incident:
    """385.4.1: command of the incident passes to `commander`, who approves its updates from now on; the former
    commander no longer does. Numbering of updates continues."""
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("social_media_officer__profile")
        .get(pk=incident.pk)
    )
    permissions.require_command_handover(actor, incident)
    reason = _clean_text(reason)
    if not reason:
        raise InvalidInput("Say why command is handed over.", field="reason")
    _may_approve_updates(commander, incident, field="commander", what="new Incident Commander")
    if commander.pk == incident.commander_id:
        raise InvalidInput(f"{commander.get_username()} already commands this incident.", field="commander")
    before = incident.commander
    remove_perm(permissions.APPROVE_INCIDENT_UPDATES, before, incident)
    incident.commander = commander
    if incident.backup_approver_id == commander.pk:
        incident.backup_approver = None  # the new commander is no longer their own backup
    stamp(incident, actor, f"Command handed over: {reason}").save()
    assign_perm(permissions.APPROVE_INCIDENT_UPDATES, commander, incident)
    record_event(
        actor,
        "incident.command_transferred",
        incident,
        details={"from": before.get_username(), "to": commander.get_username(), "reason": reason},
    )
    notify(
        [commander],
        event="incident.command_transferred",
        subject=f"You command the incident: {incident.name}",
        body=f"You now approve the updates about {incident.name} (385.4.1). Handed over because: {reason}",
        url=f"/incidents/{incident.pk}/",
    )
    return incident


@transaction.atomic
def name_backup_approver(*, actor, incident: Incident, backup, reason: str) -> Incident:
    """385.4.1: a backup approves updates when the commander cannot; `backup=None` ends the backup's part."""
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("social_media_officer__profile")
        .get(pk=incident.pk)
    )
    permissions.require_command_handover(actor, incident)
    reason = _clean_text(reason)
    if not reason:
        raise InvalidInput("Say why.", field="reason")
    if backup is not None:
        _may_approve_updates(backup, incident, field="backup_approver", what="backup approver")
        if backup.pk == incident.commander_id:
            raise InvalidInput("The Incident Commander cannot be their own backup.", field="backup_approver")
    before = incident.backup_approver
    if before is not None:
        remove_perm(permissions.APPROVE_INCIDENT_UPDATES, before, incident)
    incident.backup_approver = backup
    stamp(incident, actor, f"Backup approver: {reason}").save()
    if backup is not None:
        assign_perm(permissions.APPROVE_INCIDENT_UPDATES, backup, incident)
        notify(
            [backup],
            event="incident.backup_named",
            subject=f"Backup approver for {incident.name}",
            body=f"You may approve updates about {incident.name} when the Incident Commander cannot (385.4.1).",
            url=f"/incidents/{incident.pk}/",
        )
    record_event(
        actor,
        "incident.backup_named" if backup else "incident.backup_ended",
        incident,
        details={
            "from": before.get_username() if before else None,
            "to": backup.get_username() if backup else None,
            "reason": reason,
        },
    )
    return incident


@transaction.atomic
def reopen_incident(*, actor, incident: Incident, reason: str) -> Incident:
    """A closed incident flares up again: it is active again, and its updates continue their numbers."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(
        permissions.can_manage_incidents(actor) or actor.pk == incident.commander_id,
        "Only the Incident Commander, a supervisor or the Social Media Officer reopens incidents.",
    )
    if incident.status != Incident.Status.CLOSED:
        raise InvalidTransition("The incident is still active.", field="status")
    reason = _clean_text(reason)
    if not reason:
        raise InvalidInput("Say why the incident is reopened.", field="reason")
    incident.status, incident.closed_at = Incident.Status.ACTIVE, None
    stamp(incident, actor, f"Incident reopened: {reason}").save()
    record_event(actor, "incident.reopened", incident, details={"reason": reason})
    return incident


# Post requests -------------------------------------------------------------------------------------------


@transaction.atomic
def create_post_request(*, actor, text: str, reason: str, files=()) -> PostRequest:
    """385.3: a member who is not authorized to post asks the social media team."""
    _require(actor.is_active, "Your account is disabled.")
    text, reason = _clean_text(text), _clean_text(reason)
    if not text:
        raise InvalidInput("Write what you would like posted.", field="text")
    if not reason:
        raise InvalidInput("Say why it should be posted.", field="reason")
    request = PostRequest(requester=actor, text=text, reason=reason)
    stamp(request, actor, "Requested").save()
    for uploaded in files:
        _check_size(uploaded)
        _kind, content_type = sniff(uploaded)
        attachment = PostRequestAttachment(
            request=request, original_name=uploaded.name[:255], content_type=content_type, size=uploaded.size
        )
        attachment.file.save(uploaded.name, uploaded, save=True)
    record_event(actor, "post_request.created", request, details={"attachments": len(files)})

    notify(
        post_request_handlers(),
        event="post_request.created",
        subject="New post request",
        body=f"{actor.get_full_name() or actor.get_username()} asks the team to post:\n\n{text[:500]}",
        url=f"/requests/{request.pk}/",
    )
    return request


@transaction.atomic
def decline_post_request(*, actor, request: PostRequest, reason: str) -> PostRequest:
    permissions.require_post_request_handler(actor)
    reason = _clean_text(reason)
    if not reason:
        raise InvalidInput("Tell the requester why it is declined.", field="reason")
    request = PostRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != PostRequest.Status.OPEN:
        raise InvalidTransition("This request was already handled.", field="status")
    request.status, request.decline_reason = PostRequest.Status.DECLINED, reason
    request.handled_by, request.handled_at = actor, timezone.now()
    stamp(request, actor, "Declined").save()
    record_event(actor, "post_request.declined", request, details={"reason": reason})

    notify(
        [request.requester],
        event="post_request.declined",
        subject="Your post request was declined",
        body=f"The social media team declined your request: {reason}",
        url=f"/requests/{request.pk}/",
    )
    return request


def _carry_request_attachments(request: PostRequest, post: Post, actor, alt_texts: dict[int, str]) -> list[int]:
    """The requester's files become the draft's own attachments, checked by content again; each image with the
    alt text the team gives it on converting."""
    originals = list(request.attachments.order_by("pk"))
    for original in originals:  # every description first, so a refusal leaves no file behind
        if original.content_type.startswith("image/") and not _clean_text(alt_texts.get(original.pk, "")):
            raise InvalidInput(
                f"Describe “{original.original_name}” for people who cannot see it (alt text).",
                field=f"alt_text_{original.pk}",
            )
    carried = []
    for original in originals:
        with original.file.open("rb") as handle:
            uploaded = File(handle, name=original.original_name)
            kind, content_type = sniff(uploaded)
            alt_text = _clean_text(alt_texts.get(original.pk, ""))
            attachment = Attachment(
                post=post,
                original_name=original.original_name,
                kind=kind,
                content_type=content_type,
                size=original.size,
                sha256=_sha256(uploaded),
                duration_seconds=video_seconds(uploaded) if kind == Attachment.Kind.VIDEO else None,
                alt_text=alt_text,
                uploaded_by=request.requester,
            )
            attachment.file.save(original.original_name, uploaded, save=False)
        stamp(attachment, actor, f"Carried from post request #{request.pk}").save()
        carried.append(attachment.pk)
    return carried


@transaction.atomic
def convert_post_request(
    *, actor, request: PostRequest, title: str, category: str, channels, body: str, alt_texts=None
) -> Post:
    """Turn a request into a draft that credits the requester and carries its attachments (`alt_texts`: the
    description of each image, by the request attachment's id)."""
    permissions.require_post_request_handler(actor)
    locked = PostRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != PostRequest.Status.OPEN:
        raise InvalidTransition("This request was already handled.", field="status")
    post = create_post(actor=actor, title=title, body=body, category=category, channels=channels, request=locked)
    carried = _carry_request_attachments(locked, post, actor, alt_texts or {})
    locked.status, locked.handled_by, locked.handled_at = PostRequest.Status.CONVERTED, actor, timezone.now()
    stamp(locked, actor, "Turned into a draft").save()
    record_event(actor, "post_request.converted", locked, details={"post": post.pk, "attachments": carried})

    notify(
        [locked.requester],
        event="post_request.converted",
        subject="Your post request is being drafted",
        body=f"The social media team turned your request into a draft: {post.title}",
        url=f"/requests/{locked.pk}/",
    )
    return post

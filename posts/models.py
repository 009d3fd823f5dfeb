"""Channels (department pages), posts and their lifecycle, guideline templates (385.3), incidents (385.4.1),
post requests (385.3), attachments and media permissions (385.5.2(b))."""

import re
import string

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.net import web_address
from core.policy import enforces

from . import video, workflow


class Channel(models.Model):
    class Kind(models.TextChoices):
        WEBSITE = "website", "Department website"
        FACEBOOK = "facebook", "Facebook page"
        X = "x", "X account"
        INSTAGRAM = "instagram", "Instagram"
        NEXTDOOR = "nextdoor", "Nextdoor"
        MASTODON = "mastodon", "Mastodon"
        YOUTUBE = "youtube", "YouTube"
        NIXLE = "nixle", "Nixle"
        WEBHOOK = "webhook", "Webhook"
        MANUAL = "manual", "Posted by hand (no platform API)"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    handle = models.CharField(max_length=120, blank=True)
    url = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The three statements 385.5.1(a) asks every page to carry, "where possible".
    disclaimer_opinions = models.BooleanField("States that visitors' opinions are not the department's", default=False)
    disclaimer_moderation = models.BooleanField(
        "States that comments are monitored and obscenities, off-topic comments and personal attacks may be removed",
        default=False,
    )
    disclaimer_public_records = models.BooleanField(
        "States that content posted or submitted is subject to public disclosure", default=False
    )
    comments_require_review = models.BooleanField(
        "Public comments appear only after review",
        default=True,
        help_text="Department website: hold comments until the team has looked at them.",
    )
    # How the adapter reaches the platform (not secret): instance or endpoint URL, page or account id.
    api_base_url = models.URLField("API base URL", blank=True)
    external_account_id = models.CharField("Account / page ID", max_length=120, blank=True)
    # Tokens and secrets, encrypted with CREDENTIALS_KEY; never shown again after entry, never logged.
    credentials_encrypted = models.TextField(blank=True, editable=False)
    credentials_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the access socialgov holds stops working unless renewed (from the platform; empty: no known expiry).
    credentials_expire_at = models.DateTimeField(null=True, blank=True, editable=False)
    credentials_renewal_error = models.TextField(blank=True, editable=False)
    credentials_warned_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the team was warned the credentials expire soon."
    )
    # When the account's own posts were last read (everything on the account is captured, 385.5(g), 385.7).
    account_read_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["credentials_encrypted"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    DISCLAIMERS = (
        ("disclaimer_opinions", "Opinions expressed by visitors do not reflect the opinions of the department."),
        (
            "disclaimer_moderation",
            "Comments are monitored; the department reserves the right to remove obscenities, off-topic comments "
            "and personal attacks.",
        ),
        ("disclaimer_public_records", "Any content posted or submitted for posting is subject to public disclosure."),
    )

    def missing_disclaimers(self) -> list[str]:
        return [text for field, text in self.DISCLAIMERS if not getattr(self, field)]


@enforces("385.4(a)", "385.4(b)", "385.4(c)", "385.4(d)", "385.4(e)", "385.4(f)", "385.4(g)", "385.4(h)", "385.4(i)")
class Category(models.TextChoices):
    """Appropriate content, 385.4 (a)–(i)."""

    ANNOUNCEMENT = "announcement", "Announcements and event advertisements — 385.4(a)"
    CRIME_PREVENTION = "crime_prevention", "Crime prevention tips and information — 385.4(b)"
    INVESTIGATIVE_REQUEST = "investigative_request", "Investigative requests for information — 385.4(c)"
    COMMUNITY_PROJECT = "community_project", "Community engagement in department projects — 385.4(d)"
    REAL_TIME_SAFETY = "real_time_safety", "Real-time safety information — 385.4(e)"
    TRAFFIC = "traffic", "Traffic information — 385.4(f)"
    PRESS_RELEASE = "press_release", "Press releases — 385.4(g)"
    RECRUITMENT = "recruitment", "Recruitment of personnel — 385.4(h)"
    COMMUNITY_OUTREACH = "community_outreach", "Community outreach — 385.4(i)"


class PostingSettings(models.Model):
    """Department-wide posting settings (one row)."""

    require_approval_for_all = models.BooleanField(
        "Every post needs supervisor approval, even when it conforms to a guideline (385.3)", default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "posting settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="posting_settings_single_row")]

    def __str__(self):
        return "Posting settings"

    @classmethod
    def load(cls) -> "PostingSettings":
        return cls.objects.get_or_create(pk=1)[0]


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class GuidelineTemplate(models.Model):
    """The Chief's guideline for one kind of content (385.3): fixed wording with fields to fill in."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    category = models.CharField(max_length=32, choices=Category.choices)
    body = models.TextField(help_text="Fixed wording. Fields to fill in are written {like_this}.")
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text='One entry per placeholder: {"name": "road", "label": "Road", "max_length": 80}.',
    )
    guidance = models.TextField(blank=True, help_text="When to use this template.")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def placeholders(self) -> list[str]:
        seen = []
        for name in _PLACEHOLDER.findall(self.body):
            if name not in seen:
                seen.append(name)
        return seen

    def field_specs(self) -> list[dict]:
        by_name = {f.get("name"): f for f in self.fields if isinstance(f, dict)}
        return [
            {
                "name": name,
                "label": by_name.get(name, {}).get("label") or name.replace("_", " ").capitalize(),
                "max_length": int(by_name.get(name, {}).get("max_length") or 120),
                "help": by_name.get(name, {}).get("help", ""),
            }
            for name in self.placeholders()
        ]

    def render(self, values: dict) -> str:
        return string.Formatter().vformat(self.body, (), {k: str(v) for k, v in values.items()})


class Incident(models.Model):
    """An active incident whose updates the Incident Commander approves (385.4.1)."""

    class Kind(models.TextChoices):
        CRIME_ALERT = "crime_alert", "Crime alert"
        PUBLIC_SAFETY = "public_safety", "Public safety"
        TRAFFIC = "traffic", "Traffic"
        DISASTER = "disaster", "Weather or disaster"
        MISSING_PERSON = "missing_person", "Missing or endangered person"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commanded_incidents"
    )
    social_media_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_compiled"
    )
    backup_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents_backed_up",
        help_text="Approves updates when the Incident Commander cannot (385.4.1).",
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="incident_closed_at_matches_status",
            )
        ]
        # Held, per incident, by its Incident Commander while the incident is active (posts.services).
        permissions = [("approve_incident_updates", "May approve updates about this incident (385.4.1)")]

    def __str__(self):
        return self.name


class MediaPermission(models.Model):
    """Express written permission to post photos or videos of department training, activities or
    work assignments (385.5.2(b))."""

    description = models.CharField(max_length=300, help_text="What the permission covers.")
    granted_by_name = models.CharField("Granted by", max_length=200)
    granted_on = models.DateField()
    document = models.FileField(upload_to="media-permissions/%Y/", help_text="The signed permission.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_on"]

    def __str__(self):
        return f"{self.description} — {self.granted_by_name}, {self.granted_on:%Y-%m-%d}"


class PostRequest(models.Model):
    """A member who is not authorized to post asks the social media team to post something (385.3)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONVERTED = "converted", "Turned into a draft"
        DECLINED = "declined", "Declined"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="post_requests")
    text = models.TextField("What should be posted")
    reason = models.TextField("Why")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="declined_request_has_reason"
            )
        ]

    def __str__(self):
        return f"Post request #{self.pk} from {self.requester}"


class PostRequestAttachment(models.Model):
    request = models.ForeignKey(PostRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="post-requests/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    def __str__(self):
        return self.original_name


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        REMOVED = "removed", "Removed from public view"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class ApprovalPath(models.TextChoices):
        SUPERVISOR = "supervisor", "Supervisor approval (385.3)"
        GUIDELINE = "guideline", "Conforms to a content guideline (385.3)"
        INCIDENT_COMMANDER = "incident_commander", "Incident Commander approval (385.4.1)"

    title = models.CharField(
        "Title",
        max_length=200,
        help_text="The public headline: the website's heading, its address and the feed item's title.",
    )
    body = models.TextField("Body")
    category = models.CharField("Category", max_length=32, choices=Category.choices)
    channels = models.ManyToManyField(Channel, related_name="posts", verbose_name="Channels")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit; stale forms are refused.")
    template = models.ForeignKey(GuidelineTemplate, null=True, blank=True, on_delete=models.PROTECT)
    template_values = models.JSONField(default=dict, blank=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    update_number = models.PositiveIntegerField(null=True, blank=True)
    translation_language = models.CharField(max_length=10, blank=True)
    translation_body = models.TextField(blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    request = models.OneToOneField(PostRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="post")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approval_path = models.CharField(max_length=20, choices=ApprovalPath.choices, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who rejected, withdrew or removed it.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    held_at = models.DateTimeField(
        null=True, blank=True, help_text="When the checks made at the moment of sending stopped it (385.3, 385.8)."
    )
    held_reasons = models.JSONField(
        default=list, blank=True, help_text="Why it was stopped: [{section, code, message}], until it goes out."
    )

    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "update_number"], condition=Q(incident__isnull=False), name="one_number_per_update"
            ),
            models.CheckConstraint(
                condition=Q(incident__isnull=True) | Q(update_number__isnull=False), name="incident_update_is_numbered"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "scheduled", "published"]) | Q(approved_at__isnull=False),
                name="approved_post_records_approval",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "removed"]) | Q(published_at__isnull=False),
                name="published_post_records_publication",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "withdrawn", "removed"]) | ~Q(closed_reason=""),
                name="closed_post_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # The public list walks this newest first and stops after a page.
            models.Index(
                fields=["-published_at", "-id"], condition=Q(status="published"), name="post_live_newest_first"
            ),
        ]

    def __str__(self):
        if self.incident_id:
            return f"{self.incident} — Update {self.update_number}"
        return self.title

    @property
    def is_incident_update(self) -> bool:
        return self.incident_id is not None

    @property
    def is_held(self) -> bool:
        """Stopped at the moment of sending and not sent since (nor withdrawn or rejected)."""
        return self.held_at is not None and self.status in HELD_STATES

    EDITABLE = frozenset(map(Status, workflow.EDITABLE))


# A post stopped at sending stays on the dashboards in these states, until it goes out or is closed.
HELD_STATES = (
    Post.Status.DRAFT,
    Post.Status.IN_REVIEW,
    Post.Status.CHANGES_REQUESTED,
    Post.Status.APPROVED,
    Post.Status.SCHEDULED,
)


class PostEditor(models.Model):
    """Everyone who wrote or changed a post's content: none of them may approve it (separation of duties)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="editors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_editor_row_per_user")]

    def __str__(self):
        return f"{self.user} edited post #{self.post_id}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"
        DOCUMENT = "document", "Document"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=100, help_text="Detected from the content, not the name.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    duration_seconds = models.FloatField(
        "Running time (seconds)",
        null=True,
        blank=True,
        help_text="A video's running time, read from the file at upload; empty when the file does not say.",
    )
    alt_text = models.CharField("Alt text", max_length=500, blank=True)
    shows_department_activity = models.BooleanField(
        "Shows department training, activities or work assignments (385.5.2(b))", default=False
    )
    media_permission = models.ForeignKey(MediaPermission, null=True, blank=True, on_delete=models.PROTECT)
    # Captions (WebVTT) for a video: the website offers them as a <track> so the video is usable without sound.
    captions = models.FileField("Captions (WebVTT)", upload_to="captions/%Y/%m/", blank=True, null=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="image") | ~Q(alt_text=""), name="image_attachment_has_alt_text"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def running_time(self) -> str:
        return video.running_time(self.duration_seconds) if self.duration_seconds else ""

    @property
    def needs_media_permission(self) -> bool:
        return self.shows_department_activity and self.media_permission_id is None

    def captions_text(self) -> str:
        """What the captions say, without the WebVTT header, cue numbers, timings and notes: the words the public
        reads, which are screened like every other published text."""
        if not self.captions:
            return ""
        with self.captions.open("rb") as handle:
            raw = handle.read().decode("utf-8-sig", errors="replace")
        said, skipping = [], False
        for line in raw.splitlines():
            text = line.strip()
            if not text:
                skipping = False
                continue
            if skipping or text.startswith("WEBVTT") or "-->" in text or text.isdigit():
                continue
            if text.startswith(("NOTE", "STYLE", "REGION")):
                skipping = True  # a block that is not shown as captions
                continue
            said.append(text)
        return "\n".join(said)


class Publication(models.Model):
    """One post version on one channel. Exactly once: one row per (post, channel, version), claimed before the
    platform is called, and reconciled (idempotency key or lookup) if a worker died mid-call."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to publish"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        REMOVAL_PENDING = "removal_pending", "Removal to confirm by hand"
        REMOVED = "removed", "Removed from public view"
        AWAITING_HAND = "awaiting_hand", "Waiting to be posted by hand"

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="publications")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    post_version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    external_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_code = models.CharField(max_length=32, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    attention_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the team was told it failed or keeps failing (once per retry by hand)."
    )

    class Meta:
        ordering = ["channel__name"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel", "post_version"], name="one_publication_per_version"),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_at__isnull=False) & ~Q(external_id="")),
                name="published_publication_has_external_id",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.post} on {self.channel} ({self.get_status_display()})"

    @property
    def link(self) -> str:
        """Where the platform says the post is, if that is an http(s) address: pages link only this."""
        return web_address(self.url)


class ManualPostingTodo(models.Model):
    """A channel without a platform API: the approved text waits for a person to post it by hand and confirm."""

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="posting_todo")
    text = models.TextField(help_text="The approved headline and text, as they are to be posted.")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Post by hand on {self.publication.channel}"


class RemovalTodo(models.Model):
    """A platform that cannot delete through its API: a person removes it by hand and confirms (385.5)."""

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="removal_todo")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Remove by hand: {self.publication.url}"


class Comment(models.Model):
    """A public comment on a department page (the website's own form, or fetched from a platform)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden"
        REMOVED = "removed", "Removed from public view"

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="comments")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    external_id = models.CharField(max_length=200, blank=True)
    author_name = models.CharField(max_length=100)
    author_email = models.EmailField(blank=True)
    author_handle = models.CharField(max_length=200, blank=True)
    text = models.TextField(help_text="Plain text: markup removed on arrival.")
    url = models.URLField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="Changes whenever it is shown, hidden or removed.")
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(max_length=32, blank=True)
    removal_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], condition=~Q(external_id=""), name="one_row_per_platform_comment"
            ),
        ]
        indexes = [models.Index(fields=["post", "status", "created_at"])]

    def __str__(self):
        return f"Comment #{self.pk} by {self.author_name}"

    @property
    def link(self) -> str:
        """Where the comment is on its platform, if that is an http(s) address: pages link only this, whatever an
        older row holds in `url`."""
        return web_address(self.url)


class WebsiteNotices(models.Model):
    """The notices every page of the department website carries (385.5.1(a)) and its emergency line, in English and
    Spanish, as the Chief or the designee words them. One row per version, never changed afterwards: the newest is
    shown, the older ones record what the site said and when (posts.notices)."""

    version = models.PositiveIntegerField(unique=True)
    opinions_en = models.TextField("Visitors' opinions (English)")
    opinions_es = models.TextField("Visitors' opinions (Spanish)")
    moderation_en = models.TextField("Comments are monitored (English)")
    moderation_es = models.TextField("Comments are monitored (Spanish)")
    public_records_en = models.TextField("Subject to public disclosure (English)")
    public_records_es = models.TextField("Subject to public disclosure (Spanish)")
    emergency_en = models.TextField("Emergency line (English)")
    emergency_es = models.TextField("Emergency line (Spanish)")
    # Empty for the wording the product ships with (seeded by a migration).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "website notices"

    def __str__(self):
        return f"Website notices, version {self.version}"


class PostView(models.Model):
    """Page views of a post on the department website, counted per day without cookies or trackers."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "day"], name="one_view_count_per_day")]

    def __str__(self):
        return f"{self.post_id} {self.day}: {self.views}"


class PublicationMetric(models.Model):
    """Engagement pulled from a platform, one row per publication per day."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="metrics")
    day = models.DateField()
    reach = models.PositiveIntegerField(null=True, blank=True)
    reactions = models.PositiveIntegerField(null=True, blank=True)
    shares = models.PositiveIntegerField(null=True, blank=True)
    replies = models.PositiveIntegerField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "day"], name="one_metric_row_per_day")]

    def __str__(self):
        return f"{self.publication_id} {self.day}"


class PlatformCommentAction(models.Model):
    """A hide or removal decided in socialgov, carried out on the comment's platform where its API allows, and
    otherwise left as a to-do on /removals/ for a person to do by hand and confirm (385.5, 385.5.1(a))."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be done on the platform"
        DONE = "done", "Done on the platform"
        TODO = "todo", "To do by hand"
        CONFIRMED = "confirmed", "Done by hand"
        FAILED = "failed", "Failed"

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="platform_actions")
    action = models.CharField(max_length=10)  # hide, remove, show
    reason = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(blank=True, help_text="What the platform did.")
    todo = models.TextField(blank=True, help_text="What a person still has to do on the platform.")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.action} comment #{self.comment_id} on its platform ({self.get_status_display()})"


class AccountPost(models.Model):
    """A post seen on one of the department's own accounts, wherever it was made. One that did not go through
    socialgov is "posted outside socialgov": captured as a record and raised to the team (385.5(g))."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="account_posts")
    external_id = models.CharField(max_length=200)
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="account_posts"
    )
    outside = models.BooleanField("Posted outside socialgov", default=False)
    url = models.URLField(max_length=500, blank=True)
    created_on_platform = models.DateTimeField()
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    deleted_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was first found missing from the account."
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.TextField(blank=True, help_text="What the team found and did about it.")

    class Meta:
        ordering = ["-created_on_platform", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="one_row_per_account_post"),
        ]

    def __str__(self):
        return f"{self.channel} post {self.external_id}"

    @property
    def link(self) -> str:
        return web_address(self.url)

    def latest_version(self):
        """The last wording seen (from prefetched versions when they are)."""
        versions = list(self.versions.all())
        return versions[-1] if versions else None


class AccountPostVersion(models.Model):
    """One wording of an account post as seen on the platform. Each becomes a record. `flagged`: a wording that
    did not go through approval (posted outside socialgov, or edited on the platform after approval)."""

    class Change(models.TextChoices):
        CREATED = "created", "Posted"
        EDITED = "edited", "Edited on the platform"
        DELETED = "deleted", "Deleted on the platform"

    account_post = models.ForeignKey(AccountPost, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=10, choices=Change.choices)
    text = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    media = models.JSONField(default=list, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True, help_text="The platform's time for this wording.")
    seen_at = models.DateTimeField(default=timezone.now)
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["account_post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["account_post", "number"], name="one_account_post_version_number"),
        ]

    def __str__(self):
        return f"{self.account_post} v{self.number} ({self.change})"


class CalendarFeed(models.Model):
    """A member's private iCalendar address for the content calendar: the token is in the URL, shown once and
    stored as its SHA-256; revoking it (or making a new one) stops the old address at once."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds")
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed_per_member"
            ),
        ]

    def __str__(self):
        return f"Calendar feed {self.prefix}… of {self.member}"

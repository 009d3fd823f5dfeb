"""Review and approval, screening's confidential-terms registry, comment monitoring, content reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ConfidentialTermQuerySet(models.QuerySet):
    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, expires_on__gte=on)


class ConfidentialTerm(models.Model):
    """A name, number or description tied to an open case that must not be posted (385.5(c))."""

    class Kind(models.TextChoices):
        SUSPECT = "suspect", "Suspect name"
        VICTIM = "victim", "Victim name"
        WITNESS = "witness", "Witness name"
        CASE_NUMBER = "case_number", "Case number"
        ADDRESS = "address", "Address"
        VEHICLE = "vehicle", "Vehicle description"
        OTHER = "other", "Other"

    term = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    case_number = models.CharField(max_length=64, blank=True, help_text="The open case this term belongs to.")
    note = models.TextField(blank=True)
    expires_on = models.DateField(help_text="After this date the term no longer blocks posts.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConfidentialTermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["expires_on", "pk"]
        permissions = [("manage_confidential_terms", "May see and keep the confidential-terms registry (385.5(c))")]
        constraints = [models.CheckConstraint(condition=~Q(term=""), name="confidential_term_not_empty")]

    def __str__(self):
        return f"Confidential term #{self.pk} ({self.get_kind_display()})"


class ScreeningRuleSetting(models.Model):
    """A supervisor's choice for one screening rule: on or off, and its severity (audited)."""

    class Severity(models.TextChoices):
        INFO = "info", "Information"
        ACKNOWLEDGE = "acknowledge", "Needs acknowledgement"
        BLOCK = "block", "Blocks approval"

    rule_id = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True)
    severity = models.CharField(
        max_length=20, choices=Severity.choices, blank=True, help_text="Empty: the rule's own severity."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_id"]

    def __str__(self):
        return f"{self.rule_id}: {'on' if self.enabled else 'off'}"


class Review(models.Model):
    """One submission of a post for approval, and its outcome. At most one is pending per post."""

    class Route(models.TextChoices):
        SUPERVISOR = "supervisor", "Supervisor queue (385.3)"
        INCIDENT_COMMANDER = "incident_commander", "Incident Commander (385.4.1)"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Superseded by an edit"
        WITHDRAWN = "withdrawn", "Withdrawn"

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="reviews")
    route = models.CharField(max_length=20, choices=Route.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    post_version = models.PositiveIntegerField(help_text="The post's version when submitted.")
    post_history_id = models.PositiveBigIntegerField(null=True, help_text="The revision that was submitted.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["post"], condition=Q(status="pending"), name="one_pending_review_per_post"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="review_decision_is_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "changes_requested"]) | ~Q(note=""), name="refusal_has_reason"
            ),
        ]

    def __str__(self):
        return f"Review #{self.pk} of post #{self.post_id} ({self.status})"


class FindingException(models.Model):
    """A supervisor's reviewed decision that one screening finding on one text of a post is not a violation.

    It holds only for the text it was made on: `text_sha256` is the digest of every screened field of the post
    (title, body, translation, alt texts, file names) at that moment, so any edit brings the finding back. The
    rule stays as strict for every other post.
    """

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="screening_exceptions")
    post_version = models.PositiveIntegerField()
    text_sha256 = models.CharField(max_length=64)
    field = models.CharField(max_length=32)
    rule_id = models.CharField(max_length=64)
    section = models.CharField(max_length=32)
    start = models.IntegerField()
    end = models.IntegerField()
    reason = models.TextField("Why it is not a violation")
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-cleared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "text_sha256", "field", "rule_id", "start", "end"],
                name="one_exception_per_finding_text",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="finding_exception_has_reason"),
        ]

    def __str__(self):
        return f"Reviewed: {self.rule_id} on post #{self.post_id} is not a violation"


class ReviewFinding(models.Model):
    """A screening finding on a submitted post, and the reviewer's acknowledgement of it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    rule_id = models.CharField(max_length=64)
    section = models.CharField(max_length=32)
    severity = models.CharField(max_length=20, choices=ScreeningRuleSetting.Severity.choices)
    field = models.CharField(
        max_length=32, default="body", help_text="Which text: title, body, translation, alt_text or file_name."
    )
    start = models.IntegerField()
    end = models.IntegerField()
    excerpt = models.CharField(max_length=500)
    explanation = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    exception = models.ForeignKey(
        FindingException, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings",
        help_text="A supervisor reviewed it: not a violation, for this text.",
    )  # fmt: skip

    FIELD_LABELS = {
        "title": "in the title",
        "body": "in the body",
        "translation": "in the translation",
        "alt_text": "in the alt text of",
        "file_name": "in the file name",
        "captions": "in the captions of",
    }

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.rule_id} ({self.section})"

    @property
    def where(self) -> str:
        """Which text the finding is in, in words: "in the title", "in the alt text of IMG_2041.jpg"."""
        label = self.FIELD_LABELS.get(self.field, f"in {self.field}")
        attachment = (self.data or {}).get("attachment")
        return f"{label} {attachment}" if attachment and self.field in {"alt_text", "file_name"} else label

    @property
    def from_model(self) -> bool:
        return (self.data or {}).get("source") == "model"

    @property
    def blocks(self) -> bool:
        return self.severity == ScreeningRuleSetting.Severity.BLOCK and self.exception_id is None

    @property
    def needs_acknowledgement(self) -> bool:
        return (
            self.severity == ScreeningRuleSetting.Severity.ACKNOWLEDGE
            and self.acknowledged_at is None
            and self.exception_id is None
        )


class ReviewComment(models.Model):
    """A reviewer's comment, anchored to a passage of the text it is about."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quote = models.CharField("Passage", max_length=1000, blank=True, help_text="The words the comment is about.")
    start = models.IntegerField(null=True, blank=True)
    end = models.IntegerField(null=True, blank=True)
    body = models.TextField("Comment")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on review #{self.review_id}"


class CommentScreening(models.Model):
    """Screening of one public comment on arrival (385.5.1): its findings and where it sorts in the queue."""

    comment = models.OneToOneField("posts.Comment", on_delete=models.CASCADE, related_name="screening")
    severity_rank = models.PositiveSmallIntegerField(
        default=0, db_index=True, help_text="0 none, 1 info, 2 acknowledge, 3 block."
    )
    escalated = models.BooleanField(default=False, db_index=True)
    threat_score = models.FloatField(
        default=0.0, db_index=True, help_text="The threat model's score (0 to 1); the queue sorts by it."
    )
    language = models.CharField(max_length=5, blank=True)
    findings = models.JSONField(default=list, blank=True)
    screened_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Screening of comment #{self.comment_id}"


class ThreatAlert(models.Model):
    """A public comment that threatens the community or public employees (385.5.1): raised at once, shown on
    the team's pages until someone acknowledges it."""

    comment = models.OneToOneField("posts.Comment", on_delete=models.PROTECT, related_name="threat_alert")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Threat alert on comment #{self.comment_id}"


class ContentReport(models.Model):
    """A member's report of unauthorized or inappropriate content on a department page (385.5, last paragraph):
    open → removed (from public view) → investigating → resolved; or open → closed without removal (unfounded, or
    resolved another way), with the reason."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REMOVED = "removed", "Removed from public view"
        INVESTIGATING = "investigating", "Under investigation"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed without removal"

    class Outcome(models.TextChoices):
        UNFOUNDED = "unfounded", "Unfounded: the content does not break 385.5"
        KEPT = "kept", "Resolved without removing the content"

    class Section(models.TextChoices):
        A = "385.5(a)", "385.5(a) Abusive, discriminatory, inflammatory or sexually explicit"
        B = "385.5(b)", "385.5(b) Violates individual rights, confidentiality or privacy"
        C = "385.5(c)", "385.5(c) Could compromise an ongoing investigation"
        D = "385.5(d)", "385.5(d) Could damage the department's mission, reputation or professionalism"
        E = "385.5(e)", "385.5(e) Could compromise the safety of operations, members, victims, suspects or the public"
        F = "385.5(f)", "385.5(f) Posted for personal use"
        G = "385.5(g)", "385.5(g) Not properly authorized"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="content_reports")
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    comment = models.ForeignKey(
        "posts.Comment", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    link = models.URLField(max_length=500, blank=True, help_text="Where the content is.")
    section = models.CharField(max_length=10, choices=Section.choices)
    description = models.TextField("What is wrong")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    investigation_started_at = models.DateTimeField(null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    how_posted = models.TextField("How it got posted", blank=True)
    posted_by = models.TextField("By whom", blank=True)
    control_failed = models.TextField("Which control failed", blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False) | Q(comment__isnull=False) | ~Q(link=""),
                name="report_names_the_content",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution=""), name="resolved_report_says_how"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(resolution="") & ~Q(outcome="")),
                name="closed_report_says_why",
            ),
        ]

    def __str__(self):
        return f"Report #{self.pk} ({self.get_status_display()})"


class Tip(models.Model):
    """Information a member of the public sends to investigators (385.5.3(c)), about an investigative request
    (385.4(c)) or, when the Chief has opened the general page, about anything not an emergency. Never public and
    never a comment. An anonymous tip keeps no name or contact; no tip keeps anything of the sender's address."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        READ = "read", "Read"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=16, unique=True, help_text="Shown to the sender, e.g. T-7K4M-2QXD.")
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="tips")
    text = models.TextField()
    anonymous = models.BooleanField(default=True)
    name = models.CharField(max_length=100, blank=True)
    contact = models.CharField(max_length=200, blank=True, help_text="Phone or e-mail, as the sender gave it.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.TextField(blank=True)
    findings = models.JSONField(default=list, blank=True)
    threat = models.BooleanField(default=False, db_index=True)

    # No history table: it would keep a second copy of the sender's name and contact. Every change is a service
    # call that writes the audit trail instead.

    class Meta:
        ordering = ["-threat", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | (Q(name="") & Q(contact="")), name="anonymous_tip_keeps_no_identity"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="tip_not_empty"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(close_reason="") & Q(closed_at__isnull=False)),
                name="closed_tip_says_why",
            ),
        ]

    def __str__(self):
        # Never the text or the sender: this is what the audit trail and the admin show.
        return f"Tip {self.reference}"


class TipSettings(models.Model):
    """Whether the general tip page (/news/tip/) is open: the Chief's or the designee's choice (385.5.3(c))."""

    general_tips_open = models.BooleanField(
        "The website takes tips that are not about a particular post", default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "tip settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="tip_settings_single_row")]

    def __str__(self):
        return "Tip settings"

    @classmethod
    def load(cls) -> "TipSettings":
        return cls.objects.get_or_create(pk=1)[0]

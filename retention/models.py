"""Records of published content (385.5.1(a), 385.7): series and versioned retention schedules, immutable
captured records with content-addressed media, classification rules and the determinations the custodian
makes where no rule applies."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.policy import enforces
from core.storage import records_store


class RecordKind(models.TextChoices):
    POST = "post", "Post"
    INCIDENT_UPDATE = "incident_update", "Incident update"
    COMMENT = "comment", "Comment"
    REMOVED_COMMENT = "removed_comment", "Removed comment"
    POST_REQUEST = "post_request", "Post request"
    REPORT = "report", "Content report"
    METRICS = "metrics", "Engagement figures"
    ANNUAL_REVIEW = "annual_review", "Annual review of social media use (385.6)"
    TIP = "tip", "Tip to investigators (385.5.3(c))"
    ACCOUNT_POST = "account_post", "Post on a department account (posted outside socialgov or edited there)"


class RecordSeries(models.Model):
    """A records series, e.g. the city-wide standard CW-026 the policy cites (385.7)."""

    @enforces(
        "385.7(a)", "385.7(b)", "385.7(c)", "385.7(d)", "385.7(e)", "385.7(f)", "385.7(g)", "385.7(h)", "385.7(i)",
        "385.7(j)", "385.7(k)", "385.7(l)", "385.7(m)", "385.7(n)", "385.7(o)", "385.7(p)", "385.7(q)",
    )  # fmt: skip
    class Transitory(models.TextChoices):
        # 385.7 (a)–(q): content not substantive, or not kept to preserve its informational content.
        A = "a", "(a) Calendars, checklists"
        B = "b", "(b) E-mail"
        C = "c", "(c) Social media postings with no material impact on the conduct of business"
        D = "d", "(d) Invitations"
        E = "e", "(e) Instant messaging"
        F = "f", "(f) Logs"
        G = "g", "(g) Mailing lists"
        H = "h", "(h) Meeting room registrations"
        I = "i", "(i) Supply inventories"  # noqa: E741 - the policy's own letter
        J = "j", "(j) Telephone messages"
        K = "k", "(k) Transmittal letters"
        L = "l", "(l) Thank yous"
        M = "m", "(m) Requests from other cities"
        N = "n", "(n) Undeliverable envelopes"
        O = "o", "(o) Visitors logs"  # noqa: E741 - the policy's own letter
        P = "p", "(p) Voice mails"
        Q = "q", "(q) Webpages"

    code = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    substantive = models.BooleanField(
        default=True, help_text="Relates in a substantive way to the public's business (385.7); otherwise transitory."
    )
    transitory_item = models.CharField(max_length=1, choices=Transitory.choices, blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "record series"
        constraints = [
            models.CheckConstraint(
                condition=Q(substantive=True, transitory_item="") | Q(substantive=False),
                name="substantive_series_has_no_transitory_item",
            ),
            # 385.7 describes transitory content item by item: a transitory series says which item it keeps.
            models.CheckConstraint(
                condition=Q(substantive=True) | ~Q(transitory_item=""),
                name="transitory_series_names_its_item",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def current_schedule(self):
        return self.schedules.filter(superseded_at__isnull=True).order_by("-version").first()


class RetentionSchedule(models.Model):
    """One version of a series' retention rule. A record keeps the version it was filed under."""

    class Unit(models.TextChoices):
        DAYS = "days", "Days"
        MONTHS = "months", "Months"
        YEARS = "years", "Years"
        ADMINISTRATIVE_VALUE = "administrative", "Until no longer of administrative value"

    class Trigger(models.TextChoices):
        PUBLICATION = "publication", "Publication"
        REMOVAL = "removal", "Removal from public view"
        CALENDAR_YEAR_END = "year_end", "End of the calendar year"
        INCIDENT_CLOSED = "incident_closed", "Incident closed"
        SUPERSEDED = "superseded", "Superseded"

    class Action(models.TextChoices):
        DESTROY = "destroy", "Destroy"
        TRANSFER = "transfer", "Transfer to the permanent archive"

    series = models.ForeignKey(RecordSeries, on_delete=models.PROTECT, related_name="schedules")
    version = models.PositiveIntegerField()
    period = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    review_on = models.DateField(null=True, blank=True, help_text="For 'until no longer of administrative value'.")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    citation = models.CharField("Legal citation", max_length=300)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["series", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="one_schedule_per_series_version"),
            models.UniqueConstraint(
                fields=["series"], condition=Q(superseded_at__isnull=True), name="one_current_schedule_per_series"
            ),
            models.CheckConstraint(
                condition=(
                    Q(unit="administrative", period__isnull=True, review_on__isnull=False)
                    | (~Q(unit="administrative") & Q(period__isnull=False))
                ),
                name="schedule_period_matches_unit",
            ),
        ]

    def __str__(self):
        return f"{self.series.code} v{self.version}: {self.describe()}"

    def describe(self) -> str:
        if self.unit == self.Unit.ADMINISTRATIVE_VALUE:
            return f"until no longer of administrative value (review {self.review_on:%Y-%m-%d}), then {self.action}"
        return f"{self.period} {self.unit} after {self.get_trigger_display().lower()}, then {self.action}"


class MediaBlob(models.Model):
    """A media file stored once by its SHA-256, however many records use it, in the records store: on S3 one object
    version, written once and locked (Object Lock) until the last record using it may be destroyed."""

    class LockMode(models.TextChoices):
        NONE = "", "Not locked (a folder on this machine)"
        COMPLIANCE = "COMPLIANCE", "Compliance"
        GOVERNANCE = "GOVERNANCE", "Governance"

    sha256 = models.CharField(max_length=64, primary_key=True)
    file = models.FileField(upload_to="records/media/", storage=records_store)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    stored_at = models.DateTimeField(default=timezone.now)
    version = models.CharField(max_length=1024, blank=True, help_text="The object version on S3 this record is.")
    lock_mode = models.CharField(max_length=10, choices=LockMode.choices, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True, help_text="The object's Object Lock retention date.")
    legal_hold = models.BooleanField(default=False, help_text="An Object Lock legal hold is on the object.")
    lock_checked_at = models.DateTimeField(null=True, blank=True)
    disposed_at = models.DateTimeField(
        null=True, blank=True, help_text="Its last record was destroyed; the object goes once its lock has ended."
    )

    def __str__(self):
        return self.sha256


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


class Record(models.Model):
    """An immutable capture of one version of one published object. Its content never changes after capture;
    the database refuses it (see the migration), and disposition alone may replace it with a tombstone."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Kept"
        DESTROYED = "destroyed", "Destroyed (tombstone)"
        TRANSFERRED = "transferred", "Transferred to the permanent archive"

    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    source_type = models.CharField(max_length=64, help_text="e.g. posts.post")
    source_id = models.PositiveBigIntegerField()
    source_version = models.CharField(max_length=64, help_text="Which version of the source this captures.")
    captured_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    channel_slugs = models.JSONField(default=list)
    author_username = models.CharField(max_length=150, blank=True, db_index=True)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True, help_text="The exact published text (searchable).")
    content = models.JSONField(help_text="Everything captured, in canonical form.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical content.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A comment's record points at its post's record.",
    )
    media = models.ManyToManyField(MediaBlob, blank=True, related_name="records")
    series = models.ForeignKey(RecordSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    schedule = models.ForeignKey(
        RetentionSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True)

    class Meta:
        ordering = ["-captured_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "source_version"], name="one_record_per_captured_version"
            ),
        ]
        indexes = [models.Index(fields=["kind", "published_at"]), models.Index(fields=["series", "status"])]

    def __str__(self):
        return f"Record #{self.pk} ({self.get_kind_display()}: {self.title or self.source_id})"

    @staticmethod
    def hash_of(content: dict) -> str:
        return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()

    def verify(self) -> bool:
        return self.status != self.Status.ACTIVE or self.hash_of(self.content) == self.sha256


class ClassificationRule(models.Model):
    """Files records under a series: the first matching rule (lowest position) wins; empty fields match any."""

    position = models.PositiveIntegerField(default=100)
    kind = models.CharField(max_length=20, choices=RecordKind.choices, blank=True)
    category = models.CharField(max_length=32, blank=True, help_text="A post category from 385.4, or empty.")
    channel_slug = models.CharField(max_length=60, blank=True)
    series = models.ForeignKey(RecordSeries, on_delete=models.PROTECT, related_name="rules")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return (
            f"{self.kind or 'any kind'} / {self.category or 'any category'} / {self.channel_slug or 'any channel'}"
            f" → {self.series.code}"
        )

    def matches(self, *, kind: str, category: str, channel_slugs) -> bool:
        return (
            (not self.kind or self.kind == kind)
            and (not self.category or self.category == category)
            and (not self.channel_slug or self.channel_slug in channel_slugs)
        )


class Determination(models.Model):
    """The custodian's decision for a record no rule covered (385.7: consult the City Attorney when unsure)."""

    record = models.OneToOneField(Record, on_delete=models.PROTECT, related_name="determination")
    series = models.ForeignKey(RecordSeries, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    city_attorney_consulted = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    became_rule = models.ForeignKey(
        ClassificationRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return f"Determination for record #{self.record_id}"


class LegalHold(models.Model):
    """Freezes every record in scope, including records captured later that match it (385.7, e-discovery)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "In force"
        RELEASED = "released", "Released"

    matter = models.CharField("Matter", max_length=200)
    reference = models.CharField("Case or request number", max_length=100, blank=True)
    requested_by = models.CharField("Requested by", max_length=200)
    reason = models.TextField()
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    channel_slugs = models.JSONField(default=list, blank=True)
    people = models.JSONField(default=list, blank=True, help_text="Author usernames or commenter names.")
    keywords = models.JSONField(default=list, blank=True)
    picked = models.ManyToManyField(Record, blank=True, related_name="picked_by_holds")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    placed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_reason = models.TextField(blank=True)
    held = models.ManyToManyField(Record, through="HeldRecord", related_name="holds")

    history = HistoricalRecords(excluded_fields=["picked", "held"])

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="released") | ~Q(release_reason=""), name="released_hold_says_why"
            ),
        ]

    def __str__(self):
        return f"Hold: {self.matter}"

    def covers(self, record: Record) -> bool:
        return self.picked.filter(pk=record.pk).exists() or self.scope_covers(record)

    def scope_covers(self, record: Record) -> bool:
        """Whether the hold's scope (dates, channels, people, keywords) takes in this record."""
        has_scope = self.date_from or self.date_to or self.channel_slugs or self.people or self.keywords
        if not has_scope:
            return False
        when = (record.published_at or record.captured_at).date()
        if self.date_from and when < self.date_from:
            return False
        if self.date_to and when > self.date_to:
            return False
        if self.channel_slugs and not set(self.channel_slugs) & set(record.channel_slugs):
            return False
        if self.people and record.author_username.lower() not in {p.lower() for p in self.people}:
            return False
        if self.keywords:
            haystack = f"{record.title}\n{record.text}".lower()
            if not any(k.lower() in haystack for k in self.keywords):
                return False
        return True


class HeldRecord(models.Model):
    hold = models.ForeignKey(LegalHold, on_delete=models.PROTECT)
    record = models.ForeignKey(Record, on_delete=models.PROTECT)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hold", "record"], name="one_membership_per_hold")]

    def __str__(self):
        return f"Record #{self.record_id} held by {self.hold_id}"


class DispositionBatch(models.Model):
    """Records past their retention, gathered for the custodian to approve or defer one by one."""

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting review"
        CLOSED = "closed", "Carried out"

    as_of = models.DateField(help_text="Retention was computed for this date.")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certificate_html = models.TextField(blank=True)
    certificate_pdf = models.FileField(upload_to="records/certificates/", storage=records_store, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Disposition batch #{self.pk} ({self.as_of})"


class DispositionItem(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        APPROVED = "approved", "Approved"
        DEFERRED = "deferred", "Deferred"
        BLOCKED = "blocked", "Held — cannot be destroyed"
        REQUESTED = "requested", "Requested — kept while the request is open"
        DONE = "done", "Carried out"

    batch = models.ForeignKey(DispositionBatch, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="disposition_items")
    action = models.CharField(max_length=10, choices=RetentionSchedule.Action.choices)
    due_on = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "record"], name="one_item_per_record_per_batch")]

    def __str__(self):
        return f"{self.get_action_display()} record #{self.record_id}"


class FixityCheck(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)
    media_checked = models.PositiveIntegerField(default=0)
    mismatches = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Fixity check {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def ok(self) -> bool:
        return self.finished_at is not None and not self.mismatches


class DispositionPermit(models.Model):
    """Exists only inside a disposition's own transaction: on SQLite the immutability trigger lets record
    content change only while a row is here (PostgreSQL uses a transaction-local setting instead)."""

    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Disposition permit {self.created_at}"


class RecordsRequest(models.Model):
    """A public-records request (385.5.1(a)): logged with its statutory due date; while it is open, the records
    attached to it cannot be destroyed."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FULFILLED = "fulfilled", "Fulfilled"
        CLOSED = "closed", "Closed without release"

    number = models.CharField("Request number", max_length=40, unique=True)
    requester = models.CharField("Requester", max_length=200)
    requester_contact = models.CharField("Requester's contact", max_length=200, blank=True)
    received_on = models.DateField("Received on")
    description = models.TextField("Records asked for")
    due_on = models.DateField("Statutory due date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Assigned custodian"
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(blank=True)
    records = models.ManyToManyField(Record, through="RequestRecord", related_name="requests")

    history = HistoricalRecords(excluded_fields=["records"])

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="request_due_after_received"),
            models.CheckConstraint(condition=Q(status="open") | ~Q(closing_note=""), name="closed_request_says_how"),
        ]

    def __str__(self):
        return f"{self.number} ({self.requester})"

    def days_left(self, today=None) -> int:
        return (self.due_on - (today or timezone.localdate())).days


class RequestRecord(models.Model):
    request = models.ForeignKey(RecordsRequest, on_delete=models.PROTECT)
    record = models.ForeignKey(Record, on_delete=models.PROTECT)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "record"], name="one_attachment_per_request")]

    def __str__(self):
        return f"Record #{self.record_id} for request {self.request_id}"


class Export(models.Model):
    """A BagIt package of records, built by a task, for a public-records request, an e-discovery demand or the
    permanent archive. The package is kept for a limited time; every download is audited."""

    class Purpose(models.TextChoices):
        PUBLIC_RELEASE = "public", "Public release (may be redacted)"
        EDISCOVERY = "ediscovery", "E-discovery (never redacted)"
        TRANSFER = "transfer", "Transfer to the permanent archive"

    class Status(models.TextChoices):
        REVIEW = "review", "Waiting for media review"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Building"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    reason = models.TextField("Why", help_text="Recorded in the chain of custody.")
    query = models.JSONField(default=dict, blank=True, help_text="The search the records came from.")
    hold = models.ForeignKey(LegalHold, null=True, blank=True, on_delete=models.PROTECT, related_name="exports")
    request = models.ForeignKey(RecordsRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="exports")
    batch = models.ForeignKey(DispositionBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="exports")
    record_ids = models.JSONField(default=list, blank=True, help_text="Hand-picked records (or a transfer's).")
    include_pdf = models.BooleanField("PDF rendition of each record", default=False)
    include_dat = models.BooleanField("Concordance DAT load file", default=False)
    redact = models.BooleanField("Redact personal information and confidential terms", default=False)
    redact_spans = models.JSONField(
        default=list, blank=True, help_text="Hand-picked spans: [{record, text, reason, exemption}]."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=40, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Builds started; after settings.EXPORT_MAX_ATTEMPTS the export is failed for good."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="Under settings.EXPORT_ROOT.")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Of the ZIP as delivered.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="ediscovery") | Q(redact=False), name="ediscovery_exports_are_never_redacted"
            ),
            # E-discovery and transfers carry every media file whole: only a public release has media reviewed.
            models.CheckConstraint(
                condition=~Q(status="review") | Q(purpose="public"), name="only_public_releases_wait_for_media_review"
            ),
        ]

    def __str__(self):
        return f"Export #{self.pk} ({self.get_purpose_display()})"

    @property
    def external_identifier(self) -> str:
        if self.request_id:
            return self.request.number
        if self.hold_id:
            return self.hold.reference or self.hold.matter
        if self.batch_id:
            return f"disposition-batch-{self.batch_id}"
        return f"export-{self.pk}"

    def is_expired(self, now=None) -> bool:
        if self.status == self.Status.EXPIRED:
            return True
        return bool(self.expires_at and self.expires_at <= (now or timezone.now()))


class Redaction(models.Model):
    """One span withheld from a public-release export, with its reason and exemption. The record itself is
    untouched; only the exported copy is redacted."""

    class Category(models.TextChoices):
        PERSONAL = "personal", "Personal information"
        CONFIDENTIAL = "confidential", "Confidential registry term"
        PICKED = "picked", "Chosen by the custodian"

    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="redactions")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(max_length=200, help_text="Where in the record, e.g. content.body")
    category = models.CharField(max_length=12, choices=Category.choices)
    rule_id = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=300)
    exemption = models.CharField(max_length=300)
    length = models.PositiveIntegerField()
    span_sha256 = models.CharField(max_length=64, help_text="Hash of the withheld text (the text is not kept).")

    class Meta:
        ordering = ["record_id", "pk"]

    def __str__(self):
        return f"Redaction in record #{self.record_id} ({self.get_category_display()})"


class MediaDecision(models.Model):
    """What a public release does with one media file of its records, decided by the records custodian before
    the package is built (385.7): release it as published, withhold it under a cited exemption, or release a
    redacted version the custodian made in its place. A file without a decision is withheld."""

    class Decision(models.TextChoices):
        RELEASE = "release", "Release as published"
        WITHHOLD = "withhold", "Withhold"
        REDACTED = "redacted", "Release a redacted version"

    # Why a file nobody decided on is withheld, in the redaction log.
    NOT_REVIEWED = "not reviewed by the custodian"

    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="media_decisions")
    # Media goes when the last record using it is destroyed; a decision about it has nothing left to decide.
    blob = models.ForeignKey(MediaBlob, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.CharField(max_length=300, blank=True, help_text="What is withheld or masked, for the log.")
    exemption = models.CharField(max_length=300, blank=True, help_text="e.g. Cal. Gov. Code § 7922.000")
    redacted_file = models.FileField(upload_to="records/redacted/", storage=records_store, blank=True)
    redacted_sha256 = models.CharField(max_length=64, blank=True)
    redacted_content_type = models.CharField(max_length=100, blank=True)
    redacted_size = models.PositiveBigIntegerField(default=0)
    redacted_name = models.CharField(max_length=255, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["export_id", "blob_id"]
        constraints = [
            models.UniqueConstraint(fields=["export", "blob"], name="one_decision_per_media_file_per_export"),
            models.CheckConstraint(
                condition=Q(decision="release") | (~Q(exemption="") & ~Q(reason="")),
                name="withheld_media_cites_reason_and_exemption",
            ),
            models.CheckConstraint(
                condition=(Q(decision="redacted") & ~Q(redacted_file="") & ~Q(redacted_sha256=""))
                | (~Q(decision="redacted") & Q(redacted_file="") & Q(redacted_sha256="")),
                name="only_a_redacted_decision_has_a_redacted_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.blob_id} in export #{self.export_id}"

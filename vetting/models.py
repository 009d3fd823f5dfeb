"""Online background vetting of job candidates (385.5.4(d)).

A hiring process (opened by Human Resources) names its decision makers, its searchers and one checklist of search
steps, frozen at the first search so every candidate gets the same steps. Designated searchers (a sensitive
position given by the Chief or designee) attest to lawful methods before each search session, work the checklist
for each candidate, and record findings with their captures. Every finding passes the protected-class filter and is
validated or not; only validated, filtered findings are released to the decision makers, as a frozen report. None of
this is a social media record: it is kept under its own personnel series and never appears in records search or
exports.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

SECTION = "385.5.4(d)"


class SearcherDesignationQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, valid_from__lte=on, valid_until__gte=on)


class SearcherDesignation(models.Model):
    """The Chief's (or designee's) designation of a member as an online-vetting searcher: a sensitive position."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vetting_designations")
    valid_from = models.DateField(default=timezone.localdate)
    valid_until = models.DateField("Valid until", help_text="The designation ends after this day.")
    reason = models.TextField("Reason")
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    designated_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    objects = SearcherDesignationQuerySet.as_manager()

    class Meta:
        ordering = ["-designated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="designation_period_is_ordered"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False), name="revocation_names_who"
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(revoked_at__isnull=True), name="one_unrevoked_designation_per_member"
            ),
        ]

    def __str__(self):
        return f"Searcher designation #{self.pk}"

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.revoked_at is None and self.valid_from <= on <= self.valid_until


class PersonnelSeries(models.Model):
    """The personnel records series vetting files are kept under: its own retention, apart from social media."""

    code = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    retention_years = models.PositiveSmallIntegerField(
        help_text="Kept this many years after the hiring process closes, then destroyed."
    )
    authority = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "personnel series"

    def __str__(self):
        return f"{self.code} {self.title}"


class HiringProcess(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    position = models.CharField("Position", max_length=200)
    opens_on = models.DateField("Opens on")
    closes_on = models.DateField("Closes on")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    series = models.ForeignKey(PersonnelSeries, on_delete=models.PROTECT, related_name="processes")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    checklist_frozen_at = models.DateTimeField(
        null=True, blank=True, help_text="Set at the first search: from then on every candidate gets the same steps."
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        permissions = [
            ("search_candidates", "Search the candidates of this process"),
            ("view_released_reports", "See the released vetting reports of this process"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="process_dates_are_ordered"),
        ]

    def __str__(self):
        return f"Hiring process #{self.pk}: {self.position}"

    @property
    def checklist_frozen(self) -> bool:
        return self.checklist_frozen_at is not None


class ProcessMember(models.Model):
    """A member's part in one process. One part per member: a decision maker is never the searcher (385.5.4(d))."""

    class Part(models.TextChoices):
        DECISION_MAKER = "decision_maker", "Decision maker"
        SEARCHER = "searcher", "Searcher"

    process = models.ForeignKey(HiringProcess, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vetting_parts")
    part = models.CharField(max_length=16, choices=Part.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["part", "member__last_name", "member__username"]
        constraints = [
            models.UniqueConstraint(fields=["process", "member"], name="one_part_per_member_per_process"),
        ]

    def __str__(self):
        return f"{self.get_part_display()} in process #{self.process_id}"


class ChecklistStep(models.Model):
    """One search step every candidate of the process gets: where, what, over which period."""

    process = models.ForeignKey(HiringProcess, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    platform = models.CharField("Platform or source", max_length=120)
    query = models.CharField("What to search", max_length=500)
    period = models.CharField("Period", max_length=120, help_text="e.g. the last 7 years.")

    class Meta:
        ordering = ["process", "number"]
        constraints = [models.UniqueConstraint(fields=["process", "number"], name="one_step_per_number")]

    def __str__(self):
        return f"Step {self.number}: {self.platform}"


class Candidate(models.Model):
    class Status(models.TextChoices):
        SEARCHING = "searching", "Being searched"
        RELEASED = "released", "Report released"
        DESTROYED = "destroyed", "File destroyed"

    process = models.ForeignKey(HiringProcess, on_delete=models.PROTECT, related_name="candidates")
    name = models.CharField("Candidate's name", max_length=200)
    applicant_number = models.CharField("Applicant number", max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SEARCHING, db_index=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    retain_until = models.DateField(null=True, blank=True, help_text="Set when the process closes.")
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "applicant_number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "applicant_number"], name="one_candidate_per_applicant_number")
        ]

    def __str__(self):
        # The audit trail names candidates by number only: who is being vetted is itself personnel information.
        return f"Candidate {self.applicant_number} (process #{self.process_id})"


class SearchSession(models.Model):
    """One sitting of a searcher on one candidate, opened by the lawful-methods attestation."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="sessions")
    searcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    attestation = models.JSONField(help_text="Each statement attested, word for word, as it was shown.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Search session #{self.pk}"


class StepResult(models.Model):
    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="step_results")
    step = models.ForeignKey(ChecklistStep, on_delete=models.PROTECT, related_name="results")
    session = models.ForeignKey(SearchSession, on_delete=models.PROTECT, related_name="step_results")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "step"], name="one_result_per_step_per_candidate"),
            models.CheckConstraint(
                condition=~Q(outcome="not_applicable") | ~Q(reason=""), name="not_applicable_gives_a_reason"
            ),
        ]

    def __str__(self):
        return f"{self.step} for {self.candidate}: {self.get_outcome_display()}"


class Finding(models.Model):
    class Validation(models.TextChoices):
        PENDING = "pending", "Not yet validated"
        VALIDATED = "validated", "Validated"
        NOT_VALIDATED = "not_validated", "Could not be validated"

    class Method(models.TextChoices):
        SECOND_SOURCE = "second_source", "A second, independent source"
        CANDIDATE_RESPONSE = "candidate_response", "The candidate's response"
        OFFICIAL_RECORD = "official_record", "An official record"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="findings")
    step = models.ForeignKey(ChecklistStep, on_delete=models.PROTECT, related_name="findings")
    session = models.ForeignKey(SearchSession, on_delete=models.PROTECT, related_name="findings")
    source_url = models.URLField("Source URL", max_length=1000)
    seen_on = models.DateField("Date seen")
    content = models.TextField("What was found", help_text="What the public content says or shows.")
    note = models.TextField("Searcher's note", blank=True)
    capture_name = models.CharField(max_length=300, blank=True)
    capture_sha256 = models.CharField(max_length=64, blank=True)
    capture_type = models.CharField(max_length=100, blank=True)
    capture_size = models.PositiveBigIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    screened_at = models.DateTimeField(null=True, blank=True, help_text="When the protected-class filter ran.")
    validation = models.CharField(max_length=16, choices=Validation.choices, default=Validation.PENDING)
    validation_method = models.CharField(max_length=24, choices=Method.choices, blank=True)
    validation_note = models.TextField(blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    excluded = models.BooleanField(default=False, help_text="Withheld from the report under 385.5.4(d).")

    class Meta:
        ordering = ["candidate", "step__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(validation="validated") | (~Q(validation_method="") & Q(validated_by__isnull=False)),
                name="validated_finding_says_how_and_who",
            ),
        ]

    def __str__(self):
        return f"Finding #{self.pk}"

    @property
    def has_capture(self) -> bool:
        return bool(self.capture_name)

    @property
    def capture_is_image(self) -> bool:
        return self.capture_type.startswith("image/")


class ProtectedFlag(models.Model):
    """A passage (or an image) that may reveal a protected characteristic, and what the searcher decided."""

    class Field(models.TextChoices):
        SOURCE = "source_url", "Source URL"
        CONTENT = "content", "What was found"
        NOTE = "note", "Searcher's note"
        CAPTURE = "capture", "Capture (reviewed by hand)"

    class Decision(models.TextChoices):
        PENDING = "pending", "To decide"
        REDACTED = "redacted", "Redacted"
        EXCLUDED = "excluded", "Finding excluded"
        NOT_PROTECTED = "not_protected", "Not protected information"

    class Review(models.TextChoices):
        NONE = "", "Not needed"
        WAITING = "waiting", "Waiting for a second searcher"
        AGREED = "agreed", "Agreed by a second searcher"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="flags")
    field = models.CharField(max_length=10, choices=Field.choices)
    category = models.CharField(max_length=32, help_text="The protected characteristic, or 'image' for a capture.")
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    excerpt = models.TextField(blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(max_length=8, choices=Review.choices, default=Review.NONE, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["finding", "field", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending") | (~Q(reason="") & Q(decided_by__isnull=False)),
                name="flag_decision_gives_reason_and_who",
            ),
            models.CheckConstraint(
                condition=~Q(review="agreed") | (Q(reviewed_by__isnull=False) & ~Q(reviewed_by=F("decided_by"))),
                name="second_review_by_another_searcher",
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="flag_span_is_ordered"),
        ]

    def __str__(self):
        return f"Protected-class flag #{self.pk}"

    @property
    def category_label(self) -> str:
        if self.field == self.Field.CAPTURE:
            return "Image or file: review by hand"
        from .protected_classes import CATEGORIES

        return CATEGORIES.get(self.category, self.category)

    @property
    def settled(self) -> bool:
        if self.decision == self.Decision.PENDING:
            return False
        return self.decision != self.Decision.NOT_PROTECTED or self.review == self.Review.AGREED


class ReleasedReport(models.Model):
    """What decision makers see: frozen at release, built only from validated, filtered findings."""

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="report")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(default=timezone.now)
    body = models.JSONField(help_text="The findings as released: redactions marked, no captures.")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-released_at"]

    def __str__(self):
        return f"Released vetting report #{self.pk}"

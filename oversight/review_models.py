"""The annual review of social media use (385.6): who was appointed to write it, and the report in its versions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class ReviewerAppointment(models.Model):
    """385.6: "The Chief of Police will appoint a supervisor to review, at least annually, the use of department
    social media". One appointment per review period; only its reviewer drafts that period's report."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_appointments")
    period_start = models.DateField("Review period from")
    period_end = models.DateField("Review period to")
    note = models.TextField(blank=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="review_period_is_ordered"),
            models.UniqueConstraint(fields=["period_start", "period_end"], name="one_appointment_per_period"),
        ]

    def __str__(self):
        return f"Annual review {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"


class AnnualReview(models.Model):
    """One version of the report. Generated from the data (a task), written up by the reviewer, submitted, and
    signed off by the Chief; a signed version is frozen and captured as a record, and changes make a new version."""

    class Status(models.TextChoices):
        GENERATING = "generating", "Generating"
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted to the Chief"
        SIGNED = "signed", "Signed off"
        FAILED = "failed", "Generation failed"

    appointment = models.ForeignKey(ReviewerAppointment, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.GENERATING, db_index=True)
    data = models.JSONField(default=dict, blank=True, help_text="Every figure, table and chart, as generated.")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    findings = models.TextField("Findings", blank=True)
    recommendations = models.TextField("Recommendations", blank=True, help_text="One recommendation per line.")
    follow_ups = models.JSONField(
        default=list, blank=True, help_text="The previous report's recommendations and what became of each."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    record = models.ForeignKey("retention.Record", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-appointment__period_end", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "version"], name="one_report_per_version"),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="signed_report_names_its_signer",
            ),
        ]

    def __str__(self):
        return f"{self.appointment} (version {self.version})"

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

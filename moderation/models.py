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

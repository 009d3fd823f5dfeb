"""What oversight keeps of its own: the training reminders already sent (385.8)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class TrainingReminder(models.Model):
    """A reminder that a training record runs out (385.8), sent to the member and their supervisor. One row per
    record and threshold: a run that repeats, or catches up after a missed day, finds it here and sends nothing."""

    class Threshold(models.IntegerChoices):
        DAYS_30 = 30, "30 days before expiry"
        DAYS_7 = 7, "7 days before expiry"

    record = models.ForeignKey("members.TrainingRecord", on_delete=models.CASCADE, related_name="reminders")
    threshold = models.PositiveSmallIntegerField(choices=Threshold.choices)
    sent_on = models.DateField(help_text="The day of the run that sent it.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["record", "threshold"], name="one_training_reminder_per_threshold"),
            models.CheckConstraint(condition=Q(threshold__in=[7, 30]), name="training_reminder_threshold_known"),
        ]

    def __str__(self):
        return f"{self.get_threshold_display()} reminder for training record #{self.record_id}"


# The annual review's models live beside its services; Django finds every model of the app through this module.
from .review_models import AnnualReview, ReviewerAppointment  # noqa: E402

__all__ = ["AnnualReview", "ReviewerAppointment", "TrainingReminder"]

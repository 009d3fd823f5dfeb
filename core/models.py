"""The append-only, hash-chained audit log that services write for every action."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One action someone (or the system) took. Rows are chained: hash = SHA-256(prev_hash + content)."""

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(max_length=150, blank=True, help_text="Username at the time, or 'system'.")
    verb = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        db_table = "socialgov_auditevent"  # the table kept its name when the model moved to core
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.actor_repr or 'system'} {self.verb} {self.object_repr}".strip()

    def canonical(self) -> str:
        """The row's content as hashed: stable key order, UTC timestamps, no whitespace."""
        return json.dumps(
            {
                "seq": self.seq,
                "created_at": self.created_at.isoformat(timespec="microseconds"),
                "actor_id": self.actor_id,
                "actor_repr": self.actor_repr,
                "verb": self.verb,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "ip": self.ip,
                "details": self.details,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode("utf-8")).hexdigest()


class Notification(models.Model):
    """An e-mail to send (an outbox): written in the same transaction as the change it reports, sent by a
    task after commit, and re-sent by a periodic sweeper if the task's message was lost."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=64)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "socialgov_notification"  # the table kept its name when the model moved to core
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.event} to {self.recipient_id}"


class AuditVerification(models.Model):
    """One run of the audit trail's verification (daily, by beat): the chain walked and compared with the signed
    checkpoints. `problems` lists what was found, each naming the sequence numbers concerned."""

    ran_at = models.DateTimeField(default=timezone.now, db_index=True)
    ok = models.BooleanField()
    events = models.PositiveBigIntegerField(default=0, help_text="Events read.")
    checked_through_seq = models.PositiveBigIntegerField(default=0, help_text="The newest sequence number read.")
    checkpoint_seq = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The newest valid checkpoint the trail was compared with."
    )
    checkpoint_written_at = models.DateTimeField(null=True, blank=True)
    checkpoints = models.PositiveIntegerField(default=0, help_text="Valid checkpoints compared.")
    problems = models.JSONField(default=list, blank=True)
    more_problems = models.PositiveIntegerField(default=0, help_text="Problems found beyond those listed.")

    class Meta:
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"Audit verification {self.ran_at:%Y-%m-%d %H:%M}: {'ok' if self.ok else 'FAILED'}"

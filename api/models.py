"""Personal API tokens: shown once, kept only as a SHA-256 digest, scoped, expiring, optionally bound to networks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at, member__is_active=True)


class ApiToken(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("Name", max_length=100, help_text="What the token is for, e.g. the dispatch system.")
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown in lists; finds the token on use.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the whole token; the token itself is never kept.")
    scopes = models.JSONField(default=list)
    allowed_networks = models.JSONField(default=list, blank=True, help_text="Empty: any network.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField("Expires")
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_after_creation"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False), name="token_revocation_names_who"
            ),
        ]

    def __str__(self):
        return f"API token {self.prefix} ({self.name})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.member.is_active

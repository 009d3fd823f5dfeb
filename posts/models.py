"""Channels: the department's pages on each platform (385.1.1 "Page")."""

from django.db import models
from simple_history.models import HistoricalRecords


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
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    handle = models.CharField(max_length=120, blank=True)
    url = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("post_to_channel", "May post on behalf of the department to this channel (385.3)")]

    def __str__(self):
        return self.name

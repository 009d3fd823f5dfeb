"""People: member profiles, authorizations to post (385.3), training (385.8), remote-posting exceptions (385.3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The Django groups the product knows. Created by a data migration."""

    CHIEF = "Chief", "Chief of Police"
    DESIGNEE = "Designee", "Chief's designee"
    SMO = "Social Media Officer", "Social Media Officer"
    TEAM = "Team Member", "Social media team member"
    SUPERVISOR = "Supervisor", "Supervisor"
    CUSTODIAN = "Records Custodian", "Records custodian"
    REVIEWER = "Annual Reviewer", "Annual reviewer"
    INVESTIGATOR = "Investigator", "Investigator"
    HR = "Human Resources", "Human Resources"
    MEMBER = "Member", "Member"


class TrainingTopic(models.TextChoices):
    """The minimum subjects of 385.8."""

    LEGAL = "legal", "Legal issues in the appropriate use of social media"
    PRIVACY = "privacy", "Privacy"
    CIVIL_RIGHTS = "civil_rights", "Civil rights"
    DISSEMINATION = "dissemination", "Dissemination of information"
    RETENTION = "retention", "Retention of information"


REQUIRED_TRAINING_TOPICS = frozenset(TrainingTopic.values)


class MemberProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    badge_number = models.CharField("Badge / employee ID", max_length=32, unique=True)
    division = models.CharField(max_length=120, blank=True)
    rank = models.CharField(max_length=80, blank=True)
    sensitive_position = models.BooleanField(
        default=False,
        help_text="Holds a sensitive position, e.g. searches Internet content in background checks (385.5.4(d)).",
    )
    phone = models.CharField(max_length=40, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_profiles",
        help_text="The member's supervisor, who sees them among their people.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.badge_number})"


class AuthorizationQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=at).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=at)
        )

    def unrevoked(self):
        return self.filter(revoked_at__isnull=True)


class Authorization(models.Model):
    """The Chief's (or designee's) authorization of one member to post on behalf of the department (385.3)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authorizations")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    all_channels = models.BooleanField(default=False, help_text="Covers every channel, present and future.")
    channels = models.ManyToManyField("posts.Channel", blank=True, related_name="authorizations")
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True, help_text="Empty: until revoked.")
    note = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)

    objects = AuthorizationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="authorization_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(
                    Q(revoked_at__isnull=True, revoked_by__isnull=True, revocation_reason="")
                    | (Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revocation_reason=""))
                ),
                name="authorization_revocation_is_complete",
            ),
        ]

    def __str__(self):
        return f"Authorization #{self.pk} for {self.member}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.valid_from <= at and (self.valid_until is None or self.valid_until > at)

    @property
    def status(self) -> str:
        now = timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.valid_from > now:
            return "scheduled"
        if self.valid_until and self.valid_until <= now:
            return "expired"
        return "active"


class TrainingRecordQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(completed_on__lte=on, expires_on__gte=on)


class TrainingRecord(models.Model):
    """Completed social-media training (385.8)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records")
    course = models.CharField(max_length=200)
    topics = models.JSONField(default=list, help_text="Subjects covered, from TrainingTopic.")
    completed_on = models.DateField()
    expires_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    objects = TrainingRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("completed_on")), name="training_expires_after_completion"
            ),
        ]

    def __str__(self):
        return f"{self.course} — {self.member} ({self.completed_on})"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.completed_on <= on <= self.expires_on

    def topic_labels(self) -> list[str]:
        return [TrainingTopic(t).label for t in self.topics if t in TrainingTopic.values]


class RemotePostingException(models.Model):
    """A supervisor's documented, time-limited permission to post from outside the approved networks (385.3)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="remote_exceptions")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")), name="remote_exception_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="remote_exception_has_reason"),
        ]

    def __str__(self):
        return f"Remote-posting exception for {self.member} until {self.valid_until:%Y-%m-%d %H:%M}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.valid_from <= at < self.valid_until


class DesigneeAppointmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class DesigneeAppointment(models.Model):
    """The Chief's appointment of an authorized designee (385.3): a dated act with a reason, ended the same way.
    While it runs, the member holds the Designee role."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="designee_terms")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    objects = DesigneeAppointmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-appointed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="designee_appointment_has_reason"),
            models.CheckConstraint(
                condition=(
                    Q(ended_at__isnull=True, ended_by__isnull=True, end_reason="")
                    | (Q(ended_at__isnull=False, ended_by__isnull=False) & ~Q(end_reason=""))
                ),
                name="designee_appointment_end_is_complete",
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_at__isnull=True), name="one_current_designee_term_per_member"
            ),
        ]

    def __str__(self):
        return f"Designee appointment of {self.member} from {timezone.localtime(self.appointed_at):%Y-%m-%d}"


class EnrolmentCode(models.Model):
    """A one-time code that lets a member set up their first two-factor device. Only a digest is kept: the code
    is shown once, to whoever issued it."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes")
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: issued by an administrator's command.",
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self):
        return f"Enrolment code for {self.member} issued {timezone.localtime(self.issued_at):%Y-%m-%d %H:%M}"

    def is_usable(self, at=None) -> bool:
        at = at or timezone.now()
        return self.used_at is None and self.withdrawn_at is None and at < self.expires_at

"""A demo department: one user per role, channels, training and authorizations. Safe to run again."""

import base64
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from members import services
from members.models import Authorization, Role, TrainingRecord, TrainingTopic

DEMO_USERS = [
    # username, first, last, badge, division, roles, trained, rank
    ("chief", "Dana", "Reyes", "1001", "Office of the Chief", [Role.CHIEF], True, "Chief of Police"),
    ("smo", "Sam", "Ortiz", "2040", "Community Relations", [Role.SMO, Role.TEAM], True, "Officer"),
    ("team", "Taylor", "Nguyen", "2051", "Community Relations", [Role.TEAM], True, "Officer"),
    ("supervisor", "Morgan", "Lee", "1502", "Patrol", [Role.SUPERVISOR], True, "Sergeant"),
    ("commander", "Chris", "Alvarez", "1410", "Patrol", [Role.MEMBER], True, "Lieutenant"),
    ("custodian", "Robin", "Patel", "3007", "Support Services", [Role.CUSTODIAN], False, "Records Manager"),
    ("member", "Jordan", "Kim", "2877", "Investigations", [Role.MEMBER], False, "Officer"),
    (
        "reviewer",
        "Alex",
        "Brooks",
        "1520",
        "Professional Standards",
        [Role.SUPERVISOR, Role.REVIEWER],
        True,
        "Sergeant",
    ),
]

DEMO_CHANNELS = [
    ("Department website", "news", "website", "", "/news/"),
    ("Facebook page", "facebook", "facebook", "IndioPD", "https://www.facebook.com/IndioPD"),
    ("X account", "x", "x", "@IndioPD", "https://x.com/IndioPD"),
]


def totp_hex_key(base32_secret: str) -> str:
    padded = base32_secret.strip().replace(" ", "").upper()
    padded += "=" * (-len(padded) % 8)
    try:
        return base64.b32decode(padded).hex()
    except (ValueError, base64.binascii.Error) as exc:
        raise CommandError(f"DEMO_TOTP_SECRET is not valid base32: {exc}") from exc


class Command(BaseCommand):
    help = "Load the demo department (users per role, channels, training, authorizations). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Demo password (default: DEMO_PASSWORD).")
        parser.add_argument("--totp-secret", default=None, help="Base32 TOTP secret (default: DEMO_TOTP_SECRET).")

    @transaction.atomic
    def handle(self, *args, **options):
        password = options["password"] or settings.DEMO_PASSWORD
        secret = options["totp_secret"] or settings.DEMO_TOTP_SECRET
        key = totp_hex_key(secret)
        if len(password) < 12:
            raise CommandError("--password: the demo password must be at least 12 characters.")
        User = get_user_model()
        Channel = apps.get_model("posts", "Channel")

        channels = {}
        for name, slug, kind, handle, url in DEMO_CHANNELS:
            channels[slug], _ = Channel.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": kind, "handle": handle, "url": url}
            )

        users = {}
        for username, first, last, badge, division, roles, _trained, rank in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@police.example.gov"},
            )
            if created or not user.check_password(password):
                user.set_password(password)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=roles))
            services.ensure_profile(user, badge_number=badge, division=division, rank=rank)
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="Demo authenticator", defaults={"key": key, "confirmed": True}
            )
            if device.key != key or not device.confirmed:
                device.key, device.confirmed = key, True
                device.save()
            users[username] = user

        chief = users["chief"]
        today = timezone.localdate()
        for username, *_rest, trained, _rank in DEMO_USERS:
            user = users[username]
            if trained and not TrainingRecord.objects.filter(member=user).current(today).exists():
                services.record_training(
                    actor=chief,
                    member=user,
                    course="Social Media for Law Enforcement (annual)",
                    topics=list(TrainingTopic.values),
                    completed_on=today - timedelta(days=60),
                    expires_on=today - timedelta(days=60) + timedelta(days=365),
                )
        if not Authorization.objects.active().filter(member=users["smo"]).exists():
            services.grant_authorization(
                actor=chief, member=users["smo"], all_channels=True, note="Social Media Officer (385.4.1)."
            )
        if not Authorization.objects.active().filter(member=chief).exists():
            services.grant_authorization(actor=chief, member=chief, all_channels=True, note="Chief of Police.")

        self.stdout.write(self.style.SUCCESS("Demo department ready."))
        self.stdout.write(f"Users: {', '.join(users)} (password from DEMO_PASSWORD or --password)")
        self.stdout.write(f"Two-factor (TOTP) secret for every demo user: {secret}")

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
from moderation import services as review
from posts import services as posts
from posts.models import Channel, GuidelineTemplate, Incident, Post
from retention.models import ClassificationRule, RecordSeries, RecordsRequest, RetentionSchedule
from retention.public_records import log_request

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
    ("investigator", "Casey", "Morales", "2930", "Investigations", [Role.INVESTIGATOR], False, "Detective"),
    # Background vetting (385.5.4(d)): Human Resources opens hiring processes; `searcher` is the member the Chief
    # may designate to the sensitive position of online-vetting searcher.
    ("hr", "Jamie", "Rivera", "4012", "Personnel and Training", [Role.HR], False, "Personnel Analyst"),
    ("searcher", "Avery", "Chen", "2961", "Professional Standards", [Role.MEMBER], False, "Background Investigator"),
]

DEMO_CHANNELS = [
    ("Department website", "news", "website", "", "{site}/news/"),
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
                slug=slug,
                defaults={"name": name, "kind": kind, "handle": handle, "url": url.format(site=settings.SITE_URL)},
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

        _seed_records(users)
        _seed_posts(users)

        self.stdout.write(self.style.SUCCESS("Demo department ready."))
        self.stdout.write(f"Users: {', '.join(users)} (password from DEMO_PASSWORD or --password)")
        self.stdout.write(f"Two-factor (TOTP) secret for every demo user: {secret}")


GUIDELINES = [
    (
        "Road closure",
        "traffic",
        "ROAD CLOSURE: {road} is closed between {from_street} and {to_street} until {until} because of {cause}. "
        "Please use {detour}. We will post when the road reopens.",
        [{"name": "road", "label": "Road", "max_length": 80}, {"name": "cause", "label": "Cause", "max_length": 80}],
    ),
    (
        "Special event",
        "announcement",
        "Join the Indio Police Department at {event} on {date} from {time} at {place}. {details}",
        [{"name": "details", "label": "Details (one sentence)", "max_length": 200}],
    ),
    (
        "Weather emergency",
        "real_time_safety",
        "WEATHER ALERT: {hazard} is expected in {area} from {start} to {end}. {advice} For emergencies call 911.",
        [],
    ),
    (
        "Missing person",
        "investigative_request",
        "MISSING: {name}, {age}, was last seen {last_seen}. {description} Anyone with information is asked to call "
        "the Indio Police Department at (760) 391-4051.",
        [],
    ),
    (
        "Recruitment",
        "recruitment",
        "The Indio Police Department is hiring {position}. Apply by {deadline} at {link}.",
        [],
    ),
]


def _seed_posts(users):
    """Guideline templates, an active incident and posts in every state, built with the real services."""

    chief, smo, supervisor, commander = users["chief"], users["smo"], users["supervisor"], users["commander"]
    for name, category, body, fields in GUIDELINES:
        if not GuidelineTemplate.objects.filter(name=name).exists():
            posts.save_guideline_template(
                actor=chief,
                name=name,
                category=category,
                body=body,
                fields=fields,
                guidance=f"Use for {name.lower()} notices (385.5.4(d)).",
            )
    for channel in Channel.objects.all():
        if channel.slug == "news" and not channel.disclaimer_opinions:
            posts.save_channel(
                actor=chief,
                channel=channel,
                disclaimer_opinions=True,
                disclaimer_moderation=True,
                disclaimer_public_records=True,
            )
    if Post.objects.exists():
        return
    website = list(Channel.objects.filter(slug__in=["news", "facebook"]))

    def draft(title, body, category="announcement"):
        return posts.create_post(actor=smo, title=title, body=body, category=category, channels=website)

    draft("Coffee with a Cop (draft)", "Join us for Coffee with a Cop next month. Details to follow.")
    waiting = draft(
        "Holiday safety tips", "Lock your car and keep packages out of sight this holiday season.", "crime_prevention"
    )
    review.submit_for_review(actor=smo, post=waiting)
    approved = draft("National Night Out", "National Night Out is August 4 at Miles Avenue Park, 5 to 8 pm.")
    review.submit_for_review(actor=smo, post=approved)
    review.approve_post(actor=supervisor, post=approved)
    published = draft(
        "Welcome our new officers",
        "Please welcome the six officers who graduated from the academy this week.",
        "community_outreach",
    )
    review.submit_for_review(actor=smo, post=published)
    review.approve_post(actor=supervisor, post=published)
    posts.publish_post(actor=smo, post=published)
    rejected = draft("Weekend plans", "Any plans for the weekend?", "community_outreach")
    review.submit_for_review(actor=smo, post=rejected)
    review.reject_post(actor=supervisor, post=rejected, reason="Not related to the department mission (385.4).")
    changes = draft("Bike registration", "Register you bike at the front desk.", "crime_prevention")
    review.submit_for_review(actor=smo, post=changes)
    review.request_changes(actor=supervisor, post=changes, note="Typo: 'you bike'.")

    incident = Incident.objects.filter(status=Incident.Status.ACTIVE).first() or posts.open_incident(
        actor=supervisor,
        name="Highway 111 brush fire",
        kind=Incident.Kind.DISASTER,
        location="Highway 111 at Jackson St",
        commander=commander,
        social_media_officer=smo,
    )
    update = posts.create_post(
        actor=smo,
        title="Evacuation warning",
        category="real_time_safety",
        body="Evacuation warning for homes east of Jackson St. Shelter at Indio High School.",
        channels=website,
        incident=incident,
    )
    review.submit_for_review(actor=smo, post=update)


def _seed_records(users):
    """A sensible starting set of series, schedules and rules; the custodian edits them (nothing is hard-wired)."""

    custodian = users["custodian"]
    series = [
        (
            "CW-026",
            "Social media content (city-wide standard)",
            True,
            "",
            2,
            "years",
            "publication",
            "destroy",
            "City records retention schedule, series CW-026",
        ),
        (
            "CW-026-R",
            "Content removed from public view",
            True,
            "",
            5,
            "years",
            "removal",
            "destroy",
            "CW-026; kept longer as evidence of the removal (385.5)",
        ),
        (
            "ADM-385.6",
            "Annual review of department social media use (385.6)",
            True,
            "",
            5,
            "years",
            "year_end",
            "transfer",
            "City records retention schedule, administrative reports",
        ),
        (
            "TIP-385.5.3",
            "Tips to investigators (confidential, 385.5.3(c))",
            True,
            "",
            5,
            "years",
            "publication",
            "destroy",
            "City records retention schedule, investigative leads; withheld from public release",
        ),
        (
            "TR-C",
            "Social media postings with no material impact",
            False,
            "c",
            90,
            "days",
            "publication",
            "destroy",
            "385.7(c) transitory",
        ),
    ]
    for code, title, substantive, item, period, unit, trigger, action, citation in series:
        record_series, _ = RecordSeries.objects.get_or_create(
            code=code, defaults={"title": title, "substantive": substantive, "transitory_item": item}
        )
        if not record_series.schedules.exists():
            RetentionSchedule.objects.create(
                series=record_series,
                version=1,
                period=period,
                unit=unit,
                trigger=trigger,
                action=action,
                citation=citation,
                approved_by=custodian,
            )
    if not ClassificationRule.objects.exists():
        cw026, removed = RecordSeries.objects.get(code="CW-026"), RecordSeries.objects.get(code="CW-026-R")
        for position, kind, target in [
            (10, "removed_comment", removed),
            (20, "post", cw026),
            (30, "incident_update", cw026),
            (40, "comment", cw026),
        ]:
            ClassificationRule.objects.create(position=position, kind=kind, series=target, created_by=custodian)

    if not ClassificationRule.objects.filter(kind="annual_review").exists():
        ClassificationRule.objects.create(
            position=5,
            kind="annual_review",
            series=RecordSeries.objects.get(code="ADM-385.6"),
            created_by=custodian,
            note="The signed annual review is a series of its own (385.6).",
        )

    if not ClassificationRule.objects.filter(kind="tip").exists():
        ClassificationRule.objects.create(
            position=1,
            kind="tip",
            series=RecordSeries.objects.get(code="TIP-385.5.3"),
            created_by=custodian,
            note="Tips to investigators are confidential: a series of their own, before any broader rule (385.5.3(c)).",
        )

    if not ClassificationRule.objects.filter(kind="account_post").exists():
        ClassificationRule.objects.create(
            position=25,
            kind="account_post",
            series=RecordSeries.objects.get(code="CW-026"),
            created_by=custodian,
            note="What appears on a department account is kept like the posts made through socialgov (385.7).",
        )

    if not RecordsRequest.objects.exists():
        # One open public-records request, so the custodian's dashboard shows one counting down.
        log_request(
            actor=custodian,
            requester="Indio Daily Bulletin",
            requester_contact="newsdesk@example.com",
            description="Every department post about road closures on Monroe Street since October 1.",
            received_on=timezone.localdate() - timedelta(days=4),
        )

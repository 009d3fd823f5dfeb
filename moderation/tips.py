"""Tips to investigators (385.5.3(c)): the public's answers to an investigative request (385.4(c)) and, when the
Chief has opened it, the general "report a non-emergency" page.

A tip is never public and never a comment. Nothing of the sender's address is kept anywhere: the rate limit counts
a keyed hash of it in the cache for a day, under a key that is discarded daily, and the audit events written while a
tip arrives carry no address. An anonymous tip keeps no name or contact either. Investigators and supervisors read
tips; each time one of them opens the queue or a tip, the audit trail says so.
"""

import hashlib
import hmac
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.audit import record_event
from core.context import current_client_ip
from core.errors import InvalidInput, InvalidTransition, PermissionRefused, PolicyViolation
from core.history import stamp
from core.notifications import notify
from members.models import Role
from members.permissions import has_role, is_chief_or_designee
from posts.models import Category, Post
from posts.publishing.intake import plain_text
from posts.selectors import users_with_roles

from .models import Tip, TipSettings
from .monitoring import alert_recipients
from .screening import screen_text
from .signals import tip_received

SECTION = "385.5.3(c)"
MAX_TIP_CHARS = 5000
MAX_NAME_CHARS = 100
MAX_CONTACT_CHARS = 200
TIPS_PER_DAY = 5
RATE_WINDOW = int(timedelta(hours=24).total_seconds())
QUEUE_PAGE_SIZE = 25
# Crockford's base 32: no I, L, O or U, so a reference read out over the phone is not misheard or misread.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_CHARS = 8  # 40 random bits


# Permissions ------------------------------------------------------------------------------------------------


def can_read_tips(user) -> bool:
    """385.5.3(c): tips are for the investigators, and the supervisors who direct them."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and has_role(user, Role.INVESTIGATOR, Role.SUPERVISOR)
    )


def require_tip_reader(user) -> None:
    if not can_read_tips(user):
        raise PermissionRefused("Tips are read only by investigators and supervisors.", section=SECTION)


def can_open_general_tips(user) -> bool:
    """Whether the website takes tips about no particular post is the Chief's (or the designee's) decision."""
    return getattr(user, "is_authenticated", False) and is_chief_or_designee(user)


def require_general_tips_keeper(user) -> None:
    if not can_open_general_tips(user):
        raise PermissionRefused(
            "Only the Chief of Police or the authorized designee opens or closes the general tip page.",
            section=SECTION,
        )


def tips_navigation(user) -> str:
    """The page the staff menu's "Tips" link opens for `user`, or "" for no link."""
    if can_read_tips(user):
        return "tips:queue"
    if can_open_general_tips(user):
        return "tips:settings"
    return ""


def post_takes_tips(post: Post | None) -> bool:
    """Every published investigative request (385.4(c)) offers the tip form; no other post does."""
    return post is not None and post.status == Post.Status.PUBLISHED and post.category == Category.INVESTIGATIVE_REQUEST


def general_tips_open() -> bool:
    return TipSettings.load().general_tips_open


# The rate limit ---------------------------------------------------------------------------------------------


def _daily_key(day) -> bytes:
    """The day's key: from SECRET_KEY, the date and a random part that lives only in the cache, for at most a day.
    Once that part has expired nobody, not even someone holding SECRET_KEY, can recompute the day's hashes and so
    link a counter to an address. (Without a cache to keep it in, the key falls back to SECRET_KEY and the date.)"""
    day_text = day.isoformat()
    salt_key = f"tip-rate-salt:{day_text}"
    cache.add(salt_key, secrets.token_hex(32), timeout=RATE_WINDOW)
    salt = cache.get(salt_key) or ""
    return hmac.new(settings.SECRET_KEY.encode(), f"tip-rate:{day_text}:{salt}".encode(), hashlib.sha256).digest()


def rate_key(visitor: str, *, day=None) -> str:
    """The keyed hash a visitor's tips are counted under today; the visitor (an address) is never stored."""
    return hmac.new(_daily_key(day or timezone.localdate()), visitor.encode(), hashlib.sha256).hexdigest()


def _rate_limited(visitor: str | None) -> bool:
    if not visitor:
        return False
    key = f"tip-rate:{rate_key(visitor)}"
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW)
        count = 1
    return count > TIPS_PER_DAY


@contextmanager
def _without_client_address():
    """While a tip is taken in, the audit trail (which records the request's address by itself) records none, so
    no event can tie a tip, or the record captured from it, to the address that sent it."""
    token = current_client_ip.set(None)
    try:
        yield
    finally:
        current_client_ip.reset(token)


# Receiving a tip --------------------------------------------------------------------------------------------


def new_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_CHARS))
    return f"T-{chars[:4]}-{chars[4:]}"


def normalize_reference(value: str) -> str:
    return (value or "").strip().upper()


def _store(tip: Tip) -> Tip:
    """Save under a fresh reference; a clash (one chance in 2**40 per tip kept) draws another."""
    for _attempt in range(4):
        tip.reference = new_reference()
        try:
            with transaction.atomic():
                tip.save(force_insert=True)
            return tip
        except IntegrityError:
            tip.pk = None
    tip.reference = new_reference()
    tip.save(force_insert=True)  # a fifth failure is not a clash: let it raise
    return tip


def tip_alert_recipients() -> list:
    """Those a threat in a public comment alerts (385.5.1), and the investigators, who can read the tip."""
    return [*alert_recipients(), *users_with_roles(Role.INVESTIGATOR)]


def _alert_threat(tip: Tip) -> None:
    record_event("system", "tip.threat_alert", tip, details={"post": tip.post_id})
    about = f"the investigative request “{tip.post.title}”" if tip.post_id else "the general tip page"
    notify(
        tip_alert_recipients(),
        event="tip.threat",
        subject=f"THREAT in a tip to investigators ({tip.reference})",
        # Not the tip's words: e-mail leaves the department's control, and a tip is confidential. Whoever may
        # read it does so on its page, where the reading is audited.
        body=(
            f"A tip sent at {timezone.localtime(tip.created_at):%Y-%m-%d %H:%M} through {about} was flagged as a "
            f"possible threat against the community or public employees (385.5.1).\n\n"
            f"Reference: {tip.reference}. Investigators and supervisors read it on its page."
        ),
        url=f"/tips/{tip.reference}/",
    )


def receive_tip(
    *,
    text: str,
    post: Post | None = None,
    anonymous: bool = True,
    name: str = "",
    contact: str = "",
    visitor: str | None = None,
) -> Tip:
    """Take in a tip from the public (there is no actor: the sender is not a member). `post`: the investigative
    request it answers, or None for the general page, which only takes tips while the Chief has it open. `visitor`
    (posts.publishing.intake.visitor_key) is counted against TIPS_PER_DAY under a keyed hash and then forgotten.
    A tip without a name or a contact is anonymous, and an anonymous tip keeps neither.

    Screened as public comments are; a threat alerts the people a threatening comment alerts, and the
    investigators. Retention captures it as a record in the same transaction (`tip_received`)."""
    with _without_client_address():
        return _receive_tip(text=text, post=post, anonymous=anonymous, name=name, contact=contact, visitor=visitor)


@transaction.atomic
def _receive_tip(*, text, post, anonymous, name, contact, visitor) -> Tip:
    if len(text or "") > MAX_TIP_CHARS * 4:
        raise InvalidInput(f"A tip is limited to {MAX_TIP_CHARS} characters.", field="text")
    body = plain_text(text)
    if not body:
        raise InvalidInput("Write what you know.", field="text")
    if len(body) > MAX_TIP_CHARS:
        raise InvalidInput(f"A tip is limited to {MAX_TIP_CHARS} characters.", field="text")
    if post is None:
        if not general_tips_open():
            raise PolicyViolation(SECTION, "The department is not taking general tips on its website now.")
    else:
        post = Post.objects.filter(pk=post.pk).first()
        if not post_takes_tips(post):
            raise PolicyViolation(SECTION, "This post does not ask for tips.")
    name, contact = plain_text(name)[:MAX_NAME_CHARS], plain_text(contact)[:MAX_CONTACT_CHARS]
    anonymous = bool(anonymous) or not (name or contact)
    if anonymous:
        name = contact = ""
    if _rate_limited(visitor):
        raise InvalidInput(
            "You have sent several tips today. Please try again tomorrow, or call the department.", field="text"
        )
    screening = screen_text(body, kind="comment")
    tip = _store(
        Tip(
            post=post,
            text=body,
            anonymous=anonymous,
            name=name,
            contact=contact,
            findings=[f.to_dict() for f in screening.findings],
            # The same test that raises a threat alert on a public comment (moderation.monitoring).
            threat=any(f.escalate for f in screening.findings),
        )
    )
    record_event(
        "anonymous",
        "tip.received",
        tip,
        details={"post": tip.post_id, "anonymous": tip.anonymous, "threat": tip.threat},
    )
    if tip.threat:
        _alert_threat(tip)
    tip_received.send(sender=Tip, tip=tip)
    return tip


# Reading tips (selectors, and the audited reads over them) --------------------------------------------------


def tips_for_queue(*, status: str = "") -> QuerySet:
    tips = Tip.objects.select_related("post").only(
        "pk", "reference", "created_at", "status", "threat", "anonymous", "post__id", "post__title"
    )
    return tips.filter(status=status) if status in Tip.Status.values else tips


def view_tip_queue(*, actor, status: str = "", page: int | str | None = 1) -> Page:
    """One page of the queue, newest first with threats on top. The page lists references, never a tip's words
    or its sender; opening it is recorded with the references it showed."""
    require_tip_reader(actor)
    shown = Paginator(tips_for_queue(status=status), QUEUE_PAGE_SIZE).get_page(page)
    record_event(
        actor,
        "tip.queue_viewed",
        details={
            "status": status if status in Tip.Status.values else "any",
            "page": shown.number,
            "references": [t.reference for t in shown.object_list],
        },
    )
    return shown


def find_tip(*, actor, reference: str) -> Tip | None:
    """The tip, for a reader; None when there is none (nothing is recorded). Whoever may not read tips is refused
    whether or not the reference exists, so a refusal says nothing about which references do."""
    require_tip_reader(actor)
    return (
        Tip.objects.select_related("post", "read_by", "closed_by")
        .filter(reference=normalize_reference(reference))
        .first()
    )


def view_tip(*, actor, reference: str) -> Tip | None:
    """Open one tip: every opening is in the audit trail (who, which tip, when; never what it says)."""
    tip = find_tip(actor=actor, reference=reference)
    if tip is not None:
        record_event(actor, "tip.viewed", tip, details={"status": tip.status})
    return tip


# Handling tips ----------------------------------------------------------------------------------------------


@transaction.atomic
def mark_tip_read(*, actor, tip: Tip) -> Tip:
    require_tip_reader(actor)
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if tip.status != Tip.Status.NEW:
        raise InvalidTransition(f"This tip is already {tip.get_status_display().lower()}.", field="status")
    tip.status, tip.read_by, tip.read_at = Tip.Status.READ, actor, timezone.now()
    tip.save(update_fields=["status", "read_by", "read_at"])
    record_event(actor, "tip.read", tip)
    return tip


@transaction.atomic
def close_tip(*, actor, tip: Tip, reason: str) -> Tip:
    """Close a tip with the reason (passed to a case, no further action, a duplicate...). Closing a new tip marks it
    read as well."""
    require_tip_reader(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the tip is closed.", field="reason")
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if tip.status == Tip.Status.CLOSED:
        raise InvalidTransition("This tip is already closed.", field="status")
    previous, now = tip.status, timezone.now()
    if tip.read_at is None:
        tip.read_by, tip.read_at = actor, now
    tip.status, tip.closed_by, tip.closed_at, tip.close_reason = Tip.Status.CLOSED, actor, now, reason
    tip.save(update_fields=["status", "read_by", "read_at", "closed_by", "closed_at", "close_reason"])
    # The reason stays on the tip: it may retell the tip, and the audit trail is read more widely and kept for ever.
    record_event(actor, "tip.closed", tip, details={"from": previous})
    return tip


@transaction.atomic
def set_general_tips(*, actor, general_tips_open: bool) -> TipSettings:
    """Open or close the general tip page (/news/tip/)."""
    require_general_tips_keeper(actor)
    TipSettings.load()
    current = TipSettings.objects.select_for_update().get(pk=1)
    previous = current.general_tips_open
    current.general_tips_open = bool(general_tips_open)
    current.updated_by, current.updated_at = actor, timezone.now()
    stamp(current, actor, "General tip page opened" if general_tips_open else "General tip page closed").save()
    record_event(
        actor,
        "tip_settings.changed",
        current,
        details={"general_tips_open": current.general_tips_open, "was": previous},
    )
    return current
